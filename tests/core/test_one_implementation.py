"""Rules that had several copies and now have one (core/selectors.py, core/forms.py): which
campaign a page works on, who at an organization is written to, and how a service's refusal
reaches the form that was submitted."""
from __future__ import annotations

import pytest
import time_machine
from django import forms

from quota_portal.core.errors import DomainError
from quota_portal.core.forms import add_domain_error
from quota_portal.core.models import Campaign, Role
from quota_portal.core.selectors import (
    RecipientPurpose,
    campaigns_filing_opened,
    campaigns_open_for_filing,
    current_campaigns,
    organization_recipients,
    working_campaign,
)
from tests.conftest import add_membership, almaty

# --- campaigns ---------------------------------------------------------------------------------
# cast.campaign: quota 2027, filing 1 Nov 2025 .. 1 Oct 2026; cast.next_campaign: quota 2028,
# filing 1 Nov 2026 .. 1 Oct 2027.


@pytest.mark.parametrize(("moment", "open_for_filing", "filing_opened", "working"), [
    (almaty(2025, 10, 31, 23, 59), [], [], 2028),             # nothing open yet, nothing closed: the newest
    (almaty(2025, 11, 1, 0, 0), [2027], [2027], 2028),
    (almaty(2026, 9, 30, 23, 59), [2027], [2027], 2028),
    (almaty(2026, 10, 1, 0, 0), [], [2027], 2027),            # 2027's filing closed: the akimats review it
    (almaty(2026, 11, 1, 0, 0), [2028], [2028, 2027], 2027),
    (almaty(2027, 10, 1, 0, 0), [], [2028, 2027], 2028),
])
def test_every_page_picks_its_campaign_from_the_deadlines_on_the_server_clock(cast, moment, open_for_filing,
                                                                               filing_opened, working):
    with time_machine.travel(moment, tick=False):
        assert [c.year for c in campaigns_open_for_filing()] == open_for_filing
        assert [c.year for c in campaigns_filing_opened()] == filing_opened
        assert working_campaign().year == working
        assert [c.year for c in current_campaigns()] == [2028, 2027]


def test_without_campaigns_there_is_no_working_campaign(db):
    assert Campaign.objects.count() == 0
    assert working_campaign() is None and campaigns_open_for_filing() == [] and current_campaigns() == []


def test_the_employer_the_akimat_and_the_dashboard_pages_use_the_same_campaigns(cast):
    with time_machine.travel(almaty(2026, 11, 5, 10, 0), tick=False):
        start = cast.client(cast.employer).get("/applications/new/")
        assert [c.year for c in start.context["campaigns"]] == [2028]
        inbox = cast.client(cast.akimat_officer).get("/commissions/")
        assert inbox.context["campaign"].year == 2027
        assert [c.year for c in inbox.context["campaigns"]] == [2028, 2027]
        dashboard = cast.client(cast.employer).get("/dashboard/")
        assert [c.year for c in dashboard.context["campaigns"]] == [2028, 2027]


# --- an organization's recipients ----------------------------------------------------------------

def test_receipts_and_reminders_go_to_those_who_change_applications_and_the_decision_to_all(cast):
    # The viewer is an editor at another organization: that makes them no filing recipient here.
    add_membership(cast.employer_viewer, Role.EMPLOYER_EDITOR, organization=cast.org2)
    add_membership(cast.employer, Role.EMPLOYER_VIEWER, organization=cast.org)  # two roles, one person

    def emails(organization, purpose):
        return [u.email for u in organization_recipients(organization, purpose=purpose)]

    assert emails(cast.org, RecipientPurpose.FILING) == sorted([cast.employer.email, cast.employer_editor.email])
    assert emails(cast.org, RecipientPurpose.DECISION) == sorted([cast.employer.email, cast.employer_editor.email,
                                                                  cast.employer_viewer.email])
    assert emails(cast.org2.pk, "filing") == sorted([cast.employer2.email, cast.employer_viewer.email])
    with pytest.raises(ValueError):
        organization_recipients(cast.org, purpose="everyone")


def test_the_receipt_the_reminder_and_the_notice_are_sent_to_the_sets_of_the_one_function(cast, occupations):
    """The three senders that each had their own query call the one function: the receipt and the
    reminder reach those who change applications, the written notice of the decision (Rules p.11)
    everyone at the organization."""
    import datetime as dt

    from applications import services as filing
    from applications.sweeps import remind_drafts
    from commissions import services as commission
    from quota_portal.core.models import Outbox
    from tests.applications.conftest import fill
    from tests.commissions.conftest import (
        all_approved,
        full_commission,
        generalize,
        make_application,
        votes_for,
    )

    def sent(prefix):
        return sorted(Outbox.objects.filter(event_key__startswith=prefix, channel=Outbox.Channel.INBOX)
                      .values_list("recipient__email", flat=True))

    filing_set = sorted([cast.employer.email, cast.employer_editor.email])
    everyone = sorted(filing_set + [cast.employer_viewer.email])
    with time_machine.travel(almaty(2026, 10, 20, 12, 0), tick=False):
        app = make_application(cast, lines=[("3", occupations.o2142, 5)])
        generalize(app, cast.akimat_officer)
        body, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
        session = commission.session_create(actor=cast.secretary, commission=body, campaign=cast.campaign,
                                            date=dt.date(2026, 10, 20), place="Астана")
        commission.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
        commission.decision_record(actor=cast.secretary, item=session.items.get(), lines=all_approved(app),
                                   votes=votes_for(members))
        commission.session_sign(actor=cast.secretary, session=session)
        commission.session_sign(actor=cast.member, session=session, as_chair=True)
    assert sent("commissions.notice.") == everyone
    with time_machine.travel(almaty(2027, 9, 28, 10, 0), tick=False):
        draft = fill(filing.application_start(actor=cast.employer, organization=cast.org,
                                              campaign=cast.next_campaign, region=cast.astana),
                     cast.employer, occupations)
        filing.application_start(actor=cast.employer, organization=cast.org, campaign=cast.next_campaign,
                                 region=cast.atyrau)
        filing.application_submit(actor=cast.employer, application=draft, expected_revision=draft.revision)
        assert remind_drafts() > 0
    assert sent("applications.receipt.") == filing_set
    assert sent("applications.reminder.") == filing_set


# --- a service's refusal on the submitted form ----------------------------------------------------

class _Form(forms.Form):
    name = forms.CharField()


@pytest.mark.parametrize(("field", "where"), [("name", "name"), ("not_a_field", "__all__"), (None, "__all__")])
def test_a_domain_error_lands_on_its_field_or_above_the_form(field, where):
    form = _Form({"name": "typed"})
    assert form.is_valid()
    add_domain_error(form, DomainError("Refused.", field=field))
    assert form.errors == {where: ["Refused."]}
    assert form["name"].value() == "typed"  # what the user typed stays


def test_a_commission_refusal_without_a_field_is_shown_on_the_form_with_what_was_typed(cast):
    """No members yet: the session form says why above its fields and keeps the date and place."""
    from commissions import services

    services.commission_for(cast.astana)
    with time_machine.travel(almaty(2026, 10, 14, 10, 0), tick=False):
        response = cast.client(cast.secretary).post("/commissions/sessions/", {"date": "2026-10-20",
                                                                               "place": "Зал заседаний"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() and form["place"].value() == "Зал заседаний"
