"""Issue 9, workflow edges: each probe finding, at the service and through HTTP.

1. the akimat's review starts only after filing closes (Rules p.6);
2. the protocol's two signatures are two different people; the chair's seat is frozen while a
   protocol awaits signing; membership changes are shown on the Commission page;
3. the employer sees a decision only after both signatures;
4. a missing version of the generalization form is a conflict;
5. an akimat sees an employer only once it filed in its region, or by BIN/IIN deliberately.

Dates: quota 2027 files until 1 Oct 2026, quota 2028 until 1 Oct 2027 (closes 00:00 Asia/Almaty).
"""
from __future__ import annotations

import pytest
import time_machine
from django.utils import translation

from applications import services as app_services
from applications.models import Application
from applications.sweeps import close_filing
from applications.workflow import transition
from commissions import services
from commissions.models import (
    Decision,
    Generalization,
    GeneralizationLine,
    LineDecision,
    Member,
    Notice,
    Session,
    Violation,
)
from commissions.selectors import application_decision
from quota_portal.core.errors import ConcurrentUpdate, DomainError
from quota_portal.core.models import Organization, Role
from quota_portal.core.scoping import Tenant, TenantKind, activate
from quota_portal.core.validators import make_bin_iin
from tests.conftest import Cast, add_membership, almaty, make_user

from .conftest import all_approved, make_application, votes_for

S = Application.Status
pytestmark = pytest.mark.django_db

FILING_2028_OPEN = almaty(2027, 3, 1, 10, 0)
FILING_2028_CLOSED = almaty(2027, 10, 2, 10, 0)


@pytest.fixture(autouse=True)
def _english(settings, monkeypatch):
    """Assertions read the English msgids."""
    settings.LANGUAGE_CODE = "en"
    original = Cast.client

    def client(self, user):
        c = original(self, user)
        c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return c

    monkeypatch.setattr(Cast, "client", client)
    with translation.override("en"):
        yield


def _as_akimat(region):
    return activate(Tenant(kind=TenantKind.AKIMAT, region_id=region.pk))


def _as_employer(org):
    return activate(Tenant(kind=TenantKind.EMPLOYER, organization_id=org.pk))


def _lines(occupations):
    return [{"category": "3", "occupation": occupations.o2142, "specialty": "", "count": 5}]


def _draft_2028(cast, occupations, *, org=None, user=None, region=None):
    """A filled 2028 draft, made while filing is open (1 Mar 2027)."""
    org, user = org or cast.org, user or cast.employer
    with time_machine.travel(FILING_2028_OPEN, tick=False):
        app = app_services.application_start(actor=user, organization=org, campaign=cast.next_campaign,
                                             region=region or cast.astana)
        app_services.application_save_draft(
            actor=user, application=app, expected_revision=app.revision, current_year_count=1,
            justification="Договор подряда № 5", signer_position="Директор", signer_name="Иванов И.И.",
            lines=_lines(occupations), projects=[])
    app.refresh_from_db()
    return app


def _submit(app, user):
    with time_machine.travel(FILING_2028_OPEN, tick=False):
        app_services.application_submit(actor=user, application=app, expected_revision=app.revision)
    app.refresh_from_db()
    return app


@pytest.fixture
def filed_2028(cast, occupations):
    return _submit(_draft_2028(cast, occupations), cast.employer)


def _review_form(app, **extra):
    line = app.lines.get()
    return {"version": "0", f"recommended_{line.pk}": "3", f"note_{line.pk}": "Есть выпускники колледжа",
            "note_demand": "Спрос 120", "note_forecast": "Безработных 40", "note_domestic": "Частично",
            "note_effectiveness": "Использовано 80%", **extra}


# --- 1. review starts only after filing closes (Rules p.6) -------------------------------------------

