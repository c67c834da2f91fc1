"""Attacks on the allocation URLs (submissions, proposals, the national view, downloads, redistribution
and permits used): the other tenant's objects by pk and by number, hostile input on every form, path
arguments out of range, double submits and two threads sending the same set. Who gets what on every
URL is the project's access matrix (tests/test_access_matrix.py), which builds on this file's world
(`build_world`), fills the URLs with `_target` and keeps the secrets named here."""
from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
import time_machine
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from allocation import submissions as services
from allocation.models import RegionalSubmission, SubmissionExclusion, SubmissionFile, SubmissionVersion
from allocation.proposals_models import Proposal, ProposalStatus
from allocation.quota_models import PermitUse, Redistribution
from allocation.redistribution_use import permit_record
from allocation.submission_writer import submission_file_write
from commissions.models import Session
from quota_portal.core.errors import DomainError
from quota_portal.core.models import Authority, Role
from quota_portal.core.scoping import system_scope
from tests.allocation.proposals_conftest import draft, sent
from tests.conftest import add_membership, almaty, make_user

from .redistribution_helpers import ask, publish_version_1
from .submission_helpers import decide, make_app, make_org

BEFORE_DEADLINE = almaty(2026, 10, 28, 12)

AKIMAT = "akimat_officer"
AKIMAT2 = "akimat_officer_atyrau"  # the other region's officer: Astana's objects are not hers
CENTRAL = "central_officer"
CENTRAL2 = "central_officer2"  # another central body: the first one's proposals are not its
MINISTRY = ("analyst", "approver")
# What only Astana's akimat and the Ministry may see of Astana, and only the first central body and
# Astana's akimat of the proposal the first sent to Astana.
ASTANA_ORG, ASTANA_READERS = "Фирма 00001", {AKIMAT, *MINISTRY}
ASTANA_PROPOSAL, PROPOSAL_READERS = "Для Астаны", {CENTRAL, AKIMAT}
# Astana's request to move quota to Atyrau: both regions' officers and the Ministry read it; the
# central body's request from the reserve to Atyrau: that body, Atyrau's officer and the Ministry.
ASTANA_ASK = "Из Астаны в Атырау"
REDISTRIBUTION_READERS = {AKIMAT: 200, AKIMAT2: 200, "analyst": 200, "approver": 200}
CENTRAL_ASK, CENTRAL_ASK_READERS = "Из резерва от ЦГО", {CENTRAL, AKIMAT2, *MINISTRY}
# A permit reference: Astana's officer only.
PERMIT_REF, PERMIT_READERS = "РАЗР-АСТАНА-777", {AKIMAT}


# --- the world: both tenants with something of each kind -------------------------------------------

class World:
    pass


def _signed_session(app):
    session = Session.objects.filter(items__application=app).get()
    Session.objects.filter(pk=session.pk).update(secretary_signed_at=timezone.now(), chair_signed_at=timezone.now())
    return session


@pytest.fixture
def world(cast, occupations):
    return build_world(cast, occupations)


