"""Attacks on the Ministry's quota URLs (issue 11): the scenarios workspace, the distribution's review
and publication, the Ministry's redistribution and use pages, the public pages and files. Who gets
what on every URL is the project's access matrix (tests/test_access_matrix.py, filling these URLs with
`_target`); here: the unpublished year, hostile input on every quota form and query string, crafted
uploads on the two imports (labour force, permits), and two approvers publishing the same proposal."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import translation

from allocation import redistribution_use as use
from allocation.quota_models import Distribution, DistributionStatus, LabourForce, PermitUse, Redistribution, Scenario
from allocation.quota_services import distribution_approve, distribution_propose, distribution_publish
from quota_portal.core import calendar
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Authority, Role
from quota_portal.core.scoping import system_scope
from tests.conftest import add_membership, almaty, make_user
from tests.xlsx_files import (
    edit_cell,
    huge_text_bomb,
    long_text,
    not_a_zip,
    rezip,
    shared_string_out_of_range,
    with_part,
    workbook,
)

from .quota_helpers import small_figures
from .redistribution_helpers import ask, publish_version_1
from .scenario_data import build, scenario

pytestmark = pytest.mark.django_db

ROLES = ("employer", "employer_editor", "employer_viewer", "employer2", "akimat_officer", "secretary", "member",
         "akimat_officer_atyrau", "secretary_atyrau", "central_officer", "central_officer2", "analyst", "approver",
         "approver2", "outsider", "anonymous")
AKIMAT, AKIMAT2, CENTRAL, CENTRAL2 = "akimat_officer", "akimat_officer_atyrau", "central_officer", "central_officer2"
MINISTRY = ("analyst", "approver", "approver2")
EVERYONE = dict.fromkeys(ROLES, 200)
# Texts only some may read: the proposed (unpublished) 2028 distribution's reason; the central body's
# request's reason; Astana's permit reference.
SECRET_PROPOSAL, PROPOSAL_READERS = "Секретное предложение 2028", set(MINISTRY)
CENTRAL_REASON, CENTRAL_READERS = "Резерв для Атырау от ЦГО", {CENTRAL, AKIMAT2, *MINISTRY}
PERMIT_REF, PERMIT_READERS = "РАЗР-АСТАНА-777", {AKIMAT}


# --- the world ------------------------------------------------------------------------------------

class World:
    pass


@pytest.fixture
def world(cast, occupations):
    """2027: the labour force, two scenarios, version 1 published, a request of Astana's akimat and one
    of the central body, Astana's permits used. 2028: a proposal awaiting an approver."""
    w = World()
    w.cast = cast
    central2 = Authority.objects.filter(kind=Authority.Kind.CENTRAL).exclude(pk=cast.central_body.pk).order_by(
        "pk").first()
    cast.central_officer2 = make_user("central2@example.kz")
    add_membership(cast.central_officer2, Role.CENTRAL_OFFICER, authority=central2)
    cast.approver2 = make_user("approver2@example.kz")
    add_membership(cast.approver2, Role.MINISTRY_APPROVER, authority=cast.approver.memberships.get().authority)
    build(cast, occupations)
    w.scenario = scenario(cast)
    w.scenario2 = scenario(cast, name="Второй", reserve=3)
    w.v1 = publish_version_1(cast)
    w.asked = ask(cast)  # Astana -> Atyrau, by Astana's akimat
    w.central_ask = ask(cast, n=5, from_region=None, actor=cast.central_officer, authority=cast.central_body,
                        reason=CENTRAL_REASON)
    with time_machine.travel(almaty(2027, 2, 10, 12), tick=False):  # 2027's permits are issued in 2027
        w.permit, _near = use.permit_record(actor=cast.akimat_officer, campaign=cast.campaign, region=cast.astana,
                                            category="3", count=3, issued_on=dt.date(2027, 2, 1),
                                            reference=PERMIT_REF)
    w.proposed = distribution_propose(actor=cast.analyst, campaign=cast.next_campaign, figures=small_figures(cast),
                                      reason=SECRET_PROPOSAL)
    return w


def _client(cast, role):
    return cast.client(None if role == "anonymous" else getattr(cast, role))


