"""Issue 13, hostile input: the public quota (Rules p.19) fuzzed against its own JSON Schema.

hypothesis (no schemathesis: the public part is four GET routes, and the schema it serves is a
JSON Schema, not an OpenAPI document) draws the year, the format, the `version` and `lang`
parameters and the If-None-Match header from the hostile alphabet. Every answer is a 200 whose
JSON body validates against /public/quota/schema.json, a 304 for the tag the client holds, or a
400/404; never a 5xx. The conditional requests keep their rules under any header value."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from tests.allocation.redistribution_helpers import publish_version_1
from tests.test_hostile_forms import ALPHABET, NUMBERS

pytestmark = pytest.mark.django_db

FUZZ = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                suppress_health_check=list(HealthCheck))

hostile_text = st.one_of(st.text(alphabet=ALPHABET, max_size=20), st.sampled_from(NUMBERS),
                         st.sampled_from(["", "1", "2", "01", "1 ", "-1", "1\u200b", "１", "٢", "v1", "x" * 5000]))
years = st.one_of(st.sampled_from(["2027", "2028", "0000", "9999", "２０２７", "٢٠٢٧", "2027 ", "02027", "20270"]),
                  st.integers(min_value=0, max_value=10**25).map(str))
formats = st.sampled_from(["json", "csv", "xlsx", "pdf", "JSON", "json\u200b", "xml", "json.json", ""])


@pytest.fixture
def published(cast):
    publish_version_1(cast)
    return cast.campaign.year


@pytest.fixture
def validator(client):
    response = client.get("/public/quota/schema.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@pytest.fixture
def _language_restored():
    from django.utils import translation

    with translation.override(translation.get_language()):
        yield


def body_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_the_published_json_validates_against_the_schema_it_serves(client, published, validator):
    response = client.get(f"/public/quota/{published}.json")
    assert response.status_code == 200
    errors = list(validator.iter_errors(json.loads(body_of(response))))
    assert not errors, errors[:3]


def test_fuzzed_paths_and_queries_answer_200_valid_json_or_400_404(client, published, validator,
                                                                    _language_restored):
    seen = {}

    @FUZZ
    @given(year=years, fmt=formats, version=st.none() | hostile_text, lang=st.none() | hostile_text,
           page=st.booleans())
    def fetch(year, fmt, version, lang, page):
        path = f"/public/quota/{year}/" if page else f"/public/quota/{year}.{fmt}"
        query = {k: v for k, v in (("version", version), ("lang", lang)) if v is not None}
        response = client.get(path, query)
        seen[response.status_code] = seen.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400, 404), (path, query, response.status_code)
        if response.status_code == 200 and path.endswith(".json"):
            errors = list(validator.iter_errors(json.loads(body_of(response))))
            assert not errors, (path, query, errors[:3])

    fetch()
    assert seen.get(200) and seen.get(404), seen


def test_every_format_and_version_of_the_published_year_answers(client, published, validator):
    for fmt in ("json", "csv", "xlsx", "pdf"):
        for query in ({}, {"version": "1"}, {"version": "2"}, {"version": "01"}, {"version": "١"}):
            response = client.get(f"/public/quota/{published}.{fmt}", query)
            assert response.status_code in (200, 404), (fmt, query, response.status_code)
            if query.get("version") in ("2", "١"):
                assert response.status_code == 404, (fmt, query)
    assert client.get(f"/public/quota/{published}.json", {"version": "1"})["Cache-Control"].find("immutable") >= 0


def test_conditional_requests_answer_304_only_for_the_tag_held(client, published, _language_restored):
    path = f"/public/quota/{published}.json"
    first = client.get(path)
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')
    for held in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        again = client.get(path, headers={"if-none-match": held})
        assert again.status_code == 304, held
        assert again.content == b"" and again["ETag"] == etag
    assert client.get(path, headers={"if-none-match": '"other"'}).status_code == 200
    assert client.get(f"/public/quota/{published}.csv", headers={"if-none-match": etag}).status_code == 200

    @FUZZ
    @given(header=hostile_text)
    def conditional(header):
        response = client.get(path, headers={"if-none-match": header})
        held = {t.strip().removeprefix("W/") for t in header.split(",")}
        expected = 304 if (etag in held or "*" in held) else 200
        assert response.status_code == expected, (header, response.status_code)

    conditional()


def test_the_schema_itself_is_served_with_a_tag_and_answers_304(client):
    first = client.get("/public/quota/schema.json")
    assert first.status_code == 200 and first["ETag"]
    assert client.get("/public/quota/schema.json", headers={"if-none-match": first["ETag"]}).status_code == 304
