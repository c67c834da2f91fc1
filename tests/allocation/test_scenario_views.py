"""The quota workspace over HTTP (/ministry/quota/<year>/): every page for every role of the cast and
anonymous; the analyst edits, the approver reads; the live recompute partial; hostile input on the
forms and the labour-force import (never a 500, nothing persisted, the field named)."""
from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook

from allocation.quota_models import Distribution, LabourForce, Scenario
from tests.xlsx_files import edit_cell, not_a_zip, shared_string_out_of_range, workbook

from .scenario_data import build, scenario

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english(cast, settings, monkeypatch):
    """The assertions read the English msgids: every client of the cast asks for English."""
    make = type(cast).client

    def client(self, user, lang="en"):
        c = make(self, user)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        return c

    monkeypatch.setattr(type(cast), "client", client)
NOT_MINISTRY = ("employer", "employer_editor", "employer_viewer", "employer2", "akimat_officer", "secretary",
                "member", "akimat_officer_atyrau", "secretary_atyrau", "central_officer", "outsider")


def form(**extra) -> dict:
    data = {"name": "Сценарий А", "method": "webster", "permits_percent": "0,0005", "permits_total_override": "",
            "permits_override_reason": "", "reserve": "2", "countries_percent": "0", "countries_total_override": "",
            "countries_override_reason": "", "immigrants_percent": "0.0004", "immigrants_total_override": "",
            "immigrants_override_reason": "", "notes": "", "revision": "",
            "adj-TOTAL_FORMS": "2", "adj-INITIAL_FORMS": "0", "adj-MIN_NUM_FORMS": "0", "adj-MAX_NUM_FORMS": "40"}
    for i in range(2):
        data.update({f"adj-{i}-region": "", f"adj-{i}-category": "", f"adj-{i}-delta": "", f"adj-{i}-reason": ""})
    data.update(extra)
    return data


def urls(year, pk):
    return [f"/ministry/quota/{year}/scenarios/", f"/ministry/quota/{year}/picture/",
            f"/ministry/quota/{year}/labour-force/", f"/ministry/quota/{year}/scenarios/{pk}/",
            f"/ministry/quota/{year}/scenarios/compare/", f"/ministry/quota/{year}/labour-force/template.csv"]


def analyst_urls(year, pk):
    return [f"/ministry/quota/{year}/scenarios/new/", f"/ministry/quota/{year}/scenarios/{pk}/delete/"]


def test_the_analyst_and_the_approver_read_every_page(cast, occupations):
    build(cast, occupations)
    s = scenario(cast)
    for who in ("analyst", "approver"):
        client = cast.client(getattr(cast, who))
        for url in urls(2027, s.pk):
            assert client.get(url).status_code == 200, (who, url)
        assert client.get("/ministry/quota/", follow=True).status_code == 200
    page = cast.client(cast.approver).get(f"/ministry/quota/2027/scenarios/{s.pk}/").content.decode()
    assert "<fieldset disabled>" in page and 'data-testid="propose"' not in page and "hx-post" not in page


@pytest.mark.parametrize("who", NOT_MINISTRY)
def test_everyone_else_gets_404_and_the_anonymous_the_login(cast, occupations, who):
    s = scenario(cast)
    client = cast.client(getattr(cast, who))
    for url in [*urls(2027, s.pk), *analyst_urls(2027, s.pk)]:
        assert client.get(url).status_code == 404, url
    for url in (f"/ministry/quota/2027/scenarios/{s.pk}/copy/", "/ministry/quota/2027/scenarios/preview/",
                f"/ministry/quota/2027/scenarios/{s.pk}/propose/", "/ministry/quota/2027/labour-force/import/"):
        assert client.post(url, form()).status_code == 404, url
    anonymous = cast.client(None)
    for url in [*urls(2027, s.pk), "/ministry/quota/"]:
        response = anonymous.get(url)
        assert response.status_code == 302 and "/login" in response["Location"], url
    assert Scenario.objects.count() == 1 and not Distribution.objects.exists()