def build_world(cast, occupations) -> World:
    """Both tenants with something of each kind (the project matrix, tests/test_access_matrix.py, builds on it)."""
    w = World()
    w.cast = cast
    cast.member_atyrau = make_user("member.atyrau@example.kz")
    add_membership(cast.member_atyrau, Role.COMMISSION_MEMBER, authority=cast.akimat_atyrau)
    central2 = Authority.objects.filter(kind=Authority.Kind.CENTRAL).exclude(pk=cast.central_body.pk).order_by(
        "pk").first()
    cast.central_officer2 = make_user("central2@example.kz")
    add_membership(cast.central_officer2, Role.CENTRAL_OFFICER, authority=central2)
    for key, region, officer, i in (("a", cast.astana, cast.akimat_officer, 1),
                                    ("b", cast.atyrau, cast.akimat_officer_atyrau, 2)):
        org = make_org(region, i)
        app = make_app(cast, org, region=region, lines=[("3", occupations.o2142, 5, "мосты")])
        decide(cast, app)
        undecided = make_app(cast, make_org(region, 10 + i), region=region, status="at_commission",
                             lines=[("4", occupations.o7212, 3, "")])
        s = services.submission_get_or_create(actor=officer, campaign=cast.campaign, region=region)
        exclusion = services.submission_exclude(actor=officer, submission=s, application=undecided, reason="позже")
        s.refresh_from_db()
        with time_machine.travel(BEFORE_DEADLINE, tick=False):
            version = services.submission_send(actor=officer, submission=s)
            # A second version, for the diff.
            s.refresh_from_db()
            services.submission_update_covering(actor=officer, submission=s, covering_justification="Итог",
                                                revision=s.revision)
            s.refresh_from_db()
            services.submission_send(actor=officer, submission=s, reason="уточнение")
        file = services.submission_file_request(actor=officer, version=version, annex="3", fmt="xlsx",
                                                language="ru")
        submission_file_write(file_id=file.pk)
        setattr(w, f"org_{key}", org)
        setattr(w, f"undecided_{key}", undecided)
        setattr(w, f"exclusion_{key}", exclusion)
        setattr(w, f"version_{key}", version)
        setattr(w, f"file_{key}", file)
        setattr(w, f"session_{key}", _signed_session(app))
    w.sent_a = sent(cast, title="Для Астаны")
    w.draft_a = draft(cast, title="Черновик")
    w.sent_b = sent(cast, title="Для Атырау", region=cast.atyrau, actor=cast.central_officer2, authority=central2)
    w.draft_b = draft(cast, title="Черновик 2", actor=cast.central_officer2, authority=central2)
    # The quota 2027 published, a request of each kind, Astana's permits used.
    publish_version_1(cast)
    w.asked = ask(cast, reason=ASTANA_ASK)
    w.central_ask = ask(cast, n=5, from_region=None, actor=cast.central_officer, authority=cast.central_body,
                        reason=CENTRAL_ASK)
    with time_machine.travel(almaty(2027, 2, 10, 12), tick=False):  # 2027's permits are issued in 2027
        permit_record(actor=cast.akimat_officer, campaign=cast.campaign, region=cast.astana, category="3", count=3,
                      issued_on=dt.date(2027, 2, 1), reference=PERMIT_REF)
    return w


def _client(cast, role):
    return cast.client(None if role == "anonymous" else getattr(cast, role))


def _proposal_form(cast, **extra):
    data = {"campaign": cast.next_campaign.pk, "region": cast.astana.pk, "title": "Атака",
            "justification": "Прогноз", "projects": "ГПЗ", "token": str(uuid.uuid4()),
            "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "200", "lines-0-category": "3", "lines-0-occupation": "2142",
            "lines-0-count": "4", "lines-0-justification": "x"}
    data.update(extra)
    return data


def _target(w, name: str) -> tuple[str, dict]:
    """The URL of `name` on Astana's objects (and the first central body's), and a valid POST."""
    c, y, code = w.cast, w.cast.campaign.year, w.cast.astana.code
    s = RegionalSubmission.objects.get(region=c.astana, campaign=c.campaign)
    rev = {"revision": s.revision}
    file_post = {"annex": "2", "fmt": "pdf", "language": "kk"}
    sa, da = w.sent_a, w.draft_a
    table = {
        "allocation:submissions": ([], {}),
        "allocation:submission": ([y], {}),
        "allocation:submission_covering": ([y], {"covering_justification": "Обоснование", **rev}),
        "allocation:submission_exclude": ([y], {"application": w.undecided_a.pk, "reason": "ещё раз"}),
        "allocation:submission_unexclude": ([y, w.exclusion_a.pk], {}),
        "allocation:submission_li": ([y], {"li_need": "5", "late_reason": "задержка", **rev}),
        "allocation:submission_country": ([y], {"country": "1", "cat1": "1"}),
        "allocation:submission_send": ([y], {"confirm": "on", "reason": "третья", "late_reason": "поздно", **rev}),
        "allocation:submission_version": ([y, 1], {}),
        "allocation:submission_file_request": ([y, 1], file_post),
        "allocation:submission_file": ([w.file_a.pk], {}),
        "allocation:submission_file_download": ([w.file_a.pk], {}),
        "allocation:proposals": ([], {}),
        "allocation:proposal_new": ([], _proposal_form(c)),
        "allocation:proposals_received": ([], {}),
        "allocation:proposals_agreed": ([], {}),
        "allocation:proposal_detail": ([sa.pk], {}),
        "allocation:proposal_edit": ([da.pk], _proposal_form(c, revision=da.revision)),
        "allocation:proposal_send": ([da.pk], {"revision": da.revision, "late_reason": "поздно"}),
        "allocation:proposal_delete": ([da.pk], {"revision": da.revision}),
        "allocation:proposal_agree": ([sa.pk], {"revision": sa.revision}),
        "allocation:proposal_decline": ([sa.pk], {"revision": sa.revision, "reason": "нет"}),
        "submissions_ministry:region": ([y, code], {}),
        "submissions_ministry:version": ([y, code, 1], {}),
        "submissions_ministry:file_request": ([y, code, 1], file_post),
        "submissions_ministry:file": ([w.file_a.pk], {}),
        "submissions_ministry:file_download": ([w.file_a.pk], {}),
        "national:current": ([], {}),
        "national:national": ([y], {}),
        "national:employers": ([y], {}),
        "national:region": ([y, code], {}),
        "national:version": ([y, code, 1], {}),
        "national:diff": ([y, code, 1, 2], {}),
        "national:organization": ([y, code, w.org_a.pk], {}),
        "national:protocol_pdf": ([w.session_a.pk], {}),
        "allocation:redistributions": ([], {}),
        "allocation:redistribution_new": ([], {
            "campaign": c.campaign.pk, "direction": "give", "other_region": c.atyrau.pk, "from_region": c.astana.pk,
            "to_region": c.atyrau.pk, "category": "3", "count": "10", "reason": "Новый завод"}),
        "allocation:redistribution_detail": ([w.asked.pk], {}),
        "allocation:redistribution_withdraw": ([w.asked.pk], {"revision": w.asked.revision}),
        "allocation:redistribution_endorse": ([w.asked.pk], {"revision": w.asked.revision}),
        "allocation:redistribution_approve": ([w.asked.pk], {"revision": w.asked.revision}),
        "allocation:redistribution_decline": ([w.asked.pk], {"revision": w.asked.revision, "reason": "Нет"}),
        "allocation:permits": ([], {"campaign": c.campaign.pk, "category": "3", "count": "2",
                                    "issued_on": "2027-02-02", "reference": "РАЗР-2"}),
        "allocation:permits_import": ([], {"campaign": c.campaign.pk}),
        "allocation:permits_template": ([], {}),
        "allocation:use": ([], {}),
    }
    args, data = table[name]
    return reverse(name, args=args), data