def scenario_form(**extra) -> dict:
    data = {"name": "Сценарий А", "method": "webster", "permits_percent": "0,0005", "permits_total_override": "",
            "permits_override_reason": "", "reserve": "2", "countries_percent": "0", "countries_total_override": "",
            "countries_override_reason": "", "immigrants_percent": "0.0004", "immigrants_total_override": "",
            "immigrants_override_reason": "", "notes": "", "revision": "",
            "adj-TOTAL_FORMS": "1", "adj-INITIAL_FORMS": "0", "adj-MIN_NUM_FORMS": "0", "adj-MAX_NUM_FORMS": "40",
            "adj-0-region": "", "adj-0-category": "", "adj-0-delta": "", "adj-0-reason": ""}
    data.update(extra)
    return data


def _target(w, name: str) -> tuple[str, dict]:
    """The URL of `name` on the world's objects, and a valid POST."""
    y, s, d = w.cast.campaign.year, w.scenario, w.proposed
    ny = d.campaign.year
    table = {
        "quota:home": ([], {}),
        "quota:labour_force": ([y], {"region": "", "persons": "9800000", "source": "stat.gov.kz",
                                     "as_of": "2026-01-01"}),
        "quota:labour_force_import": ([y], {}),
        "quota:labour_force_template": ([y], {}),
        "quota:picture": ([y], {}),
        "quota:scenarios": ([y], {}),
        "quota:scenario_new": ([y], scenario_form()),
        "quota:scenario_preview": ([y], scenario_form()),
        "quota:compare": ([y], {}),
        "quota:scenario": ([y, s.pk], scenario_form(revision=str(s.revision))),
        "quota:scenario_copy": ([y, s.pk], {}),
        "quota:scenario_delete": ([y, s.pk], {"revision": s.revision}),
        "quota:scenario_propose": ([y, s.pk], {"reason": "Из приложений регионов"}),
        "publication:list": ([], {}),
        "publication:detail": ([ny, d.pk], {}),
        "publication:approve": ([ny, d.pk], {"revision": d.revision, "day": calendar.local_today().isoformat(),
                                                "reason": "поздно"}),
        "publication:decline": ([ny, d.pk], {"revision": d.revision, "reason": "Пересчитать"}),
        "publication:withdraw": ([ny, d.pk], {"revision": d.revision}),
        "publication:publish": ([ny, d.pk], {"revision": d.revision}),
        "redistribution:queue_current": ([], {}),
        "redistribution:use_current": ([], {}),
        "redistribution:queue": ([y], {}),
        "redistribution:use": ([y], {}),
        "public_quota:index": ([], {}),
        "public_quota:schema": ([], {}),
        "public_quota:year": ([y], {}),
        "public_quota:file": ([y, "json"], {}),
    }
    args, data = table[name]
    return reverse(name, args=args), data


def _state() -> tuple:
    """What a refused request must leave as it was."""
    return (sorted(Scenario.objects.values_list("pk", "revision")),
            sorted(Distribution.objects.values_list("pk", "status", "revision", "number")),
            sorted(LabourForce.objects.values_list("pk", "persons")),
            sorted(Redistribution.objects.values_list("pk", "status", "revision")),
            PermitUse.objects.count())


def test_the_unpublished_year_is_not_public(world):
    """2028 is only proposed: its page and files are 404 for everyone; the index lists 2027 only."""
    anonymous = _client(world.cast, "anonymous")
    for url in ("/public/quota/2028/", "/public/quota/2028.json", "/public/quota/2028.csv",
                "/public/quota/2028.xlsx", "/public/quota/2028.pdf", "/public/quota/2027/?version=2",
                "/public/quota/2027.json?version=2", "/public/quota/2027.pdf?version=0"):
        assert anonymous.get(url).status_code == 404, url
    index = anonymous.get("/public/quota/").content.decode()
    assert "/public/quota/2027/" in index and "/public/quota/2028/" not in index


# --- hostile input --------------------------------------------------------------------------------

HOSTILE = {
    "nul": "a\x00b", "control": "a\x07\x1bb", "bidi": "\u202eабв\u2066", "arabic_digits": "١٢٣",
    "fullwidth": "１２", "huge": "я" * 100_000, "negative": "-5", "huge_number": "9" * 40,
    "float": "1e3", "empty": "",
}