def test_the_approver_cannot_change_anything(cast, occupations):
    s = scenario(cast)
    approver = cast.client(cast.approver)
    assert approver.post(f"/ministry/quota/2027/scenarios/{s.pk}/", form(name="Чужое")).status_code == 403
    assert approver.post("/ministry/quota/2027/labour-force/", {"persons": "1", "source": "x",
                                                                "as_of": "2026-01-01"}).status_code == 403
    for url in (f"/ministry/quota/2027/scenarios/{s.pk}/copy/", f"/ministry/quota/2027/scenarios/{s.pk}/delete/",
                f"/ministry/quota/2027/scenarios/{s.pk}/propose/", "/ministry/quota/2027/scenarios/new/",
                "/ministry/quota/2027/scenarios/preview/"):
        assert approver.post(url, form()).status_code == 404, url
    assert Scenario.objects.get().name == "Базовый" and not LabourForce.objects.exists()


def test_a_scenario_of_another_year_or_a_missing_one_is_404(cast, occupations):
    s = scenario(cast)
    client = cast.client(cast.analyst)
    assert client.get(f"/ministry/quota/2028/scenarios/{s.pk}/").status_code == 404
    assert client.get(f"/ministry/quota/2027/scenarios/{s.pk + 100}/").status_code == 404
    assert client.get("/ministry/quota/1999/picture/").status_code == 404


def test_the_analyst_creates_edits_copies_proposes_and_deletes_through_the_pages(cast, occupations):
    build(cast, occupations)
    client = cast.client(cast.analyst)
    response = client.post("/ministry/quota/2027/scenarios/new/", form())
    s = Scenario.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ministry/quota/2027/scenarios/{s.pk}/"
    assert (s.reserve, str(s.permits_percent)) == (2, "0.00050")
    response = client.post(f"/ministry/quota/2027/scenarios/{s.pk}/", form(**{
        "name": "Сценарий Б", "revision": "0", "adj-0-region": str(cast.astana.pk), "adj-0-category": "4",
        "adj-0-delta": "2", "adj-0-reason": "Новый завод"}))
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.name == "Сценарий Б" and s.adjustments.get().delta == 2
    assert client.post(f"/ministry/quota/2027/scenarios/{s.pk}/copy/").status_code == 302
    assert Scenario.objects.count() == 2
    compare = client.get(f"/ministry/quota/2027/scenarios/compare/?s={s.pk}&s={s.pk + 1}").content.decode()
    assert compare.count('data-testid="compare-total"') == 2 and "<svg" in compare and "<title" in compare
    client.post(f"/ministry/quota/2027/scenarios/{s.pk}/propose/", {"reason": "Сводные заявки"})
    proposal = Distribution.objects.get()
    assert proposal.scenario_id == s.pk and proposal.status == "proposed"
    page = client.get(f"/ministry/quota/2027/scenarios/{s.pk}/").content.decode()
    assert 'data-testid="pending"' in page and "Proposed, awaiting approval" in page
    copy = Scenario.objects.exclude(pk=s.pk).get()
    response = client.post(f"/ministry/quota/2027/scenarios/{copy.pk}/delete/", {"revision": copy.revision})
    assert response.status_code == 302
    assert list(Scenario.objects.values_list("pk", flat=True)) == [s.pk]


def test_the_preview_recomputes_without_saving(cast, occupations):
    build(cast, occupations)
    client = cast.client(cast.analyst)
    small = client.post("/ministry/quota/2027/scenarios/preview/", form(permits_percent="0.0002"))
    large = client.post("/ministry/quota/2027/scenarios/preview/", form(permits_percent="0.0005"))
    assert small.status_code == large.status_code == 200
    total = 'data-testid="permits-total">'
    assert f"{total}19<" in small.content.decode() and f"{total}49<" in large.content.decode()
    assert not Scenario.objects.exists()