def test_no_akimat_step_moves_or_annotates_an_application_while_its_filing_is_open(cast, filed_2028):
    app = filed_2028
    line = app.lines.get()
    with time_machine.travel(FILING_2028_OPEN, tick=False):
        with pytest.raises(DomainError) as err:
            services.generalization_save(actor=cast.akimat_officer, application=app, notes={"note_demand": "x"},
                                         lines={line.pk: (3, "")}, expected_version=0)
        assert err.value.code == "filing_open" and "p.6" in err.value.message
        assert "1 October 2027, 00:00" in err.value.message  # until when the employer keeps its right
        with pytest.raises(DomainError) as err:
            services.generalization_mark(actor=cast.akimat_officer, application=app)
        assert err.value.code == "filing_open"
        with pytest.raises(DomainError) as err:
            services.generalized_to_commission(actor=cast.akimat_officer, region=cast.astana,
                                               campaign=cast.next_campaign)
        assert err.value.code == "filing_open"
        # The state machine itself refuses the edge, whoever calls it.
        with pytest.raises(DomainError) as err:
            transition(app, S.UNDER_REVIEW, actor=cast.akimat_officer)
        assert err.value.code == "filing_open"
        assert not Generalization.objects.exists()
        app.refresh_from_db()
        assert app.status == S.SUBMITTED
        # The employer's right of p.6 is intact: it withdraws to amend.
        app_services.application_withdraw(actor=cast.employer, application=app, reason="Уточнить число",
                                          expected_revision=app.revision)
    app.refresh_from_db()
    assert app.status == S.DRAFT


def test_review_starts_once_filing_has_closed(cast, filed_2028):
    app = filed_2028
    line = app.lines.get()
    with time_machine.travel(FILING_2028_CLOSED, tick=False):
        services.generalization_save(actor=cast.akimat_officer, application=app,
                                     notes={"note_demand": "a", "note_forecast": "b", "note_domestic": "c",
                                            "note_effectiveness": "d"},
                                     lines={line.pk: (3, "")}, expected_version=0)
        services.generalization_mark(actor=cast.akimat_officer, application=app)
    app.refresh_from_db()
    assert app.status == S.UNDER_REVIEW


def test_the_filing_closed_sweep_takes_submitted_applications_under_review_only_after_the_deadline(cast, filed_2028):
    with time_machine.travel(almaty(2027, 9, 30, 23, 59, 0), tick=False):
        close_filing()
    filed_2028.refresh_from_db()
    assert filed_2028.status == S.SUBMITTED
    with time_machine.travel(almaty(2027, 10, 1, 0, 0, 1), tick=False):
        close_filing()
    filed_2028.refresh_from_db()
    assert filed_2028.status == S.UNDER_REVIEW


def test_over_http_the_officer_cannot_take_up_an_application_while_filing_is_open(cast, filed_2028):
    app = filed_2028
    url = f"/commissions/applications/{app.pk}/"
    with time_machine.travel(FILING_2028_OPEN, tick=False):
        officer = cast.client(cast.akimat_officer)
        page = officer.get(url).content.decode()
        assert 'data-testid="filing-open"' in page and 'data-testid="mark-generalized"' not in page
        response = officer.post(url, _review_form(app, mark="1"))
        body = response.content.decode()
        assert response.status_code == 200 and "Rules p.6" in body
        assert "Есть выпускники колледжа" in body  # what was typed is kept
        inbox = officer.get("/commissions/", {"campaign": "2028"})
        assert 'data-testid="filing-open"' in inbox.content.decode()
        assert [a.pk for a in inbox.context["applications"]] == [app.pk]
        assert 'data-testid="to-commission"' not in inbox.content.decode()
        # Anything but a known year keeps the year chosen before (the year switch keeps it in the
        # session); with none chosen, the campaign the akimat is working on (2027 here).
        fresh = cast.client(cast.akimat_officer)
        for junk in ("２０２８", "2028 ", "x", ""):
            assert officer.get("/commissions/", {"campaign": junk}).context["campaign"] == cast.next_campaign
            assert fresh.get("/commissions/", {"campaign": junk}).context["campaign"] == cast.campaign
        assert not Generalization.objects.exists()
        app.refresh_from_db()
        assert app.status == S.SUBMITTED
        # ...and the employer can still withdraw it through the portal.
        response = cast.client(cast.employer).post(f"/applications/{app.pk}/withdraw/",
                                                   {"revision": app.revision, "reason": "Уточнить число"})
        assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == S.DRAFT


# --- 2. two signatures, two people; the chair's seat; membership history -----------------------------

@pytest.fixture
def dual(cast):
    """A Commission secretary of Astana who is also an akimat officer there (the probe's user)."""
    user = make_user("dual.astana@example.kz", full_name="Двойная Роль")
    add_membership(user, Role.COMMISSION_SECRETARY, authority=cast.akimat_astana)
    add_membership(user, Role.AKIMAT_OFFICER, authority=cast.akimat_astana)
    return user


