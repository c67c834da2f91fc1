"""Publishing the quota (Rules p.19; allocation/publication_*): the canonical JSON and its schema, the
files agreeing with each other and with the database, the signed decision PDF, the public pages
without login showing only published versions, ETag / 304, and the approver's pages through HTTP."""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import subprocess
from dataclasses import replace

import pytest
import time_machine
from django.urls import reverse
from jsonschema import Draft202012Validator, FormatChecker
from openpyxl import load_workbook

from allocation.publication_content import CONTRACT_CATEGORIES
from allocation.publication_schema import SCHEMA
from allocation.quota_models import Component, Distribution, DistributionCell, DistributionStatus
from allocation.quota_services import (
    create_version,
    distribution_approve,
    distribution_propose,
    distribution_publish,
)
from quota_portal.core.models import Country, Role
from quota_portal.core.scoping import PUBLIC, activate
from quota_portal.core.signing import verify_pdf

from ..conftest import add_membership, almaty, make_user
from .quota_helpers import small_figures

S = DistributionStatus
YEAR = 2027


@pytest.fixture
def uz(db):
    country, _ = Country.objects.update_or_create(alpha2="UZ", defaults={
        "name_ru": "Узбекистан", "name_kk": "Өзбекстан", "name_en": "Uzbekistan", "has_ratified_treaty": True})
    return country


def figures(cast, uz, **kwargs):
    base = small_figures(cast, **kwargs)
    countries = {(cast.astana.pk, uz.pk): 30, (cast.atyrau.pk, uz.pk): 12}
    return replace(base, countries=countries, countries_total=42, countries_computed=42,
                   countries_percent=base.countries_percent)


def propose(cast, uz, **kwargs) -> Distribution:
    return distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=figures(cast, uz, **kwargs),
                                reason="From the regions' annexes")


def publish(cast, uz, **kwargs) -> Distribution:
    approved = distribution_approve(actor=cast.approver, distribution=propose(cast, uz, **kwargs))
    return distribution_publish(actor=cast.approver, distribution=approved)


def publish_version_2(cast, v1: Distribution) -> Distribution:
    """A redistribution's result as allocation.redistribution_services makes it: an APPROVED version
    derived from the published one, then distribution_publish (20 of category 3 Atyrau -> Astana)."""
    base = figures(cast, Country.objects.get(alpha2="UZ"))
    moved = dict(base.permits)
    moved[(cast.astana.pk, "3")] += 20
    moved[(cast.atyrau.pk, "3")] -= 20
    version = create_version(actor=cast.analyst, campaign=cast.campaign, figures=replace(base, permits=moved),
                             reason="Redistribution: 20 of category 3 from Atyrau to Astana", status=S.APPROVED,
                             previous=v1)
    Distribution.objects.filter(pk=version.pk).update(approved_by=cast.approver)
    version.refresh_from_db()
    return distribution_publish(actor=cast.approver, distribution=version)


def anonymous(client_factory):
    return client_factory(None)


def get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return json.loads(response.content)


# --- the canonical JSON --------------------------------------------------------------------------

def test_publishing_stores_the_canonical_json_its_hash_and_a_signed_decision(cast, uz):
    published = publish(cast, uz)
    assert published.published_json and published.decision_pdf.name
    data = published.published_json.encode("utf-8")
    assert published.content_sha256 == hashlib.sha256(data).hexdigest()
    content = json.loads(data)
    Draft202012Validator(SCHEMA, format_checker=FormatChecker()).validate(content)
    assert set(content) == {"year", "version", "published_at", "labour_force", "permits", "labour_immigrants",
                            "regions", "versions"}
    assert (content["year"], content["version"], content["labour_force"]) == (YEAR, 1, 9_720_000)
    assert content["published_at"].endswith("+05:00")
    assert dt.datetime.fromisoformat(content["published_at"]) == published.published_at.replace(microsecond=0)
    assert content["permits"]["percent_of_labour_force"] == "0.25"
    assert content["labour_immigrants"] == {"percent_of_labour_force": "2.9", "total": 120}
    assert content["versions"] == [{"version": 1, "published_at": content["published_at"],
                                    "reason": "From the regions' annexes"}]