def _state(w) -> tuple:
    """What a refused request must leave as it was: both tenants' submissions, versions, files,
    exclusions and proposals."""
    return (sorted(RegionalSubmission.objects.values_list("pk", "revision", "covering_justification")),
            SubmissionVersion.objects.count(), SubmissionFile.objects.count(),
            sorted(SubmissionExclusion.objects.values_list("pk", flat=True)),
            sorted(Proposal.objects.values_list("pk", "status", "revision")),
            sorted(Redistribution.objects.values_list("pk", "status", "revision")), PermitUse.objects.count())


def test_the_other_tenants_objects_are_404_for_the_right_role_too(world):
    """The akimat officer of Atyrau and the second central body, each on Astana's / the first
    central body's objects, by pk and by number, GET and POST: 404, nothing changed."""
    cast, y = world.cast, world.cast.campaign.year
    before = _state(world)
    atyrau, central2 = _client(cast, AKIMAT2), _client(cast, CENTRAL2)
    for url in (reverse("allocation:submission_file", args=[world.file_a.pk]),
                reverse("allocation:submission_file_download", args=[world.file_a.pk]),
                reverse("allocation:submission_unexclude", args=[y, world.exclusion_a.pk]),
                reverse("allocation:proposal_detail", args=[world.sent_a.pk]),
                reverse("allocation:proposal_agree", args=[world.sent_a.pk]),
                reverse("allocation:proposal_decline", args=[world.sent_a.pk])):
        assert atyrau.get(url).status_code in (404, 405) and atyrau.post(url, {"revision": 0}).status_code == 404
    # Excluding another region's application by its id.
    r = atyrau.post(reverse("allocation:submission_exclude", args=[y]),
                    {"application": world.undecided_a.pk, "reason": "чужое"})
    assert r.status_code == 404
    for name, pk in (("allocation:proposal_detail", world.sent_a.pk), ("allocation:proposal_edit", world.draft_a.pk),
                     ("allocation:proposal_send", world.draft_a.pk), ("allocation:proposal_delete", world.draft_a.pk)):
        url = reverse(name, args=[pk])
        assert central2.get(url).status_code in (404, 405)
        assert central2.post(url, {"revision": world.draft_a.revision}).status_code == 404
    # Astana's officer on Atyrau's things.
    astana = _client(cast, AKIMAT)
    for url in (reverse("allocation:submission_file", args=[world.file_b.pk]),
                reverse("allocation:proposal_detail", args=[world.sent_b.pk])):
        assert astana.get(url).status_code == 404
    assert _state(world) == before


# --- hostile input --------------------------------------------------------------------------------

HOSTILE = {
    "nul": "a\x00b", "control": "a\x07\x1bb", "bidi": "\u202eабв\u2066", "arabic_digits": "١٢٣",
    "fullwidth": "１２", "huge": "я" * 100_000, "negative": "-5", "huge_number": "9" * 40,
    "float": "1e3", "empty": "",
}