def _decide(cast, case):
    services.decision_record(actor=cast.secretary, item=case.item, lines=all_approved(case.app),
                             votes=votes_for(case.members))


def _chair_data(chair, **changes):
    data = {"full_name": chair.full_name, "position": chair.position, "body": chair.body, "role": chair.role,
            "user": chair.user, "is_active": chair.is_active}
    data.update(changes)
    return data


def test_while_a_protocol_awaits_the_chair_the_chairs_seat_cannot_change(cast, astana_case, dual):
    _decide(cast, astana_case)
    services.session_sign(actor=dual, session=astana_case.session)
    chair = astana_case.chair
    for changes in ({"user": dual}, {"user": None}, {"is_active": False}, {"role": Member.Role.MEMBER},
                    {"full_name": "Другой Человек"}):
        with pytest.raises(DomainError) as err:
            services.member_save(actor=dual, commission=astana_case.commission, member=chair,
                                 data=_chair_data(chair, **changes))
        assert err.value.code == "chair_frozen", changes
    chair.refresh_from_db()
    assert (chair.user, chair.role, chair.is_active, chair.full_name) == (cast.member, "chair", True, "Ахметов Ерлан")
    # Another member's seat can still change; so can the chair's position.
    services.member_save(actor=dual, commission=astana_case.commission, member=chair,
                         data=_chair_data(chair, position="Первый заместитель акима"))
    # Withdrawing the signature unfreezes the seat.
    services.session_signature_withdraw(actor=dual, session=astana_case.session)
    services.member_save(actor=dual, commission=astana_case.commission, member=chair,
                         data=_chair_data(chair, user=dual))
    assert Member.objects.get(pk=chair.pk).user == dual


def test_one_person_never_places_both_signatures_whatever_the_member_list_says(cast, astana_case, dual):
    _decide(cast, astana_case)
    session = astana_case.session
    services.session_sign(actor=dual, session=session)
    # The member list is changed behind the service's back (an old row, an admin edit...).
    Member.objects.filter(pk=astana_case.chair.pk).update(user=dual)
    with pytest.raises(DomainError) as err:
        services.session_sign(actor=dual, session=session, as_chair=True)
    assert err.value.code == "same_signer"
    session.refresh_from_db()
    assert session.chair_signed_at is None and not Decision.objects.filter(signed_at__isnull=False).exists()


def test_the_chair_who_signed_cannot_then_sign_as_secretary(cast, astana_case, dual):
    _decide(cast, astana_case)
    session = astana_case.session
    Member.objects.filter(pk=astana_case.chair.pk).update(user=dual)
    services.session_sign(actor=dual, session=session, as_chair=True)
    Member.objects.filter(pk=astana_case.chair.pk).update(user=cast.member)
    with pytest.raises(DomainError) as err:
        services.session_sign(actor=dual, session=session)
    assert err.value.code == "same_signer"
    session.refresh_from_db()
    assert session.secretary_signed_at is None
    # A different secretary completes it.
    services.session_sign(actor=cast.secretary, session=session)
    session.refresh_from_db()
    assert session.is_signed and session.secretary_signed_by != session.chair_signed_by


@pytest.mark.parametrize("who", ["akimat_officer", "secretary_atyrau", "employer", "outsider", "plain_member"])
def test_only_a_secretary_of_the_region_signs_as_secretary(cast, astana_case, who):
    _decide(cast, astana_case)
    if who == "plain_member":
        user = make_user("member2.astana@example.kz")
        add_membership(user, Role.COMMISSION_MEMBER, authority=cast.akimat_astana)
    else:
        user = getattr(cast, who)
    with pytest.raises(DomainError):
        services.session_sign(actor=user, session=astana_case.session)
    with pytest.raises(DomainError):
        services.session_sign(actor=user, session=astana_case.session, as_chair=True,
                              chair_paper_note="на бумаге")
    astana_case.session.refresh_from_db()
    assert astana_case.session.secretary_signed_at is None and astana_case.session.chair_signed_at is None