def test_the_json_sums_hold_as_the_contract_states_and_match_the_cells(cast, uz):
    published = publish(cast, uz, reserve=7)
    content = json.loads(published.published_json)
    p = content["permits"]
    for c in CONTRACT_CATEGORIES:
        assert p["by_category"][c] == sum(r["permits"][c] for r in content["regions"])
    assert p["total"] == sum(p["by_category"].values()) + p["reserve"] == published.permits_total
    assert p["reserve"] == 7
    for region in content["regions"]:
        assert region["permits"]["total"] == sum(region["permits"][c] for c in CONTRACT_CATEGORIES)
    cells = DistributionCell.objects.filter(distribution=published)
    astana = next(r for r in content["regions"] if r["code"] == cast.astana.code)
    assert astana["name"] == {"kk": cast.astana.name_kk, "ru": cast.astana.name_ru, "en": cast.astana.name_en}
    assert astana["permits"]["3"] == cells.get(region=cast.astana, component=Component.PERMITS, category="3").count
    assert astana["permits"]["seasonal"] == 5
    assert astana["labour_immigrants"] == 50 and astana["countries"] == {"UZ": 30}


def test_a_published_version_keeps_its_content_when_version_2_is_published(cast, uz):
    v1 = publish(cast, uz)
    before = (v1.published_json, v1.content_sha256)
    v2 = publish_version_2(cast, v1)
    v1.refresh_from_db()
    assert (v1.published_json, v1.content_sha256) == before
    content = json.loads(v2.published_json)
    assert content["version"] == 2 and [v["version"] for v in content["versions"]] == [1, 2]
    assert content["permits"]["total"] == json.loads(v1.published_json)["permits"]["total"]


# --- the public files agree ------------------------------------------------------------------------

def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def _pdf_text(data: bytes) -> str:
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return done.stdout.decode()