def _hostile_posts(w, value: str) -> list[tuple[str, str, dict]]:
    y, s, d = w.cast.campaign.year, w.scenario, w.proposed
    ny = d.campaign.year
    scenario_fields = {k: value for k in scenario_form() if not k.startswith("adj-") or k.startswith("adj-0-")}
    r = w.asked
    return [
        ("analyst", f"/ministry/quota/{y}/labour-force/",
         {"region": value, "persons": value, "source": value, "as_of": value}),
        ("analyst", f"/ministry/quota/{y}/labour-force/",
         {"region": "", "persons": value, "source": "stat.gov.kz", "as_of": "2026-01-01"}),
        ("analyst", f"/ministry/quota/{y}/scenarios/new/", scenario_form(**scenario_fields)),
        ("analyst", f"/ministry/quota/{y}/scenarios/new/",
         # The formset's own count under attack (Django reads "-5" as no form), the scenario left invalid.
         scenario_form(permits_percent="abc", **{"adj-TOTAL_FORMS": value, "adj-0-delta": value})),
        ("analyst", f"/ministry/quota/{y}/scenarios/new/",
         scenario_form(permits_percent=value, reserve=value, permits_total_override=value,
                       **{"adj-0-region": str(w.cast.astana.pk), "adj-0-category": "3", "adj-0-delta": value,
                          "adj-0-reason": value})),
        ("analyst", f"/ministry/quota/{y}/scenarios/preview/", scenario_form(**scenario_fields)),
        ("analyst", f"/ministry/quota/{y}/scenarios/{s.pk}/",
         scenario_form(**{**scenario_fields, "revision": value})),
        # The delete form's revision is optional (RevisionForm(required=False)): an empty one deletes.
        *([("analyst", f"/ministry/quota/{y}/scenarios/{s.pk}/delete/", {"revision": value})] if value else []),
        ("analyst", f"/ministry/quota/{y}/scenarios/{s.pk}/propose/", {"reason": value}),
        ("approver", f"/ministry/quota/{ny}/distribution/{d.pk}/approve/",
         {"revision": value, "day": value, "reason": value}),
        ("approver", f"/ministry/quota/{ny}/distribution/{d.pk}/approve/",
         {"revision": d.revision, "day": value, "reason": value}),
        ("approver", f"/ministry/quota/{ny}/distribution/{d.pk}/decline/", {"revision": value, "reason": value}),
        ("analyst", f"/ministry/quota/{ny}/distribution/{d.pk}/withdraw/", {"revision": value}),
        ("approver", f"/ministry/quota/{ny}/distribution/{d.pk}/publish/", {"revision": value}),
        (AKIMAT, "/allocation/redistributions/new/",
         {"campaign": value, "direction": value, "other_region": value, "category": value, "count": value,
          "reason": value}),
        (AKIMAT, "/allocation/redistributions/new/",
         {"campaign": w.cast.campaign.pk, "direction": "give", "other_region": w.cast.atyrau.pk, "category": "3",
          "count": value, "reason": value}),
        (CENTRAL, "/allocation/redistributions/new/",
         {"campaign": w.cast.campaign.pk, "from_region": value, "to_region": value, "category": "3",
          "count": value, "reason": value}),
        ("analyst", f"/allocation/redistributions/{r.pk}/endorse/", {"revision": value}),
        ("approver", f"/allocation/redistributions/{r.pk}/approve/", {"revision": value}),
        ("analyst", f"/allocation/redistributions/{r.pk}/decline/", {"revision": value, "reason": value}),
        (AKIMAT, f"/allocation/redistributions/{r.pk}/withdraw/", {"revision": value}),
        (AKIMAT, "/allocation/permits/",
         {"campaign": value, "category": value, "count": value, "issued_on": value, "reference": value}),
        (AKIMAT, "/allocation/permits/",
         {"campaign": w.cast.campaign.pk, "category": "3", "count": value, "issued_on": "2027-02-02",
          "reference": value}),
        (AKIMAT, "/allocation/permits/import/", {"campaign": value}),
    ]


def _hostile_gets(w, value: str) -> list[tuple[str, str]]:
    from urllib.parse import quote
    q, y = quote(value), w.cast.campaign.year
    return [
        ("analyst", f"/ministry/quota/{y}/scenarios/compare/?s={q}&s={w.scenario.pk}"),
        ("anonymous", f"/public/quota/{y}/?version={q}"), ("anonymous", f"/public/quota/{y}.json?version={q}"),
        ("anonymous", f"/public/quota/{y}.pdf?version={q}&lang={q}"), ("anonymous", f"/public/quota/?page={q}"),
        (AKIMAT, f"/allocation/use/?year={q}"), (AKIMAT, f"/allocation/redistributions/?campaign={q}"),
        ("analyst", f"/ministry/quota/{y}/use/?region={q}"),
    ]