def _hostile_posts(w, value: str) -> list[tuple[str, str, dict]]:
    c, y = w.cast, w.cast.campaign.year
    s = RegionalSubmission.objects.get(region=c.astana, campaign=c.campaign)
    sa, da = w.sent_a, w.draft_a
    line = sa.lines.first()
    return [
        (AKIMAT, reverse("allocation:submission_covering", args=[y]),
         {"covering_justification": value, "revision": value}),
        (AKIMAT, reverse("allocation:submission_li", args=[y]),
         {"li_need": value, "li_demand_figure": value, "li_demand_note": value, "li_justification": value,
          "late_reason": value, "revision": s.revision}),
        (AKIMAT, reverse("allocation:submission_country", args=[y]),
         {"country": value, "forecast_figure": value, "forecast_note": value, "cat1": value, "seasonal": value}),
        (AKIMAT, reverse("allocation:submission_exclude", args=[y]), {"application": value, "reason": value}),
        (AKIMAT, reverse("allocation:submission_send", args=[y]),
         {"confirm": value, "reason": value, "late_reason": value, "revision": value}),
        (AKIMAT, reverse("allocation:submission_file_request", args=[y, 1]),
         {"annex": value, "fmt": value, "language": value}),
        ("analyst", reverse("submissions_ministry:file_request", args=[y, c.astana.code, 1]),
         {"annex": value, "fmt": "pdf", "language": "ru"}),
        (CENTRAL, reverse("allocation:proposal_new"),
         _proposal_form(c, title=value, justification=value, projects=value, region=value, campaign=value,
                        token=value, **{"lines-0-count": value, "lines-0-occupation": value,
                                        "lines-0-category": value, "lines-0-justification": value})),
        # The formset's own count under attack, the line left invalid (Django's management form
        # reads "١٢٣" as 123: harmless, the empty extra forms are skipped).
        (CENTRAL, reverse("allocation:proposal_new"),
         _proposal_form(c, **{"lines-TOTAL_FORMS": value, "lines-0-count": ""})),
        (CENTRAL, reverse("allocation:proposal_edit", args=[da.pk]),
         _proposal_form(c, revision=value, title=value, **{"lines-0-count": value})),
        (CENTRAL, reverse("allocation:proposal_send", args=[da.pk]), {"revision": value, "late_reason": value}),
        (CENTRAL, reverse("allocation:proposal_delete", args=[da.pk]), {"revision": value}),
        (AKIMAT, reverse("allocation:proposal_agree", args=[sa.pk]),
         {"revision": value, f"agreed_{line.pk}": value, f"reason_{line.pk}": value}),
        (AKIMAT, reverse("allocation:proposal_agree", args=[sa.pk]),
         {"revision": sa.revision, f"agreed_{line.pk}": value, f"reason_{line.pk}": value}),
        (AKIMAT, reverse("allocation:proposal_decline", args=[sa.pk]), {"revision": value, "reason": value}),
    ]


def test_hostile_input_on_every_form_never_gives_a_500_nor_a_change(world):
    cast = world.cast
    before = _state(world)
    for kind, value in sorted(HOSTILE.items()):
        for role, url, data in _hostile_posts(world, value):
            response = _client(cast, role).post(url, data)
            # A field error (the page again), or the form's own refusal: never a 500, never saved.
            assert response.status_code in (200, 302, 400, 404), (url, kind, response.status_code)
            if response.status_code == 302:
                assert "/accounts/login/" not in response["Location"]
        assert _state(world) == before, kind


def test_control_characters_are_taken_out_of_a_saved_text(world):
    cast, y = world.cast, world.cast.campaign.year
    s = RegionalSubmission.objects.get(region=cast.astana, campaign=cast.campaign)
    r = _client(cast, AKIMAT).post(reverse("allocation:submission_covering", args=[y]), {
        "covering_justification": "Итог\x07\x1b\x0b по региону", "revision": s.revision})
    assert r.status_code == 302
    s.refresh_from_db()
    assert s.covering_justification == "Итог по региону"