@pytest.mark.parametrize(("field", "value"), [
    ("permits_percent", "٠٫٢٥"), ("permits_percent", "１"), ("permits_percent", "-1"), ("permits_percent", "1e2"),
    ("permits_percent", "101"), ("reserve", "-5"), ("reserve", "٣"), ("reserve", "9" * 400),
    ("name", "А" * 10_000), ("name", ""), ("permits_total_override", "-1"), ("method", "lottery"),
    ("adj-0-delta", "-0"),
])
def test_hostile_input_is_named_in_place_and_keeps_what_was_typed(cast, occupations, field, value):
    build(cast, occupations)
    client = cast.client(cast.analyst)
    preview = client.post("/ministry/quota/2027/scenarios/preview/", form(**{field: value}))
    assert preview.status_code == 200
    body = preview.content.decode()
    slot = body.split(f'id="err-{field}"', 1)[1].split("</div>", 1)[0]
    assert slot.split(">", 1)[1].strip(), f"no error in place for {field}"
    assert 'data-testid="results-invalid"' in body
    saved = client.post("/ministry/quota/2027/scenarios/new/", form(**{field: value}))
    assert saved.status_code == 400
    if len(value) < 100 and value:
        assert value in saved.content.decode()
    assert not Scenario.objects.exists()


def test_an_override_without_its_reason_is_named_and_a_nul_never_gives_500(cast, occupations):
    build(cast, occupations)
    client = cast.client(cast.analyst)
    body = client.post("/ministry/quota/2027/scenarios/preview/", form(permits_total_override="70")).content.decode()
    slot = body.split('id="err-permits_override_reason"', 1)[1].split("</div>", 1)[0]
    assert "reason" in slot
    body = client.post("/ministry/quota/2027/scenarios/preview/", form(**{"adj-0-delta": "5"})).content.decode()
    assert "Fill in the region" in body.split('id="err-adj-0-region"', 1)[1].split("</div>", 1)[0]
    response = client.post("/ministry/quota/2027/scenarios/new/", form(name="a\x00b"))
    assert response.status_code in (400, 200) and not Scenario.objects.exists()


def test_the_labour_force_form_records_a_figure_and_refuses_hostile_input(cast):
    client = cast.client(cast.analyst)
    for bad in ({"persons": "-1"}, {"persons": "٩٧٢٠"}, {"persons": "9" * 300}, {"source": "x" * 5000},
                {"as_of": "31.02.2026"}, {"region": "999999"}):
        data = {"region": "", "persons": "9720000", "source": "БНС", "as_of": "2025-12-31", **bad}
        response = client.post("/ministry/quota/2027/labour-force/", data)
        assert response.status_code == 200 and 'class="invalid-feedback d-block" role="alert" aria-live="polite">' \
            in response.content.decode()
        assert not LabourForce.objects.exists(), bad
    response = client.post("/ministry/quota/2027/labour-force/", {"region": "", "persons": "9720000",
                                                                 "source": "БНС", "as_of": "2025-12-31"})
    assert response.status_code == 302
    page = client.get("/ministry/quota/2027/labour-force/").content.decode()
    assert "9,720,000" in page
    assert "БНС" in page


