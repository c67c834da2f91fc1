"""The public quota page is rendered once per published version and language and kept in the
cache (issue 14, figure 7): later anonymous readers get it without rendering it again, each with
their own CSRF token (the language switch still posts), and a new version is never served stale."""
from __future__ import annotations

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from . import test_publication
from .test_publication import YEAR, publish, publish_version_2

uz = test_publication.uz  # the fixture

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def read(client: Client, url: str = f"/public/quota/{YEAR}/") -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode(), len(queries)


def without_tokens(page: str) -> str:
    return page.replace(re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1), "T")


def test_a_second_reader_gets_the_kept_page_with_their_own_working_csrf_token(cast, uz):
    publish(cast, uz)
    first, first_queries = read(Client(enforce_csrf_checks=True))
    reader = Client(enforce_csrf_checks=True)
    second, second_queries = read(reader)
    assert second_queries < first_queries and second_queries <= 3, (first_queries, second_queries)
    tokens = TOKEN.findall(first) + TOKEN.findall(second)
    assert len(set(tokens)) == 2 and "qpcsrfmark" not in second
    assert without_tokens(first) == without_tokens(second)  # the same page, each with its own token
    switched = reader.post("/language/", {"csrfmiddlewaretoken": TOKEN.findall(second)[0], "language": "kk",
                                               "next": f"/public/quota/{YEAR}/"})
    assert switched.status_code == 302
    kazakh, _ = read(reader)
    assert 'lang="kk"' in kazakh


def test_publishing_a_new_version_changes_the_kept_page(cast, uz):
    v1 = publish(cast, uz)
    before, _ = read(Client())
    assert 'data-version="1"' in before and 'data-version="2"' not in before
    publish_version_2(cast, v1)
    after, _ = read(Client())
    assert 'data-version="2"' in after
    assert read(Client(), f"/public/quota/{YEAR}/?version=1")[0] != after