def test_missing_and_extra_fields_and_a_wrong_revision_change_nothing(world):
    cast, y = world.cast, world.cast.campaign.year
    s = RegionalSubmission.objects.get(region=cast.astana, campaign=cast.campaign)
    akimat = _client(cast, AKIMAT)
    before = _state(world)
    for url in ("covering", "labour-immigrants", "countries", "exclude", "send"):
        r = akimat.post(f"/allocation/submissions/{y}/{url}/", {})
        assert r.status_code == 400, url
        r = akimat.post(f"/allocation/submissions/{y}/{url}/", {"revision": s.revision - 1, "reason": "x",
                                                                "confirm": "on", "covering_justification": "x",
                                                                "region": cast.atyrau.pk, "pk": 1})
        assert r.status_code == 400, url
    r = akimat.post(reverse("allocation:proposal_agree", args=[world.sent_a.pk]),
                    {"revision": world.sent_a.revision + 7})
    assert r.status_code in (200, 400)
    central = _client(cast, CENTRAL)
    for name in ("allocation:proposal_send", "allocation:proposal_delete"):
        r = central.post(reverse(name, args=[world.draft_a.pk]), {"revision": world.draft_a.revision + 7})
        assert r.status_code in (200, 302, 400)
    assert _state(world) == before


@pytest.mark.parametrize("path", [
    "/allocation/submissions/99999999999999999999/",
    "/allocation/submissions/2027/v99999999999999999999/",
    "/allocation/submissions/files/99999999999999999999/",
    "/allocation/submissions/files/99999999999999999999/download/",
    "/allocation/proposals/99999999999999999999/",
    "/ministry/submissions/99999999999999999999/750000000/v1/",
    "/ministry/submissions/2027/750000000/v99999999999999999999/",
    "/ministry/submissions/files/99999999999999999999/",
    "/ministry/national/99999999999999999999/",
    "/ministry/national/2027/regions/%00/",
    "/ministry/national/2027/regions/750000000/v99999999999999999999/",
    "/ministry/national/2027/regions/750000000/diff/1-99999999999999999999/",
    "/ministry/national/2027/regions/750000000/organizations/99999999999999999999/",
    "/ministry/national/protocols/99999999999999999999.pdf",
    "/ministry/national/2027/employers/?page=99999999999999999999&q=%00%E2%80%AE",
    "/allocation/proposals/agreed/?campaign=99999999999999999999",
])
def test_path_arguments_out_of_range_are_404_not_500(world, path):
    role = AKIMAT if path.startswith("/allocation/submissions") else (
        CENTRAL if path.startswith("/allocation/proposals/9") else "analyst")
    response = _client(world.cast, role).get(path)
    # 400: the middleware refuses a NUL anywhere in the request before a view sees it.
    assert response.status_code in (200, 400, 404), response.status_code


def test_the_same_form_posted_twice_makes_one_change(world):
    cast, y = world.cast, world.cast.campaign.year
    s = RegionalSubmission.objects.get(region=cast.astana, campaign=cast.campaign)
    akimat = _client(cast, AKIMAT)
    data = {"confirm": "on", "reason": "третья", "revision": s.revision}
    versions = SubmissionVersion.objects.filter(region=cast.astana).count()
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        first = akimat.post(reverse("allocation:submission_send", args=[y]), data)
        second = akimat.post(reverse("allocation:submission_send", args=[y]), data)
    assert first.status_code == 302 and second.status_code == 400
    assert SubmissionVersion.objects.filter(region=cast.astana).count() == versions + 1
    sa = world.sent_a
    first = akimat.post(reverse("allocation:proposal_decline", args=[sa.pk]), {"revision": sa.revision,
                                                                               "reason": "нет"})
    second = akimat.post(reverse("allocation:proposal_agree", args=[sa.pk]), {"revision": sa.revision})
    assert first.status_code == second.status_code == 302
    assert Proposal.objects.get(pk=sa.pk).status == ProposalStatus.DECLINED


@pytest.mark.django_db(transaction=True)
def test_two_threads_sending_the_same_set_make_one_version(cast, occupations):
    """Two officers' clicks at once on the same revision: the row lock lets one send, the other gets
    the domain error (not a second version, not a 500)."""
    app = make_app(cast, make_org(cast.astana, 1), lines=[("3", occupations.o2142, 5, "")])
    decide(cast, app)
    s = services.submission_get_or_create(actor=cast.akimat_officer, campaign=cast.campaign, region=cast.astana)
    second = make_user("akimat2.astana@example.kz")
    add_membership(second, Role.AKIMAT_OFFICER, authority=cast.akimat_astana)
    barrier = threading.Barrier(2)
    outcomes: list = []

    def send(actor):
        try:
            with system_scope():
                barrier.wait()
                outcomes.append(services.submission_send(actor=actor, submission=s, revision=s.revision).number)
        except DomainError as error:
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(u,)) for u in (cast.akimat_officer, second)]
    with time_machine.travel(BEFORE_DEADLINE, tick=False):
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
    assert sorted(map(str, outcomes))[0] == "1" and len(outcomes) == 2 and outcomes.count(1) == 1, outcomes
    assert SubmissionVersion.objects.filter(region=cast.astana).count() == 1