def test_member_save_links_only_this_regions_commission_staff_and_only_for_its_officer_or_secretary(
        cast, astana_case):
    member = astana_case.members[3]
    for stranger in (cast.secretary_atyrau, cast.employer, cast.akimat_officer):
        with pytest.raises(DomainError) as err:
            services.member_save(actor=cast.akimat_officer, commission=astana_case.commission, member=member,
                                 data=_chair_data(member, user=stranger))
        assert err.value.field == "user"
    for actor in (cast.member, cast.employer, cast.akimat_officer_atyrau):
        with pytest.raises(DomainError) as err:
            services.member_save(actor=actor, commission=astana_case.commission, member=member,
                                 data=_chair_data(member, position="x"))
        assert err.value.code == "forbidden"
    assert Member.objects.get(pk=member.pk).user is None and Member.objects.get(pk=member.pk).position != "x"


def test_over_http_the_secretary_officer_cannot_take_the_chairs_seat_nor_its_signature(cast, astana_case, dual):
    _decide(cast, astana_case)
    client = cast.client(dual)  # acts as secretary (first membership)
    session_url = f"/commissions/sessions/{astana_case.session.pk}/"
    assert client.post(f"{session_url}sign/").status_code == 302
    chair = astana_case.chair
    form = {"full_name": chair.full_name, "position": chair.position, "body": chair.body, "role": "chair",
            "user": dual.pk, "is_active": "on"}
    response = client.post(f"/commissions/commission/members/{chair.pk}/", form)
    assert response.status_code == 200 and "awaits its second signature" in response.content.decode()
    response = client.post(f"/commissions/commission/members/{chair.pk}/", {**form, "user": ""})
    assert response.status_code == 200
    assert Member.objects.get(pk=chair.pk).user == cast.member
    page = client.get("/commissions/commission/").content.decode()
    assert 'data-testid="chair-frozen"' in page
    # Even if the seat were theirs, the page offers no second signature and the POST is refused.
    Member.objects.filter(pk=chair.pk).update(user=dual)
    page = client.get(session_url).content.decode()
    assert 'data-testid="sign-chair"' not in page and 'data-testid="second-signer-needed"' in page
    client.post(f"{session_url}sign/", {"as_chair": "1"})
    astana_case.session.refresh_from_db()
    assert astana_case.session.chair_signed_at is None


def test_a_secretary_who_unlinks_the_chair_cannot_record_the_chairs_paper_signature_and_sign_too(
        cast, astana_case):
    """Found by the review: the secretary unlinked the chair's portal account (no protocol awaited a
    second signature yet), recorded "the chair signed on paper" and then signed as secretary: one
    person placed both signatures. Whoever records the paper signature placed it."""
    _decide(cast, astana_case)
    session, chair = astana_case.session, astana_case.chair
    client = cast.client(cast.secretary)
    form = {"full_name": chair.full_name, "position": chair.position, "body": chair.body, "role": "chair",
            "user": "", "is_active": "on"}
    assert client.post(f"/commissions/commission/members/{chair.pk}/", form).status_code == 302
    url = f"/commissions/sessions/{session.pk}/"
    assert 'name="chair_paper_note"' in client.get(url).content.decode()
    client.post(f"{url}sign/", {"as_chair": "1", "chair_paper_note": "Подписано на бумаге"})
    session.refresh_from_db()
    assert session.chair_signed_by == cast.secretary and session.chair_signature_note
    page = client.get(url).content.decode()
    assert 'data-testid="sign-secretary"' not in page and 'data-testid="second-signer-needed"' in page
    client.post(f"{url}sign/")
    with pytest.raises(DomainError) as err:
        services.session_sign(actor=cast.secretary, session=session)
    assert err.value.code == "same_signer"
    session.refresh_from_db()
    assert session.secretary_signed_at is None and not Decision.objects.filter(signed_at__isnull=False).exists()
    # The other order: the secretary who signed is not offered, nor allowed, the chair's paper signature.
    Session.objects.filter(pk=session.pk).update(chair_signed_at=None, chair_signed_by=None, chair_signature_note="")
    session.refresh_from_db()
    services.session_sign(actor=cast.secretary, session=session)
    assert 'name="chair_paper_note"' not in client.get(url).content.decode()
    with pytest.raises(DomainError) as err:
        services.session_sign(actor=cast.secretary, session=session, as_chair=True, chair_paper_note="на бумаге")
    assert err.value.code == "same_signer"
    # A second secretary of the region records it: two people.
    other = make_user("secretary2.astana@example.kz")
    add_membership(other, Role.COMMISSION_SECRETARY, authority=cast.akimat_astana)
    services.session_sign(actor=other, session=session, as_chair=True, chair_paper_note="Подписано на бумаге")
    session.refresh_from_db()
    assert session.is_signed and session.chair_signed_by == other and session.secretary_signed_by == cast.secretary