def test_hostile_input_on_every_quota_form_never_gives_a_500_nor_a_change(world):
    cast = world.cast
    before = _state()
    failures = []
    for kind, value in sorted(HOSTILE.items()):
        for role, url, data in _hostile_posts(world, value):
            response = _client(cast, role).post(url, data)
            # A field error (the page again), or the form's own refusal: never a 500, never saved.
            if response.status_code not in (200, 302, 400, 403, 404) or (
                    response.status_code == 302 and "/accounts/login/" in response["Location"]):
                failures.append((kind, url, response.status_code))
        for role, url in _hostile_gets(world, value):
            got = _client(cast, role).get(url).status_code
            if got not in (200, 400, 404):
                failures.append((kind, url, got))
        assert _state() == before, kind
    assert not failures, failures


@pytest.mark.parametrize("field,value", [("persons", "١٢٣٤٥٦٧"), ("persons", "-5"), ("persons", "9" * 40),
                                         ("source", "я" * 100_000), ("as_of", "３１.１２.２０２５")])
def test_a_refused_labour_force_names_the_field_and_keeps_what_was_typed(world, field, value):
    data = {"region": "", "persons": "9800000", "source": "stat.gov.kz", "as_of": "2025-12-31", field: value}
    with translation.override("ru"):
        response = _client(world.cast, "analyst").post(f"/ministry/quota/{world.cast.campaign.year}/labour-force/",
                                                       data)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}"' in page and "invalid-feedback" in page
    if len(value) < 100:
        assert f'value="{value}"' in page
    assert LabourForce.objects.count() == 1


def test_a_refused_scenario_names_the_field_and_keeps_what_was_typed(world):
    with translation.override("ru"):
        response = _client(world.cast, "analyst").post(
            f"/ministry/quota/{world.cast.campaign.year}/scenarios/new/",
            scenario_form(name="Мой \u202eсценарий", permits_percent="١٢", reserve="-7"))
    assert response.status_code == 400
    page = response.content.decode()
    assert 'value="١٢"' in page and 'value="-7"' in page and "invalid-feedback" in page
    assert Scenario.objects.count() == 2


# --- crafted uploads -----------------------------------------------------------------------------

def _crafted(kind: str, header: list[str], row: list) -> tuple[str, bytes]:
    good = workbook([header, row])
    return {
        "not_a_zip": ("x.xlsx", not_a_zip()),
        "empty": ("x.xlsx", b""),
        "exe_as_xlsx": ("x.xlsx", b"MZ\x90\x00" + b"\x00" * 200),
        "shared_string_out_of_range": ("x.xlsx", shared_string_out_of_range(good, "A2")),
        "long_text": ("x.xlsx", long_text(good, "A2", 200_000)),
        "text_bomb": ("x.xlsx", huge_text_bomb(good, "A2")),
        "with_macro_part": ("x.xlsx", with_part(good, "xl/vbaProject.bin")),
        "no_sheet": ("x.xlsx", rezip(good, {"xl/worksheets/sheet1.xml": None})),
        "formula": ("x.xlsx", edit_cell(good, "B2", '<c r="B2"><f>1+1</f><v>2</v></c>')),
        "nan": ("x.xlsx", edit_cell(good, "B2", '<c r="B2"><v>NaN</v></c>')),
        "huge_number": ("x.xlsx", edit_cell(good, "B2", '<c r="B2"><v>1e308</v></c>')),
        "negative": ("x.xlsx", edit_cell(good, "B2", '<c r="B2"><v>-5</v></c>')),
        "csv_nul": ("x.csv", ",".join(header).encode() + b"\n750000000,1\x002,src,2025-12-31\n"),
        "csv_latin1": ("x.csv", ",".join(header).encode() + b"\n750000000,12,\xff\xfe\xe9,2025-12-31\n"),
        "csv_bidi_digits": ("x.csv", (",".join(header) + "\n\u202e750000000,١٢٣,src,2025-12-31\n").encode()),
        "csv_huge_rows": ("x.csv", (",".join(header) + "\n" + "000000000,1,s,2025-12-31\n" * 60_000).encode()),
        "csv_huge_line": ("x.csv", (",".join(header) + "\n000000000," + "9" * 500_000 + ",s,2025-12-31\n").encode()),
        "wrong_extension": ("x.exe", good),
    }[kind]