def upload(client, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/ministry/quota/2027/labour-force/import/", {"file": SimpleUploadedFile(name, content)})


def test_a_good_file_is_imported_whole(cast):
    client = cast.client(cast.analyst)
    csv = ("region;persons;source;as_of\n000000000;9720000;БНС, 2025;31.12.2025\n"
           f"{cast.astana.code};812000;БНС;2025-12-31\n").encode()
    response = upload(client, "lf.csv", csv)
    assert response.status_code == 302
    assert dict(LabourForce.objects.values_list("region__code", "persons")) == {None: 9_720_000,
                                                                                cast.astana.code: 812_000}
    xlsx = workbook([["region", "persons", "source", "as_of"], [0, 9_800_000, "БНС", dt.date(2026, 2, 15)]])
    assert upload(client, "lf.xlsx", xlsx).status_code == 302
    assert LabourForce.objects.get(region=None).persons == 9_800_000


def _formula_workbook() -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(["region", "persons", "source", "as_of"])
    ws.append(["000000000", "=1+1", "БНС", "2025-12-31"])
    import io

    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


GOOD_ROW = ["000000000", 9_720_000, "БНС", "2025-12-31"]
HEADER = ["region", "persons", "source", "as_of"]


@pytest.mark.parametrize(("name", "content", "says"), [
    ("lf.csv", b"region,persons,source,as_of\n000000000,-5,x,2025-12-31\n", "Row 2"),
    ("lf.csv", "region,persons,source,as_of\n000000000,٩٧٢٠,x,2025-12-31\n".encode(), "Row 2"),
    ("lf.csv", b"region,persons,source,as_of\n000000000,1,x,2025-12-31\n123,5,x,2025-12-31\n", "Row 3"),
    ("lf.csv", b"region,persons,source,as_of\n000000000,5,x,2025-13-45\n", "Row 2"),
    ("lf.csv", b"region,persons,source,as_of\n000000000,5\x00,x,2025-12-31\n", "NUL"),
    ("lf.csv", ("region,persons,source,as_of\n000000000,5," + "x" * 3000 + ",2025-12-31\n").encode(), "Row 2"),
    ("lf.csv", b"a,b\n1,2\n", "Row 1"),
    ("lf.csv", "region,persons,source,as_of\n".encode("utf-16"), "UTF-8"),
    ("lf.xlsx", _formula_workbook(), "formula"),
    ("lf.xlsx", not_a_zip(), "damaged"),
    ("lf.xlsx", shared_string_out_of_range(workbook([HEADER, GOOD_ROW]), "C2"), "readable"),
    ("lf.xlsx", edit_cell(workbook([HEADER, GOOD_ROW]), "B2", '<c r="B2" t="e"><v>#REF!</v></c>'), "error"),
    ("lf.txt", b"hello", ".xlsx"),
])
def test_a_bad_file_records_nothing_and_says_where(cast, name, content, says):
    client = cast.client(cast.analyst)
    response = upload(client, name, content)
    assert response.status_code in (200, 400)
    assert says in response.content.decode()
    assert not LabourForce.objects.exists()


def test_the_pages_render_in_russian_and_kazakh(cast, occupations):
    build(cast, occupations)
    s = scenario(cast)
    for lang, words in (("ru", ("Название сценария", "Республиканский резерв", "Регионы, всего")),
                        ("kk", ("Сценарийдің атауы", "Республикалық резерв", "Өңірлер, барлығы"))):
        client = cast.client(cast.analyst, lang=lang)
        body = client.get(f"/ministry/quota/2027/scenarios/{s.pk}/").content.decode()
        assert all(w in body for w in words), lang
        assert "Сценари" in client.get("/ministry/quota/2027/scenarios/").content.decode()


def test_the_dashboard_shows_the_quota_panel_and_the_nav_entry(cast, occupations):
    build(cast, occupations)
    scenario(cast)
    body = cast.client(cast.analyst).get("/dashboard/").content.decode()
    assert 'data-testid="quota-panel"' in body and 'href="/ministry/quota/"' in body
    assert 'data-testid="quota-panel"' not in cast.client(cast.akimat_officer).get("/dashboard/").content.decode()


@pytest.mark.parametrize("page", ["scenarios/", "scenarios/compare/"])
def test_the_list_and_compare_pages_run_as_many_queries_for_ten_scenarios_as_for_one(cast, occupations, page):
    from allocation.quota_compute import Adjustment
    from tests.queries import assert_same_query_count

    build(cast, occupations)
    client = cast.client(cast.analyst)

    def add(i):
        name = f"Сценарий {i:02d}"
        scenario(cast, name=name, adjustments=[Adjustment(cast.astana.pk, "3", -1, "Проверка")])
        return name

    assert_same_query_count(add, lambda: client.get(f"/ministry/quota/2027/{page}"), label=page)