def test_json_csv_xlsx_and_pdf_carry_the_same_numbers_as_the_database(cast, uz):
    published = publish(cast, uz, reserve=7)
    client = anonymous(cast.client)
    content = get_json(client, f"/public/quota/{YEAR}.json")
    assert content == json.loads(published.published_json)

    rows = _csv_rows(client.get(f"/public/quota/{YEAR}.csv").content)
    header, body = rows[0], rows[1:]
    assert header[:2] == ["Код КАТО", "Регион"] and header[-1].endswith("Узбекистан")
    by_code = {r[0]: r for r in body if r[0]}
    for region in content["regions"]:
        row = by_code[region["code"]]
        assert [int(x) for x in row[2:8]] == [*[region["permits"][c] for c in CONTRACT_CATEGORIES],
                                              region["permits"]["total"]]
        assert int(row[8]) == region["labour_immigrants"] and int(row[9]) == region["countries"].get("UZ", 0)
    assert sum(int(r[7]) for r in body) == content["permits"]["total"]  # the reserve row included

    wb = load_workbook(io.BytesIO(client.get(f"/public/quota/{YEAR}.xlsx").content))
    ws = wb.active
    values = [list(r) for r in ws.iter_rows(values_only=True)]
    data_rows = [r for r in values if isinstance(r[0], str) and r[0].isdigit() and len(r[0]) == 9]
    assert len(data_rows) == len(content["regions"])
    for r in data_rows:
        region = next(x for x in content["regions"] if x["code"] == r[0])
        assert list(r[2:8]) == [*[region["permits"][c] for c in CONTRACT_CATEGORIES], region["permits"]["total"]]
        assert all(isinstance(v, int) for v in r[2:10])
    totals = next(r for r in values if r[1] == "Итого")
    assert list(totals[2:8]) == [*[content["permits"]["by_category"][c] for c in CONTRACT_CATEGORIES],
                                 content["permits"]["total"]]

    pdf = client.get(f"/public/quota/{YEAR}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = _pdf_text(pdf.content)
    assert "Решение о квоте" in text and published.content_sha256 in text.replace("\n", "").replace(" ", "")
    for region in content["regions"]:
        line = next(x for x in text.splitlines() if region["code"] in x)
        numbers = [int(n) for n in line.split() if n.isdigit() and n != region["code"]]
        assert numbers == [*[region["permits"][c] for c in CONTRACT_CATEGORIES], region["permits"]["total"],
                           region["labour_immigrants"]]


def test_the_decision_pdf_signature_verifies_and_a_tampered_copy_fails(cast, uz):
    publish(cast, uz)
    data = anonymous(cast.client).get(f"/public/quota/{YEAR}.pdf").content
    result = verify_pdf(data)
    assert result.ok, result.problem
    at = data.index(b"stream") + 100  # a byte of the page content, inside the signed range
    tampered = data[:at] + bytes([data[at] ^ 0x01]) + data[at + 1:]
    assert not verify_pdf(tampered).ok
    assert not verify_pdf(data + b"\n% appended after signing\n").covers_whole_document


def test_the_kazakh_decision_is_rendered_and_signed_on_request(cast, uz):
    publish(cast, uz)
    response = anonymous(cast.client).get(f"/public/quota/{YEAR}.pdf?lang=kk")
    assert response.status_code == 200
    assert verify_pdf(response.content).ok
    assert cast.astana.name_kk in _pdf_text(response.content)
    assert anonymous(cast.client).get(f"/public/quota/{YEAR}.pdf?lang=xx").status_code == 404


# --- the public pages ----------------------------------------------------------------------------

def test_nothing_is_public_before_publication_and_everything_after(cast, uz):
    client = anonymous(cast.client)
    proposal = propose(cast, uz)
    for url in [f"/public/quota/{YEAR}/", f"/public/quota/{YEAR}.json", f"/public/quota/{YEAR}.csv",
                f"/public/quota/{YEAR}.xlsx", f"/public/quota/{YEAR}.pdf"]:
        assert client.get(url).status_code == 404, url
    assert str(YEAR) not in client.get("/public/quota/").content.decode()
    approved = distribution_approve(actor=cast.approver, distribution=proposal)
    assert client.get(f"/public/quota/{YEAR}.json").status_code == 404
    with activate(PUBLIC):  # the scope rule itself: the public sees no unpublished row
        assert not Distribution.objects.filter(pk=approved.pk).exists()
        assert not DistributionCell.objects.filter(distribution_id=approved.pk).exists()
    distribution_publish(actor=cast.approver, distribution=approved)
    page = client.get(f"/public/quota/{YEAR}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert cast.astana.name_ru in html and "<svg" in html and 'data-testid="chart"' in html
    assert f'href="/public/quota/{YEAR}/"' in client.get("/public/quota/").content.decode()
    with activate(PUBLIC):
        assert DistributionCell.objects.filter(distribution_id=approved.pk).exists()


def test_an_akimat_or_employer_sees_the_public_pages_but_never_a_proposal(cast, uz):
    v1 = publish(cast, uz)
    v2 = publish_version_2(cast, v1)
    assert v2.number == 2
    for user in (cast.akimat_officer, cast.employer, cast.central_officer):
        client = cast.client(user)
        assert client.get(f"/public/quota/{YEAR}/").status_code == 200
        assert client.get(f"/public/quota/{YEAR}.json?version=3").status_code == 404


def test_an_earlier_version_stays_available_and_the_page_says_what_moved(cast, uz):
    v1 = publish(cast, uz)
    publish_version_2(cast, v1)
    client = anonymous(cast.client)
    assert get_json(client, f"/public/quota/{YEAR}.json")["version"] == 2
    first = get_json(client, f"/public/quota/{YEAR}.json?version=1")
    assert first == json.loads(v1.published_json)
    html = client.get(f"/public/quota/{YEAR}/").content.decode()
    assert "Redistribution: 20 of category 3 from Atyrau to Astana" in html
    assert "200 &rarr; 180" in html and "100 &rarr; 120" in html
    assert client.get(f"/public/quota/{YEAR}/?version=1").status_code == 200


@pytest.mark.parametrize("query", ["?version=3", "?version=0", "?version=-1", "?version=%D9%A1", "?version=1e3",
                                   "?version=" + "9" * 5000])
def test_an_unknown_or_malformed_version_is_not_found(cast, uz, query):
    publish(cast, uz)
    client = anonymous(cast.client)
    for fmt in ("json", "csv", "xlsx", "pdf"):
        assert client.get(f"/public/quota/{YEAR}.{fmt}{query}").status_code == 404
    assert client.get(f"/public/quota/{YEAR}/{query}").status_code == 404


def test_an_unknown_year_or_format_is_not_found(cast, uz):
    publish(cast, uz)
    client = anonymous(cast.client)
    assert client.get("/public/quota/2030.json").status_code == 404
    assert client.get("/public/quota/2030/").status_code == 404
    assert client.get(f"/public/quota/{YEAR}.exe").status_code == 404


def test_published_files_are_cacheable_with_an_etag_and_answer_304(cast, uz):
    published = publish(cast, uz)
    client = anonymous(cast.client)
    etags = set()
    for fmt in ("json", "csv", "xlsx", "pdf"):
        response = client.get(f"/public/quota/{YEAR}.{fmt}?version=1")
        etag = response["ETag"]
        assert published.content_sha256 in etag and fmt in etag
        assert response["Cache-Control"].startswith("public") and "immutable" in response["Cache-Control"]
        etags.add(etag)
        again = client.get(f"/public/quota/{YEAR}.{fmt}?version=1", HTTP_IF_NONE_MATCH=etag)
        assert again.status_code == 304 and again.content == b""
        other = client.get(f"/public/quota/{YEAR}.{fmt}?version=1", HTTP_IF_NONE_MATCH='"something-else"')
        assert other.status_code == 200
    assert len(etags) == 4
    latest = client.get(f"/public/quota/{YEAR}.json")
    assert latest["Cache-Control"] == "public, max-age=300"
    page = client.get(f"/public/quota/{YEAR}/")
    assert page["Cache-Control"].startswith("public")
    assert client.get(f"/public/quota/{YEAR}/", HTTP_IF_NONE_MATCH=page["ETag"]).status_code == 304
    # A logged-in reader's page carries their menu: never stored by a shared cache.
    assert cast.client(cast.employer).get(f"/public/quota/{YEAR}/")["Cache-Control"] == "no-store"


def test_the_schema_is_a_valid_draft_2020_12_schema_served_to_anyone(cast):
    response = anonymous(cast.client).get("/public/quota/schema.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/schema+json"
    schema = json.loads(response.content)
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema == json.loads(json.dumps(SCHEMA))


def test_the_schema_refuses_a_json_that_breaks_the_contract(cast, uz):
    content = json.loads(publish(cast, uz).published_json)
    validator = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
    for broken in ({**content, "extra": 1}, {**content, "published_at": "2026-11-25T10:00:00"},
                   {**content, "permits": {**content["permits"], "percent_of_labour_force": 0.25}},
                   {**content, "regions": [{**content["regions"][0], "code": "71"}]}):
        assert list(validator.iter_errors(broken))


# --- the Ministry's pages --------------------------------------------------------------------------

def url(distribution, action=""):
    base = f"/ministry/quota/{distribution.campaign.year}/distribution/{distribution.pk}/"
    return base + (f"{action}/" if action else "")


def test_the_approver_approves_with_the_day_and_publishes_through_http(cast, uz):
    proposal = propose(cast, uz)
    client = cast.client(cast.approver)
    page = client.get(url(proposal))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="approve-form"' in html and 'value="2026-11-25"' in html
    assert "From the regions&#x27; annexes" in html
    response = client.post(url(proposal, "approve"), {"revision": proposal.revision, "day": "2026-11-24",
                                                      "reason": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.APPROVED and proposal.distributed_on == dt.date(2026, 11, 24)
    html = client.get(url(proposal)).content.decode()
    # 24 Nov 2026 (Tuesday) + 3 working days = 27 Nov 2026.
    assert 'data-testid="publication-due"' in html and "27" in html and 'data-testid="publish"' in html
    response = client.post(url(proposal, "publish"), {"revision": proposal.revision})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED and proposal.number == 1 and proposal.content_sha256
    html = client.get(url(proposal)).content.decode()
    assert 'data-testid="published"' in html and f"/public/quota/{YEAR}.pdf?version=1" in html
    assert "labour_force&quot;" not in html  # the published JSON is not dumped into the history


def test_the_proposer_cannot_approve_their_own_proposal_through_http(cast, uz):
    both = make_user("both@example.kz")
    add_membership(both, Role.MINISTRY_APPROVER, authority=cast.ministry)  # acts as approver (the first)
    add_membership(both, Role.MINISTRY_ANALYST, authority=cast.ministry)
    proposal = distribution_propose(actor=both, campaign=cast.campaign, figures=figures(cast, uz), reason="Mine")
    client = cast.client(both)
    html = client.get(url(proposal)).content.decode()
    assert 'data-testid="own-proposal"' in html and 'data-testid="approve-form"' not in html
    response = client.post(url(proposal, "approve"), {"revision": proposal.revision, "day": "2026-11-25"})
    assert response.status_code == 200
    assert "Утверждает другой сотрудник: это предложение внесли вы сами." in response.content.decode()
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED
    response = client.post(url(proposal, "publish"), {"revision": proposal.revision})
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED


def test_the_approver_declines_with_a_reason_and_an_empty_reason_is_refused(cast, uz):
    proposal = propose(cast, uz)
    client = cast.client(cast.approver)
    response = client.post(url(proposal, "decline"), {"revision": proposal.revision, "reason": "   "})
    assert response.status_code == 200 and response.context["decline"].errors["reason"]
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED
    response = client.post(url(proposal, "decline"), {"revision": proposal.revision, "reason": "Too high for Atyrau"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == S.DECLINED and proposal.decline_reason == "Too high for Atyrau"
    assert "Too high for Atyrau" in cast.client(cast.analyst).get(url(proposal)).content.decode()


def test_the_analyst_withdraws_and_the_approver_cannot(cast, uz):
    proposal = propose(cast, uz)
    assert cast.client(cast.approver).post(url(proposal, "withdraw"), {"revision": 0}).status_code == 404
    assert 'data-testid="approve-form"' not in cast.client(cast.analyst).get(url(proposal)).content.decode()
    assert cast.client(cast.analyst).post(url(proposal, "approve"), {"revision": 0, "day": "2026-11-25"}
                                          ).status_code == 404
    response = cast.client(cast.analyst).post(url(proposal, "withdraw"), {"revision": proposal.revision})
    assert response.status_code == 302
    assert Distribution.objects.get(pk=proposal.pk).status == S.WITHDRAWN


@pytest.mark.parametrize("day", ["２０２６-11-25", "2026-13-01", "", "x" * 10000, "-2026-11-25", "2026-11-30"])
def test_a_bad_or_future_day_is_refused_on_its_field_and_kept(cast, uz, day):
    proposal = propose(cast, uz)
    response = cast.client(cast.approver).post(url(proposal, "approve"),
                                               {"revision": proposal.revision, "day": day, "reason": "Причина"})
    assert response.status_code == 200
    assert response.context["approve"].errors["day"]
    assert "Причина" in response.content.decode()
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED


def test_a_nul_in_the_reason_is_refused_without_a_server_error(cast, uz):
    proposal = propose(cast, uz)
    response = cast.client(cast.approver).post(url(proposal, "decline"),
                                               {"revision": proposal.revision, "reason": "bad\x00reason"})
    assert response.status_code in (200, 400)
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED


def test_a_late_distribution_needs_the_reason_for_the_delay(cast, uz):
    proposal = propose(cast, uz)
    with time_machine.travel(almaty(2027, 1, 6, 10), tick=True):
        client = cast.client(cast.approver)
        response = client.post(url(proposal, "approve"), {"revision": proposal.revision, "day": "2027-01-05"})
        assert response.status_code == 200 and response.context["approve"].errors["reason"]
        assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED
        response = client.post(url(proposal, "approve"), {"revision": proposal.revision, "day": "2027-01-05",
                                                          "reason": "Annexes of two regions came late"})
        assert response.status_code == 302
    assert Distribution.objects.get(pk=proposal.pk).status == S.APPROVED


def test_a_stale_revision_is_refused(cast, uz):
    proposal = propose(cast, uz)
    response = cast.client(cast.approver).post(url(proposal, "approve"),
                                               {"revision": proposal.revision + 1, "day": "2026-11-25"})
    assert response.status_code == 200 and response.context["approve"].non_field_errors()
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED


@pytest.mark.parametrize("who", ["akimat_officer", "central_officer", "employer", "secretary", "outsider"])
def test_every_ministry_page_is_refused_to_other_roles(cast, uz, who):
    proposal = propose(cast, uz)
    client = cast.client(getattr(cast, who))
    assert client.get("/ministry/quota/distribution/").status_code == 404
    assert client.get(url(proposal)).status_code == 404
    for action in ("approve", "decline", "withdraw", "publish"):
        assert client.post(url(proposal, action), {"revision": 0, "day": "2026-11-25", "reason": "x"}
                           ).status_code == 404
    assert Distribution.objects.get(pk=proposal.pk).status == S.PROPOSED


def test_anonymous_is_sent_to_the_login_page_for_ministry_pages(cast, uz):
    proposal = propose(cast, uz)
    for page in ("/ministry/quota/distribution/", url(proposal)):
        response = anonymous(cast.client).get(page)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_distribution_of_another_year_in_the_url_is_not_found(cast, uz):
    proposal = propose(cast, uz)
    assert cast.client(cast.approver).get(f"/ministry/quota/2028/distribution/{proposal.pk}/").status_code == 404


def test_the_list_and_the_dashboard_show_what_awaits_the_approver(cast, uz):
    proposal = propose(cast, uz)
    client = cast.client(cast.approver)
    assert url(proposal) in client.get(reverse("publication:list")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="publication-panel"' in dashboard and url(proposal) in dashboard


# --- the demo ---------------------------------------------------------------------------------------

def test_the_demo_publishes_the_2026_quota_with_the_real_national_figures(cast):
    from allocation import publication_demo

    analyst, approver = make_user("ministry@demo.kz"), make_user("approver@demo.kz")
    add_membership(analyst, Role.MINISTRY_ANALYST, authority=cast.ministry)
    add_membership(approver, Role.MINISTRY_APPROVER, authority=cast.ministry)
    out = io.StringIO()
    publication_demo.seed(stdout=out)
    assert "published as version 1" in out.getvalue()
    published = Distribution.objects.get(campaign__year=2026, status=S.PUBLISHED)
    content = json.loads(published.published_json)
    assert content["permits"]["by_category"] == {"1": 726, "2": 3402, "3": 5893, "4": 3131, "seasonal": 4994}
    assert content["permits"]["total"] == 18146 and len(content["regions"]) == 20
    assert content["labour_force"] == 9_720_000 and content["published_at"].startswith("2025-12-15T09:30")
    assert published.distributed_on == published.campaign.distributed_on == dt.date(2025, 12, 12)
    atyrau = next(r for r in content["regions"] if r["code"] == "230000000")
    astana = next(r for r in content["regions"] if r["code"] == "710000000")
    assert atyrau["permits"]["total"] > astana["permits"]["total"]  # the 2025 proportions
    assert published.proposed_by == analyst and published.published_by == approver
    assert verify_pdf(published.decision_pdf.open("rb").read()).ok
    publication_demo.seed(stdout=out)  # idempotent
    assert Distribution.objects.filter(campaign__year=2026).count() == 1


def test_the_public_year_page_makes_as_many_queries_for_two_versions_as_for_one(cast, uz):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    v1 = publish(cast, uz)
    client = anonymous(cast.client)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/public/quota/{YEAR}/").status_code == 200
        return len(queries)

    one = count()
    publish_version_2(cast, v1)
    assert count() == one