UPLOADS = ["not_a_zip", "empty", "exe_as_xlsx", "shared_string_out_of_range", "long_text", "text_bomb",
           "with_macro_part", "no_sheet", "formula", "nan", "huge_number", "negative", "csv_nul", "csv_latin1",
           "csv_bidi_digits", "csv_huge_rows", "csv_huge_line", "wrong_extension"]


@pytest.mark.parametrize("kind", UPLOADS)
def test_a_crafted_labour_force_file_is_refused_whole_never_a_500(world, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile
    name, content = _crafted(kind, ["region", "persons", "source", "as_of"], ["000000000", 9_800_000, "stat",
                                                                              "2025-12-31"])
    before = _state()
    with translation.override("ru"):
        response = _client(world.cast, "analyst").post(
            f"/ministry/quota/{world.cast.campaign.year}/labour-force/import/",
            {"file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 302, 400), (kind, response.status_code)
    if response.status_code == 302:  # a file the import could read is recorded whole
        assert kind in ("formula", "with_macro_part")
    else:
        assert _state() == before
        assert "is-invalid" in response.content.decode() or "alert-danger" in response.content.decode()


@pytest.mark.parametrize("kind", UPLOADS)
def test_a_crafted_permits_file_is_refused_whole_never_a_500(world, kind):
    from django.core.files.uploadedfile import SimpleUploadedFile
    name, content = _crafted(kind, ["category", "count", "issued_on", "reference"], ["3", 2, "2027-02-03", "x"])
    before = _state()
    with translation.override("ru"):
        response = _client(world.cast, AKIMAT).post("/allocation/permits/import/", {
            "campaign": world.cast.campaign.pk, "file": SimpleUploadedFile(name, content)})
    assert response.status_code in (200, 302, 400), (kind, response.status_code)
    if response.status_code == 302:
        assert kind in ("formula", "with_macro_part")
    else:
        assert _state() == before


# --- two approvers at once ----------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
def test_two_approvers_publishing_the_same_proposal_make_one_version(cast):
    """Two approvers click "Publish" on the same approved proposal at once: the row lock lets one
    publish version 1, the other gets the domain error (not a version 2, not a 500)."""
    second = make_user("approver2@example.kz")
    add_membership(second, Role.MINISTRY_APPROVER, authority=cast.approver.memberships.get().authority)
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=small_figures(cast),
                                    reason="Из приложений регионов")
    approved = distribution_approve(actor=cast.approver, distribution=proposal, late_reason="поздно")
    barrier = threading.Barrier(2)
    outcomes: list = []

    def publish(actor):
        try:
            with system_scope():
                barrier.wait()
                outcomes.append(distribution_publish(actor=actor, distribution=approved,
                                                     revision=approved.revision).number)
        except DomainError:  # ConcurrentUpdate, or "only an approved distribution can be published"
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish, args=(u,)) for u in (cast.approver, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert sorted(map(str, outcomes)) == ["1", "refused"], outcomes
    published = Distribution.objects.filter(campaign=cast.campaign, status=DistributionStatus.PUBLISHED)
    assert list(published.values_list("number", flat=True)) == [1]


@pytest.mark.django_db(transaction=True)
def test_two_approvers_publishing_over_http_at_once_make_one_version(cast):
    """The same through the pages: both get a redirect to the page (one with the success, the
    other with the refusal), one published version."""
    second = make_user("approver2@example.kz")
    add_membership(second, Role.MINISTRY_APPROVER, authority=cast.approver.memberships.get().authority)
    proposal = distribution_propose(actor=cast.analyst, campaign=cast.campaign, figures=small_figures(cast),
                                    reason="Из приложений регионов")
    approved = distribution_approve(actor=cast.approver, distribution=proposal, late_reason="поздно")
    url = f"/ministry/quota/{cast.campaign.year}/distribution/{approved.pk}/publish/"
    clients = [cast.client(cast.approver), cast.client(second)]
    barrier = threading.Barrier(2)
    codes: list = []

    def post(client):
        try:
            barrier.wait()
            codes.append(client.post(url, {"revision": approved.revision}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert codes == [302, 302], codes
    assert Distribution.objects.filter(campaign=cast.campaign, status=DistributionStatus.PUBLISHED).count() == 1