def test_the_commission_page_shows_the_membership_changes_with_who_made_them(cast, astana_case):
    officer = cast.client(cast.akimat_officer)
    member = astana_case.members[3]
    response = officer.post(f"/commissions/commission/members/{member.pk}/", {
        "full_name": member.full_name, "position": member.position, "body": member.body, "role": "member",
        "user": "", "is_active": ""})  # deactivated
    assert response.status_code == 302
    other = make_user("member3.astana@example.kz")
    add_membership(other, Role.COMMISSION_MEMBER, authority=cast.akimat_astana)
    officer.post("/commissions/commission/members/new/", {
        "full_name": "Новиков Пётр", "position": "Эксперт", "body": "labour", "role": "member",
        "user": other.pk, "is_active": "on"})
    services.member_save(actor=cast.akimat_officer_atyrau, commission=services.commission_for(cast.atyrau),
                         data={"full_name": "Атырауский Член", "position": "p", "body": "labour", "role": "member"})
    body = cast.client(cast.secretary).get("/commissions/commission/").content.decode()
    history = body[body.index('data-testid="member-history"'):]
    events = history.split('data-testid="member-event"')[1:]
    assert len(events) == 2 + 7  # the two changes above, and the seven members' creation
    added, deactivated = events[0], events[1]
    assert "Новиков Пётр" in added and other.email in added  # the linked portal user
    assert "Commission member saved" in added and str(cast.akimat_officer) in added
    assert member.full_name in deactivated and 'data-field="is_active"' in deactivated
    assert "Атырауский Член" not in history


# --- 3. the employer sees a decision only after both signatures ---------------------------------------

def _reject_all(cast, case):
    return services.decision_record(
        actor=cast.secretary, item=case.item,
        lines={line.pk: {"approved": 0, "grounds": ["3"], "reason": "Задолженность по зарплате"}
               for line in case.lines},
        votes=votes_for(case.members))


def _employer_sees_nothing(cast, case):
    with _as_employer(cast.org):
        assert not Decision.objects.exists() and not LineDecision.objects.exists()
        assert not Notice.objects.exists()
        app = Application.objects.get(pk=case.app.pk)
        assert application_decision(application=app) is None
        assert (app.status, app.outcome) == (S.AT_COMMISSION, "")


def test_a_recorded_decision_stays_invisible_to_the_employer_until_both_signatures(cast, astana_case):
    _reject_all(cast, astana_case)
    _employer_sees_nothing(cast, astana_case)
    # The akimat sees it as recorded.
    with _as_akimat(cast.astana):
        assert Decision.objects.get().outcome == "rejected"
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    _employer_sees_nothing(cast, astana_case)
    services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    with _as_employer(cast.org):
        app = Application.objects.get(pk=astana_case.app.pk)
        assert (app.status, app.outcome) == (S.NOTIFIED, "rejected")
        assert application_decision(application=app)["outcome"] == "rejected"
        assert Notice.objects.get().sent_at is not None


def test_over_http_the_employer_sees_no_outcome_before_the_signatures_and_the_akimat_sees_it_as_recorded(
        cast, astana_case):
    _reject_all(cast, astana_case)
    notice = Notice.objects.get()
    employer = cast.client(cast.employer)
    services.session_sign(actor=cast.secretary, session=astana_case.session)
    for url in (f"/applications/{astana_case.app.pk}/", "/dashboard/", "/applications/"):
        body = employer.get(url).content.decode()
        assert "Rejected" not in body and 'data-testid="decision"' not in body, url
        assert "Задолженность по зарплате" not in body, url
    assert employer.get(f"/commissions/notices/{notice.pk}/pdf/").status_code == 404
    officer = cast.client(cast.akimat_officer)
    review = officer.get(f"/commissions/applications/{astana_case.app.pk}/").content.decode()
    assert 'data-testid="recorded-unsigned"' in review and "Rejected" in review
    inbox = officer.get("/commissions/", {"campaign": "2027"}).content.decode()
    assert 'data-testid="recorded-unsigned"' in inbox
    session_url = f"/commissions/sessions/{astana_case.session.pk}/"
    secretary_page = cast.client(cast.secretary).get(session_url).content.decode()
    assert 'data-testid="recorded-unsigned"' in secretary_page
    services.session_sign(actor=cast.member, session=astana_case.session, as_chair=True)
    body = employer.get(f"/applications/{astana_case.app.pk}/").content.decode()
    assert 'data-testid="decision"' in body and "Rejected" in body
    assert employer.get(f"/commissions/notices/{notice.pk}/pdf/").status_code == 200


