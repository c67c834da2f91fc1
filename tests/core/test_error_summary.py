"""Issue 8, the GOV.UK error pattern on every form: an error summary at the top (role="alert",
"There is a problem") with one link per error to the field's id, "Error: " before the page's title,
and every error in one response (the decision form: both cut lines; the Annex 1 lines: every row)."""
from __future__ import annotations

import re

import pytest
from django.test import Client

from applications import services as app_services
from tests.commissions.conftest import astana_case  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

TITLE_PREFIX = {"ru": "Ошибка:", "kk": "Қате:", "en": "Error:"}
HEADING = {"ru": "Возникла проблема", "kk": "Мәселе туындады", "en": "There is a problem"}


def summary_of(html: str) -> str:
    match = re.search(r'<div class="alert alert-danger qp-error-summary" role="alert"[^>]*>.*?</div>', html, re.S)
    assert match, "no error summary"
    return match.group(0)


def links_of(summary: str) -> list[tuple[str, str]]:
    return [(href, re.sub(r"\s+", " ", text).strip())
            for href, text in re.findall(r'<a class="alert-link" href="#([^"]+)"[^>]*>(.*?)</a>', summary, re.S)]


def title_of(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def client_in(cast, user, lang: str) -> Client:
    client = cast.client(user)
    client.cookies["qp_language"] = lang
    return client


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_the_decision_form_reports_both_cut_lines_at_once(cast, astana_case, lang):  # noqa: F811
    l1, l2 = astana_case.lines
    response = client_in(cast, cast.secretary, lang).post(
        f"/commissions/items/{astana_case.item.pk}/decision/",
        {f"approved_{l1.pk}": 1, f"approved_{l2.pk}": 2, "version": 0})
    html = response.content.decode()
    assert response.status_code == 200
    assert title_of(html).startswith(TITLE_PREFIX[lang] + " ")
    summary = summary_of(html)
    assert HEADING[lang] in summary and 'tabindex="-1"' in summary
    hrefs = [href for href, _text in links_of(summary)]
    assert hrefs == [f"id_grounds_{l1.pk}_0", f"id_reason_{l1.pk}", f"id_grounds_{l2.pk}_0", f"id_reason_{l2.pk}"]
    for href in hrefs:  # each link has its field, marked invalid
        assert f'id="{href}"' in html
    assert html.count('class="invalid-feedback d-block"') == 4


def test_a_malformed_count_and_a_missing_ground_are_reported_together(cast, astana_case):  # noqa: F811
    l1, l2 = astana_case.lines
    response = cast.client(cast.secretary).post(
        f"/commissions/items/{astana_case.item.pk}/decision/",
        {f"approved_{l1.pk}": "abc", f"approved_{l2.pk}": 2, f"reason_{l2.pk}": "есть безработные", "version": 0})
    links = links_of(summary_of(response.content.decode()))
    assert [h for h, _t in links] == [f"id_approved_{l1.pk}", f"id_grounds_{l2.pk}_0"]
    assert "целым числом" in links[0][1]


def test_a_correct_decision_shows_no_summary_and_no_prefix(cast, astana_case):  # noqa: F811
    response = cast.client(cast.secretary).get(f"/commissions/items/{astana_case.item.pk}/decision/")
    html = response.content.decode()
    assert "qp-error-summary" not in html and not title_of(html).startswith("Ошибка")


def test_a_crispy_form_gets_the_summary_with_its_label(cast):
    response = Client().post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    links = links_of(summary_of(html))
    assert [h for h, _t in links] == ["id_username", "id_password"]
    assert links[0][1].startswith("Эл. почта") or links[0][1].startswith("Электронная почта")
    assert title_of(html).startswith("Ошибка: ")


def test_the_annex_1_lines_report_every_row_with_its_number(cast, occupations):
    app = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                         region=cast.astana)
    data = {"revision": app.revision, "action": "save", "current_year_count": "0", "justification": "",
            "signer_position": "", "signer_name": "",
            "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "0",
            "lines-0-category": "3", "lines-0-occupation": "2142", "lines-0-count": "",
            "lines-1-category": "", "lines-1-occupation": "7212", "lines-1-count": "0",
            "projects-TOTAL_FORMS": "0", "projects-INITIAL_FORMS": "0"}
    response = cast.client(cast.employer).post(f"/applications/{app.pk}/edit/", data)
    html = response.content.decode()
    links = links_of(summary_of(html))
    hrefs = [h for h, _t in links]
    assert "id_lines-0-count" in hrefs and "id_lines-1-category" in hrefs
    texts = dict(links)
    assert texts["id_lines-0-count"].startswith("Строка 1: ")
    assert texts["id_lines-1-category"].startswith("Строка 2: ")
    assert "не сохранён: исправьте" not in html  # the summary says it; no second banner


def test_the_akimats_generalization_form_gets_the_summary_linked_to_the_field(cast, occupations):
    from applications.models import Application
    from tests.commissions.conftest import make_application

    app = make_application(cast, status=Application.Status.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    response = cast.client(cast.akimat_officer).post(f"/commissions/applications/{app.pk}/", {
        "version": 0, f"recommended_{line.pk}": "пять", "note_demand": "", "note_forecast": "", "note_domestic": "",
        "note_effectiveness": ""})
    html = response.content.decode()
    assert [h for h, _t in links_of(summary_of(html))] == [f"recommended_{line.pk}"]  # forms.js finds it by name
    assert title_of(html).startswith("Ошибка: ")
