"""The Ministry's national view (issue 10): every region's status, totals by region x category from
the latest sent versions, read-only drill-down (versions, diff, sessions and signed protocols, an
organization's decided lines), employers across regions, the dashboard panel; only the Ministry."""
from __future__ import annotations

import pytest
from django.utils import translation

from allocation.models import Annex2Row, SubmissionVersion
from quota_portal.core.models import Region
from tests.conftest import Cast
from tests.queries import assert_same_query_count

from .national_data import (
    RowSpec,
    VersionSpec,
    build_national,
    make_decided_application,
    make_org,
    make_session,
    send_version,
)

BASE = "/ministry/national"


@pytest.fixture(autouse=True)
def _english(settings, monkeypatch):
    """Assertions read the English msgids, whether or not the ru/kk catalogues are compiled."""
    settings.LANGUAGE_CODE = "en"
    cookie = settings.LANGUAGE_COOKIE_NAME
    original = Cast.client

    def client(self, user):
        c = original(self, user)
        c.cookies[cookie] = "en"
        return c

    monkeypatch.setattr(Cast, "client", client)
    with translation.override("en"):
        yield


@pytest.fixture
def nat(cast, occupations):
    return build_national(cast, occupations)


def rows_by_code(response):
    return {r["region"].code: r for r in response.context["rows"]}


# --- who may see it --------------------------------------------------------------------------------

def urls(cast, nat) -> list[str]:
    y, code = cast.campaign.year, cast.astana.code
    return [f"{BASE}/", f"{BASE}/{y}/", f"{BASE}/{y}/employers/", f"{BASE}/{y}/regions/{code}/",
            f"{BASE}/{y}/regions/{code}/v1/", f"{BASE}/{y}/regions/{nat.third.code}/diff/1-2/",
            f"{BASE}/{y}/regions/{code}/organizations/{cast.org.pk}/", f"{BASE}/protocols/{nat.s_astana.pk}.pdf"]


NOT_MINISTRY = ("employer", "employer_editor", "employer_viewer", "employer2", "akimat_officer", "secretary",
                "member", "akimat_officer_atyrau", "secretary_atyrau", "central_officer", "outsider")


@pytest.mark.django_db
def test_every_role_but_the_ministry_gets_404_on_every_url(cast, nat):
    for name in NOT_MINISTRY:
        client = cast.client(getattr(cast, name))
        for url in urls(cast, nat):
            assert client.get(url).status_code == 404, (name, url)
    anonymous = cast.client(None)
    for url in urls(cast, nat):
        response = anonymous.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["analyst", "approver"])
def test_the_ministry_reads_every_url(cast, nat, who):
    client = cast.client(getattr(cast, who))
    for url in urls(cast, nat):
        response = client.get(url, follow=True)
        assert response.status_code == 200, url


@pytest.mark.django_db
def test_the_pages_change_nothing_on_post(cast, nat):
    client = cast.client(cast.analyst)
    before = SubmissionVersion.objects.count()
    for url in urls(cast, nat)[1:-1]:
        assert client.post(url).status_code in (200, 405)
    assert SubmissionVersion.objects.count() == before


# --- statuses and totals --------------------------------------------------------------------------