# --- 4. a missing version is a conflict -----------------------------------------------------------------

@pytest.mark.parametrize("version", [None, "0", 0.0, True])
def test_generalization_save_refuses_a_save_that_names_no_version(cast, occupations, version):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    line = app.lines.get()
    with pytest.raises(ConcurrentUpdate):
        services.generalization_save(actor=cast.akimat_officer, application=app, notes={"note_demand": "x"},
                                     lines={line.pk: (3, "")}, expected_version=version)
    with pytest.raises(TypeError):
        services.generalization_save(actor=cast.akimat_officer, application=app, notes={}, lines={})
    assert not Generalization.objects.exists() and not GeneralizationLine.objects.exists()


@pytest.mark.parametrize("version", ["missing", "", "  ", "abc", "1.0", "١", "-1"])
def test_over_http_a_missing_or_malformed_version_is_a_409_that_keeps_what_was_typed(cast, occupations, version):
    app = make_application(cast, status=S.UNDER_REVIEW, lines=[("3", occupations.o2142, 5)])
    # Someone has already saved a generalization (version 1).
    line = app.lines.get()
    services.generalization_save(actor=cast.akimat_officer, application=app, notes={"note_demand": "Первый"},
                                 lines={line.pk: (5, "")}, expected_version=0)
    form = _review_form(app)
    if version == "missing":
        del form["version"]
    else:
        form["version"] = version
    response = cast.client(cast.akimat_officer).post(f"/commissions/applications/{app.pk}/", form)
    body = response.content.decode()
    assert response.status_code == 409 and "Reload the page" in body
    assert "Есть выпускники колледжа" in body and "Спрос 120" in body
    gen = Generalization.objects.get()
    assert (gen.version, gen.note_demand, gen.lines.get().recommended) == (1, "Первый", 5)


def test_over_http_a_decision_posted_without_its_version_is_a_conflict(cast, astana_case):
    # No decision yet: a form that does not say it was opened empty (version 0) is not taken as one.
    l1, l2 = astana_case.lines
    form = {f"approved_{l1.pk}": 5, f"approved_{l2.pk}": 10, **{f"vote_{m.pk}": "for" for m in astana_case.members}}
    client = cast.client(cast.secretary)
    url = f"/commissions/items/{astana_case.item.pk}/decision/"
    for version in ("missing", "", "x"):
        data = form if version == "missing" else {**form, "version": version}
        assert client.post(url, data).status_code == 409, version
    assert not Decision.objects.exists()
    assert client.post(url, {**form, "version": "0"}).status_code == 302
    assert Decision.objects.get().version == 1


# --- 5. an akimat sees an employer once it has filed in its region --------------------------------------

def _visible(region, org) -> bool:
    with _as_akimat(region):
        return Organization.objects.filter(pk=org.pk).exists()


def test_an_akimat_sees_an_employer_only_once_it_has_filed_in_its_region(cast, occupations):
    app = _draft_2028(cast, occupations, org=cast.org2, user=cast.employer2, region=cast.astana)
    assert not _visible(cast.astana, cast.org2)
    # Registered in Atyrau, but has filed nothing there.
    assert not _visible(cast.atyrau, cast.org2)
    _submit(app, cast.employer2)
    assert _visible(cast.astana, cast.org2) and not _visible(cast.atyrau, cast.org2)
    # Withdrawn to amend: the akimat has seen its filed version, so it still sees the employer.
    with time_machine.travel(FILING_2028_OPEN, tick=False):
        app_services.application_withdraw(actor=cast.employer2, application=app, reason="Уточнить",
                                          expected_revision=app.revision)
    assert _visible(cast.astana, cast.org2)
    # Atyrau names it deliberately by BIN/IIN: from then on Atyrau sees it.
    services.violation_record(actor=cast.akimat_officer_atyrau, region=cast.atyrau, bin_iin=cast.org2.bin_iin,
                              ground="3", year=2027, description="Задолженность по зарплате")
    assert _visible(cast.atyrau, cast.org2)


def test_violation_record_takes_a_non_filer_only_by_a_registered_bin_iin(cast, occupations):
    _draft_2028(cast, occupations, org=cast.org2, user=cast.employer2, region=cast.astana)
    with _as_akimat(cast.astana):
        with pytest.raises(DomainError) as err:
            services.violation_record(actor=cast.akimat_officer, region=cast.astana, organization=cast.org2,
                                      ground="3", year=2027, description="x")
        assert err.value.field == "organization"
        for bad in ("123456789012", make_bin_iin("99999999999")):
            with pytest.raises(DomainError) as err:
                services.violation_record(actor=cast.akimat_officer, region=cast.astana, bin_iin=bad,
                                          ground="3", year=2027, description="x")
            assert err.value.field == "bin_iin"
        with pytest.raises(DomainError) as err:
            services.violation_record(actor=cast.akimat_officer_atyrau, region=cast.astana,
                                      bin_iin=cast.org2.bin_iin, ground="3", year=2027, description="x")
        assert err.value.code == "forbidden"
    assert not Violation.objects.exists()
    services.violation_record(actor=cast.akimat_officer, region=cast.astana, bin_iin=cast.org2.bin_iin,
                              ground="3", year=2027, description="Задолженность")
    assert Violation.objects.get().organization == cast.org2


def test_over_http_the_violation_form_lists_filers_and_takes_others_only_by_bin_iin(cast, occupations):
    _draft_2028(cast, occupations, org=cast.org2, user=cast.employer2, region=cast.astana)
    make_application(cast, status=S.AT_COMMISSION, lines=[("3", occupations.o2142, 5)])  # cast.org filed
    officer = cast.client(cast.akimat_officer)
    page = officer.get("/commissions/violations/")
    choices = [str(label) for value, label in page.context["form"].fields["organization"].choices if value]
    assert choices == [str(cast.org)]
    base = {"ground": "3", "year": "2027", "description": "Задолженность по зарплате"}
    response = officer.post("/commissions/violations/", {**base, "organization": cast.org2.pk})
    assert response.status_code == 200 and not Violation.objects.exists()
    wrong_check = cast.org2.bin_iin[:11] + str((int(cast.org2.bin_iin[11]) + 1) % 10)
    response = officer.post("/commissions/violations/", {**base, "bin_iin": wrong_check})
    assert response.status_code == 200 and "check digit" in response.content.decode()
    assert "Задолженность по зарплате" in response.content.decode()  # what was typed is kept
    response = officer.post("/commissions/violations/", {**base, "bin_iin": make_bin_iin("99999999999")})
    assert response.status_code == 200 and "is registered on the portal" in response.content.decode()
    assert not Violation.objects.exists()
    response = officer.post("/commissions/violations/", {**base, "bin_iin": cast.org2.bin_iin})
    assert response.status_code == 302
    assert Violation.objects.get().organization == cast.org2 and Violation.objects.get().region == cast.astana
    choices = [str(label) for value, label in
               officer.get("/commissions/violations/").context["form"].fields["organization"].choices if value]
    assert str(cast.org2) in choices


def test_the_employers_self_check_shows_only_the_violations_of_the_applications_region(cast, occupations):
    astana = _draft_2028(cast, occupations)
    atyrau = _draft_2028(cast, occupations, region=cast.atyrau)
    Violation.objects.create(region=cast.atyrau, organization=cast.org, ground="3", year=2027,
                             description="Атырау: задолженность", recorded_by=cast.akimat_officer_atyrau)
    with time_machine.travel(FILING_2028_OPEN, tick=False):
        employer = cast.client(cast.employer)
        astana_page = employer.get(f"/applications/{astana.pk}/review/").content.decode()
        atyrau_page = employer.get(f"/applications/{atyrau.pk}/review/").content.decode()
    assert "Атырау: задолженность" not in astana_page and "No violations on record" in astana_page
    assert "Атырау: задолженность" in atyrau_page