@pytest.mark.django_db
def test_each_region_shows_its_status_with_the_latest_version(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/{cast.campaign.year}/")
    rows = rows_by_code(response)
    assert len(rows) == 20
    assert rows[cast.astana.code]["status"] == "sent"
    assert rows[cast.atyrau.code]["status"] == "late"
    assert rows[nat.third.code]["status"] == "resent"
    assert rows[nat.fourth.code]["status"] == "draft"
    others = [r for code, r in rows.items() if code not in {cast.astana.code, cast.atyrau.code, nat.third.code,
                                                             nat.fourth.code}]
    assert {r["status"] for r in others} == {"not_started"}
    # 25 Nov 2026 is after the 1 Nov deadline: a region that sent nothing is overdue.
    assert all(r["overdue"] for r in others) and rows[nat.fourth.code]["overdue"]
    assert rows[nat.third.code]["latest"]["number"] == 2
    assert rows[cast.atyrau.code]["latest"]["sent_by_name"] == cast.akimat_officer_atyrau.full_name
    body = response.content.decode()
    for status in ("not_started", "draft", "sent", "late", "resent"):
        assert f'data-status="{status}"' in body
    assert response.context["counts"] == {"regions": 20, "sent": 3, "late": 1, "resent": 1, "draft": 1,
                                          "not_started": 16, "overdue": 17}


@pytest.mark.django_db
def test_a_late_resend_after_an_on_time_first_sending_is_resent_not_late(cast, nat, occupations):
    send_version(region=cast.astana, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(
        number=2, reason="Уточнение", is_late=True, late_reason="после срока",
        rows=[RowSpec(cast.org, [("3", occupations.o2142, 5)])]))
    rows = rows_by_code(cast.client(cast.analyst).get(f"{BASE}/{cast.campaign.year}/"))
    assert rows[cast.astana.code]["status"] == "resent" and not rows[cast.astana.code]["first_late"]


@pytest.mark.django_db
def test_totals_equal_the_sums_of_the_frozen_rows_of_the_latest_versions(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/{cast.campaign.year}/")
    rows = rows_by_code(response)
    fields = ("cat1", "cat2", "cat3", "cat4", "seasonal")
    national = dict.fromkeys((*fields, "total"), 0)
    for region in (cast.astana, cast.atyrau, nat.third):
        latest = SubmissionVersion.objects.filter(region=region, campaign=cast.campaign).order_by("-number").first()
        frozen = list(Annex2Row.objects.filter(version=latest))
        expected = {f: sum(getattr(r, f) for r in frozen) for f in fields}
        expected["total"] = sum(expected.values())
        got = rows[region.code]["totals"]
        assert {k: got[k] for k in expected} == expected, region
        assert got["total"] == latest.total_need
        for k in national:
            national[k] += expected[k]
    # Known figures: Astana 5+8, Atyrau 1+15+4, the third region's v2 8+3 (v1 is not counted).
    assert rows[cast.astana.code]["totals"]["total"] == 13
    assert rows[cast.atyrau.code]["totals"]["total"] == 20
    assert rows[nat.third.code]["totals"]["total"] == 11
    assert rows[cast.atyrau.code]["totals"]["labour_immigrants"] == 7
    assert rows[cast.atyrau.code]["totals"]["countries"] == 5
    assert rows[nat.fourth.code]["totals"] is None
    assert {k: response.context["national"][k] for k in national} == national
    assert response.context["national"]["labour_immigrants"] == 47
    assert 'data-testid="national-total"' in response.content.decode()


@pytest.mark.django_db
def test_the_year_switch_shows_another_campaign(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/{cast.next_campaign.year}/")
    assert {r["status"] for r in response.context["rows"]} == {"not_started"}
    assert not any(r["overdue"] for r in response.context["rows"])  # the 2028 deadline is a year away
    body = response.content.decode()
    assert f'href="{BASE}/2027/"' in body and f'href="{BASE}/2028/"' in body
    assert cast.client(cast.analyst).get(f"{BASE}/1999/").status_code == 404


@pytest.mark.django_db
def test_the_current_url_opens_the_working_campaign(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/2027/"


# --- drill-down -------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_region_page_lists_versions_sessions_and_organizations(cast, nat):
    client = cast.client(cast.analyst)
    body = client.get(f"{BASE}/2027/regions/{nat.third.code}/").content.decode()
    assert "Исправлено решение по протоколу №4" in body
    assert f"{BASE}/2027/regions/{nat.third.code}/diff/1-2/" in body
    response = client.get(f"{BASE}/2027/regions/{cast.atyrau.code}/")
    body = response.content.decode()
    assert "Протокол подписан 30 октября" in body and "late" in body
    assert cast.akimat_officer_atyrau.full_name in body
    response = client.get(f"{BASE}/2027/regions/{cast.astana.code}/")
    body = response.content.decode()
    # Signed protocols are offered as PDF; the unsigned session is listed without one.
    assert f"{BASE}/protocols/{nat.s_astana.pk}.pdf" in body
    assert f"{BASE}/protocols/{nat.s_astana_2.pk}.pdf" not in body
    assert len(response.context["sessions"]) == 3
    org_row = response.context["organizations"][0]
    assert org_row["organization"] == cast.org and org_row["requested"] == 15 and org_row["approved"] == 13


@pytest.mark.django_db
def test_a_version_shows_its_frozen_annexes(cast, nat):
    client = cast.client(cast.analyst)
    response = client.get(f"{BASE}/2027/regions/{cast.atyrau.code}/v1/")
    body = response.content.decode()
    assert cast.org.name in body and cast.org2.name in body
    assert "1120" in body and "9211" in body  # the occupations inside the category cells
    assert response.context["totals"]["total"] == 20
    assert "Страна Зет" in body and "Соглашение от 01.01.2020" in body
    assert response.context["annex4_totals"]["total"] == 5
    body = client.get(f"{BASE}/2027/regions/{cast.astana.code}/v1/").content.decode()
    assert 'data-testid="annex4-empty"' in body
    assert client.get(f"{BASE}/2027/regions/{cast.astana.code}/v2/").status_code == 404
    assert client.get(f"{BASE}/2027/regions/000000000/v1/").status_code == 404


@pytest.mark.django_db
def test_the_diff_lists_rows_added_removed_and_changed_and_the_totals(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/2027/regions/{nat.third.code}/diff/1-2/")
    diff = response.context["diff"]
    assert [r["organization_name"] for r in diff["added"]] == [nat.b.name]
    assert [r["organization_name"] for r in diff["removed"]] == [nat.c.name]
    assert len(diff["changed"]) == 1
    changed = diff["changed"][0]
    assert changed["organization_name"] == nat.a.name
    assert changed["fields"] == [{"field": "cat4", "before": 10, "after": 8, "delta": -2}]
    assert changed["lines"] == [{"category": "4", "occupation": "7212", "specialty": "", "before": 10, "after": 8}]
    assert changed["justification_changed"]
    totals = {t["field"]: t for t in diff["totals"]}
    assert (totals["cat1"]["before"], totals["cat1"]["after"]) == (2, 0)
    assert (totals["cat3"]["before"], totals["cat3"]["after"]) == (0, 3)
    assert (totals["total"]["before"], totals["total"]["after"], totals["total"]["delta"]) == (12, 11, -1)
    body = response.content.decode()
    assert nat.b.name in body and nat.c.name in body and "Исправлено решение по протоколу №4" in body
    client = cast.client(cast.analyst)
    assert client.get(f"{BASE}/2027/regions/{nat.third.code}/diff/1-1/").status_code == 404
    assert client.get(f"{BASE}/2027/regions/{nat.third.code}/diff/1-3/").status_code == 404


@pytest.mark.django_db
def test_the_ministry_downloads_a_signed_protocol_and_not_an_unsigned_one(cast, nat):
    client = cast.client(cast.analyst)
    response = client.get(f"{BASE}/protocols/{nat.s_atyrau.pk}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content if response.streaming else [response.content]).startswith(b"%PDF")
    assert client.get(f"{BASE}/protocols/{nat.s_astana_2.pk}.pdf").status_code == 404


@pytest.mark.django_db
def test_an_organizations_decided_lines_show_the_correction_as_current(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/2027/regions/{cast.astana.code}/organizations/{cast.org.pk}/")
    decisions = response.context["decisions"]
    assert [d.pk for d in decisions] == [nat.correction.pk, nat.first.pk]
    assert decisions[0].approved_total == 13 and decisions[1].approved_total == 11
    body = response.content.decode()
    assert "current decision" in body and "superseded" in body and "Есть безработные" in body
    # An organization that did not apply in the region: 404.
    assert cast.client(cast.analyst).get(
        f"{BASE}/2027/regions/{cast.astana.code}/organizations/{cast.org2.pk}/").status_code == 404


# --- employers across regions ------------------------------------------------------------------------

@pytest.mark.django_db
def test_an_employer_in_several_regions_appears_once_with_each_regions_figures(cast, nat):
    response = cast.client(cast.analyst).get(f"{BASE}/2027/employers/", {"q": cast.org.bin_iin})
    rows = response.context["rows"]
    assert [r["organization"] for r in rows] == [cast.org]
    by_region = {r["region"].code: r for r in rows[0]["regions"]}
    assert set(by_region) == {cast.astana.code, cast.atyrau.code}
    astana, atyrau = by_region[cast.astana.code], by_region[cast.atyrau.code]
    assert (astana["requested"]["cat3"], astana["requested"]["cat4"], astana["requested"]["total"]) == (5, 10, 15)
    # The correction is the current decision: 8 of 10 in category 4, not the 6 it replaced.
    assert (astana["approved"]["cat3"], astana["approved"]["cat4"], astana["approved"]["total"]) == (5, 8, 13)
    assert (atyrau["requested"]["cat1"], atyrau["requested"]["seasonal"]) == (1, 20)
    assert (atyrau["approved"]["cat1"], atyrau["approved"]["seasonal"], atyrau["approved"]["total"]) == (1, 15, 16)
    assert rows[0]["organization"].regions_count == 2
    assert response.content.decode().count(f'data-bin="{cast.org.bin_iin}"') == 1


@pytest.mark.django_db
def test_the_employers_view_searches_by_name_and_filters_several_regions(cast, nat):
    client = cast.client(cast.analyst)
    found = client.get(f"{BASE}/2027/employers/", {"q": "Мунай"}).context["rows"]
    assert [r["organization"] for r in found] == [cast.org2]
    several = client.get(f"{BASE}/2027/employers/", {"several": "1"}).context["rows"]
    assert [r["organization"] for r in several] == [cast.org]
    everyone = client.get(f"{BASE}/2027/employers/").context["rows"]
    assert {r["organization"] for r in everyone} == {cast.org, cast.org2}
    assert client.get(f"{BASE}/2027/employers/", {"q": "Ы" * 500, "page": "x"}).status_code == 200


@pytest.mark.django_db
def test_the_employers_view_is_paginated(cast, occupations):
    session = make_session(region=cast.astana, campaign=cast.campaign, actor=cast.secretary)
    for i in range(30):
        make_decided_application(org=make_org(100 + i, region=cast.astana), region=cast.astana,
                                 campaign=cast.campaign, actor=cast.secretary, session=session,
                                 lines=[("3", occupations.o2142, 2, 1)])
    client = cast.client(cast.analyst)
    first = client.get(f"{BASE}/2027/employers/")
    assert len(first.context["rows"]) == 25 and first.context["page"].paginator.count == 30
    second = client.get(f"{BASE}/2027/employers/", {"page": "2"})
    assert len(second.context["rows"]) == 5
    assert not {r["organization"].pk for r in first.context["rows"]} & {r["organization"].pk
                                                                        for r in second.context["rows"]}


# --- dashboard ---------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_ministry_dashboard_counts_regions_and_links_to_the_view(cast, nat):
    body = cast.client(cast.analyst).get("/dashboard/").content.decode()
    assert 'data-testid="national-panel"' in body
    assert f'href="{BASE}/2027/"' in body
    panel = body.split('data-testid="national-panel"')[1]
    for testid, n in (("sent", 3), ("late", 1), ("draft", 1), ("not-started", 16)):
        chunk = panel.split(f'data-testid="national-panel-{testid}"')[1]
        assert '<div class="fs-4' in chunk and f">{n}</div>" in chunk.split("</div>")[0] + "</div>", testid
    other = cast.client(cast.akimat_officer).get("/dashboard/").content.decode()
    assert 'data-testid="national-panel"' not in other


# --- query counts --------------------------------------------------------------------------------------

@pytest.mark.django_db
def test_the_national_page_runs_as_many_queries_for_ten_regions_as_for_one(cast, occupations):
    regions = list(Region.objects.order_by("code")[:10])
    client = cast.client(cast.analyst)

    def add_row(i):
        region = regions[i]
        org = make_org(200 + i, region=region)
        send_version(region=region, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(
            rows=[RowSpec(org, [("3", occupations.o2142, 1 + i)])], is_late=bool(i % 2)))
        send_version(region=region, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(
            number=2, reason=f"reason {i}", rows=[RowSpec(org, [("4", occupations.o7212, 2 + i)])]))
        return cast.akimat_officer.full_name

    assert_same_query_count(add_row, lambda: client.get(f"{BASE}/2027/"), label="national view")


@pytest.mark.django_db
def test_the_employers_page_runs_as_many_queries_for_ten_organizations_as_for_one(cast, occupations):
    sessions = {r.pk: make_session(region=r, campaign=cast.campaign, actor=cast.secretary)
                for r in (cast.astana, cast.atyrau)}
    client = cast.client(cast.analyst)

    def add_row(i):
        org = make_org(300 + i, region=cast.astana)
        for region in (cast.astana, cast.atyrau):
            make_decided_application(org=org, region=region, campaign=cast.campaign, actor=cast.secretary,
                                     session=sessions[region.pk], lines=[("3", occupations.o2142, 3, 2),
                                                                         ("S", occupations.o9211, 4, 4)])
        return org.bin_iin

    assert_same_query_count(add_row, lambda: client.get(f"{BASE}/2027/employers/"), label="employers view")


@pytest.mark.django_db
def test_the_region_and_version_pages_run_as_many_queries_for_ten_organizations_as_for_one(cast, occupations):
    session = make_session(region=cast.astana, campaign=cast.campaign, actor=cast.secretary)
    client = cast.client(cast.analyst)
    orgs: list = []

    def add_row(_i):
        # Each page's check calls add_row from 0 again: number the organizations by those made so far.
        org = make_org(400 + len(orgs), region=cast.astana)
        make_decided_application(org=org, region=cast.astana, campaign=cast.campaign, actor=cast.secretary,
                                 session=session,
                                 lines=[("3", occupations.o2142, 3, 2), ("4", occupations.o7212, 1, 1)])
        orgs.append(org)
        SubmissionVersion.objects.filter(region=cast.astana).delete()
        for number in (1, 2):
            # v1 -> v2: every organization changed (category 3: 3 -> 2), so the diff lists each.
            send_version(region=cast.astana, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(
                number=number, rows=[RowSpec(o, [("3", occupations.o2142, 4 - number), ("4", occupations.o7212, 1)])
                                     for o in orgs]))
        return org.name

    assert_same_query_count(add_row, lambda: client.get(f"{BASE}/2027/regions/{cast.astana.code}/"),
                            label="region page")
    assert_same_query_count(add_row, lambda: client.get(f"{BASE}/2027/regions/{cast.astana.code}/v2/"),
                            label="version page")
    assert_same_query_count(add_row, lambda: client.get(f"{BASE}/2027/regions/{cast.astana.code}/diff/1-2/"),
                            label="diff page")


@pytest.mark.django_db
def test_the_submissions_page_of_a_region_leads_to_the_national_one_which_links_each_versions_files(cast, nat):
    client = cast.client(cast.analyst)
    response = client.get(f"/ministry/submissions/2027/{nat.third.code}/")
    assert response.status_code == 302 and response["Location"] == f"{BASE}/2027/regions/{nat.third.code}/"
    body = client.get(response["Location"]).content.decode()
    assert f'href="/ministry/submissions/2027/{nat.third.code}/v2/"' in body
    assert cast.client(cast.outsider).get(f"/ministry/submissions/2027/{nat.third.code}/").status_code == 404


def test_the_national_view_has_no_selectors_of_its_own_for_what_the_submissions_compute():
    from allocation import national_selectors

    for name in ("region_status", "national_totals", "latest_versions", "version_diff"):
        assert not hasattr(national_selectors, name), name
