"""A whole campaign calendar, day by day, from the opening of filing to the publication of the
distribution: the sweeps run every morning (twice: the second run must change nothing), across
Kazakh holidays (Republic Day 25-26 Oct, New Year 1-4 Jan, Orthodox Christmas 7 Jan) and a
Saturday made a working day by decree (CalendarException, 24 Oct 2026), and the test checks who
was told what and on which day: every notice in the inbox, exactly."""
from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
import time_machine
from django.db.models import Min

from allocation.models import RegionalSubmission
from allocation.proposals_models import Proposal
from applications import services as app_services
from applications.models import Application
from commissions import services as com_services
from commissions.models import Generalization, Notice
from quota_portal.core.deadlines import run_sweeps
from quota_portal.core.models import CalendarException, Campaign, Outbox, OverdueItem, ReminderMute
from tests.applications.conftest import fill
from tests.commissions.conftest import full_commission, generalize, make_application, votes_for
from tests.conftest import almaty

pytestmark = pytest.mark.django_db
S = Application.Status
START, END = dt.date(2026, 8, 25), dt.date(2027, 1, 8)


def test_a_whole_campaign_calendar_tells_each_person_what_is_due_on_the_right_day_once(cast, occupations):
    Campaign.objects.filter(year=2028).delete()  # one campaign in the walk: quota 2027
    Campaign.objects.filter(pk=cast.campaign.pk).update(filing_opens=START)
    campaign = Campaign.objects.get(pk=cast.campaign.pk)
    last_year = Campaign.for_year(2026)
    last_year.save()
    filed = make_application(cast, org=cast.org2, region=cast.atyrau, status=S.NOTIFIED, campaign=last_year)
    Application.objects.filter(pk=filed.pk).update(submitted_at=almaty(2025, 9, 1))
    # A decree moves a day off: Saturday 24 Oct 2026 is worked (so a notice of 20 Oct is due 27 Oct,
    # not 28 Oct: 21, 22, 23, 24 and 27 Oct, as 25 Oct and its observed 26 Oct are Republic Day).
    CalendarException.objects.create(day=dt.date(2026, 10, 24), is_working_day=True,
                                     reason="Перенос выходного дня (постановление Правительства)")
    ReminderMute.objects.create(user=cast.employer_editor, kind="applications.drafts")
    state = {}

    def start_applications():
        a = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=campaign,
                                           region=cast.astana)
        b = app_services.application_start(actor=cast.employer, organization=cast.org, campaign=campaign,
                                           region=cast.atyrau)
        state["a"], state["b"] = fill(a, cast.employer, occupations), fill(b, cast.employer, occupations)

    def submit_a():
        a = Application.objects.get(pk=state["a"].pk)
        app_services.application_submit(actor=cast.employer, application=a, expected_revision=a.revision)

    def draft_proposal():
        state["proposal"] = Proposal.objects.create(
            authority=cast.central_body, region=cast.atyrau, campaign=campaign, title="Нефтехимия",
            justification="Прогноз рынка труда", created_by=cast.central_officer)

    def astana_determines_the_need():
        RegionalSubmission.objects.create(campaign=campaign, region=cast.astana, li_need=40,
                                          li_determined_at=almaty(2026, 10, 5, 9),
                                          li_determined_by=cast.akimat_officer)

    def generalize_a_late():
        generalize(state["a"], cast.akimat_officer)
        Generalization.objects.filter(application=state["a"]).update(generalized_at=almaty(2026, 10, 12, 9))

    def put_before_the_commission():
        assert com_services.generalized_to_commission(actor=cast.akimat_officer, region=cast.astana,
                                                      campaign=campaign) == 1

    def decide():
        commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
        session = com_services.session_create(actor=cast.secretary, commission=commission, campaign=campaign,
                                              date=dt.date(2026, 10, 20), place="Астана, пр. Бейбитшилик, 11")
        com_services.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
        item = session.items.get()
        com_services.decision_record(actor=cast.secretary, item=item, votes=votes_for(members), lines={
            line.pk: {"approved": line.count, "grounds": [], "reason": ""} for line in item.application.lines.all()})
        state["session"] = session
        assert Notice.objects.get().due == dt.date(2026, 10, 27)

    def sign():
        com_services.session_sign(actor=cast.secretary, session=state["session"])
        com_services.session_sign(actor=cast.member, session=state["session"], as_chair=True)

    def distribute():
        Campaign.objects.filter(pk=campaign.pk).update(distributed_on=dt.date(2026, 12, 30))

    actions = {dt.date(2026, 8, 26): [start_applications], dt.date(2026, 8, 28): [submit_a],
               dt.date(2026, 10, 1): [draft_proposal], dt.date(2026, 10, 5): [astana_determines_the_need],
               dt.date(2026, 10, 12): [generalize_a_late], dt.date(2026, 10, 14): [put_before_the_commission],
               dt.date(2026, 10, 20): [decide], dt.date(2026, 10, 29): [sign], dt.date(2026, 12, 30): [distribute]}

    told: list[tuple[dt.date, str, str]] = []
    last = max(Outbox.objects.values_list("pk", flat=True), default=0)
    day = START
    while day <= END:
        with time_machine.travel(almaty(day.year, day.month, day.day, 9), tick=False):
            for action in actions.get(day, ()):
                action()
            first = run_sweeps()
            assert "error" not in first.values(), (day, first)
            outbox, flags = Outbox.objects.count(), OverdueItem.objects.count()
            second = run_sweeps()
            assert set(second.values()) <= {0}, (day, second)
            assert (Outbox.objects.count(), OverdueItem.objects.count()) == (outbox, flags), day
        new = Outbox.objects.filter(pk__gt=last, channel="inbox").order_by("pk")
        told += [(day, r.recipient.email, r.event_key) for r in new]
        last = max([last, *Outbox.objects.values_list("pk", flat=True)])
        day += dt.timedelta(days=1)

    # Last year's campaign, still in its quota year, had its undone deadlines flagged on the first
    # morning only; the rest of the walk is about quota 2027.
    old = [t for t in told if ".2026." in t[2]]
    assert old and {d for d, _e, _k in old} == {START}
    told = [t for t in told if ".2026." not in t[2]]

    c = cast
    a, b, proposal = state["a"], state["b"], state["proposal"]
    notice = Notice.objects.get()
    first_flag = dict(OverdueItem.objects.filter(campaign=campaign).values("deadline").annotate(m=Min("pk"))
                      .values_list("deadline", "m"))
    ministry = (c.analyst.email, c.approver.email)
    officers = (c.akimat_officer.email, c.akimat_officer_atyrau.email)
    astana, atyrau = c.astana.pk, c.atyrau.pk

    def d(month, day_):
        return dt.date(2026 if month > 6 else 2027, month, day_)

    def flag(day_, deadline, office, people):
        n = first_flag[deadline]
        rows = [(day_, e, f"overdue.2027.{deadline}.ministry.{n}") for e in ministry]
        if office:
            rows += [(day_, e, f"overdue.2027.{deadline}.{office}.{n}") for e in people]
        return rows

    def remind(day_, kind, deadline, n, people):
        return [(day_, e, f"reminder.{kind}.2027.{deadline}.d{n}") for e in people]

    expected = [
        # Filing opens: every employer who can file (owners, editors; not the viewer).
        *[(d(8, 25), e, "applications.campaign_opened.2027") for e in (c.employer.email, c.employer_editor.email,
                                                                       c.employer2.email)],
        # Submitting (a) gets its receipt to those who file.
        *[(d(8, 28), e, f"applications.receipt.{a.versions.get().pk}")
          for e in (c.employer.email, c.employer_editor.email)],
        # The draft (b) 30, 7 and 1 days before filing closes; the editor muted these. Last year's
        # filer (org2) that has not started this year's application, on the same days.
        *[(day_, c.employer.email, f"applications.reminder.{b.pk}.d{n}")
          for day_, n in ((d(9, 1), 30), (d(9, 24), 7), (d(9, 30), 1))],
        *[(day_, c.employer2.email, f"applications.not_yet_filed.2027.{c.org2.pk}.d{n}")
          for day_, n in ((d(9, 1), 30), (d(9, 24), 7), (d(9, 30), 1))],
        # Filing closed: the unsubmitted draft is flagged; the organization (the muted editor too:
        # an overdue alert is not a reminder) and the Ministry are told.
        *flag(d(10, 1), "filing", f"org:{c.org.pk}", (c.employer.email, c.employer_editor.email)),
        # p.7 and p.15 (until 10 Oct): the akimats with work outstanding, 7 and 1 days before.
        *remind(d(10, 3), "commissions.akimat", "generalization", 7, (c.akimat_officer.email,)),
        *remind(d(10, 3), "allocation.akimat", "labour_immigrants", 7,
                officers),
        *remind(d(10, 9), "commissions.akimat", "generalization", 1, (c.akimat_officer.email,)),
        *remind(d(10, 9), "allocation.akimat", "labour_immigrants", 1, (c.akimat_officer_atyrau.email,)),
        # p.8 (no later than 15 Oct): 7 days before; by the 1-day reminder it is done.
        *remind(d(10, 9), "commissions.akimat", "commission", 7, (c.akimat_officer.email,)),
        *flag(d(10, 10), "generalization", f"akimat:{astana}", (c.akimat_officer.email,)),
        *flag(d(10, 10), "labour_immigrants", f"akimat:{atyrau}", (c.akimat_officer_atyrau.email,)),
        # p.11: the notice of the 20 Oct decision is due 27 Oct (24 Oct worked, 25-26 Oct off).
        *remind(d(10, 21), "commissions.secretary", "notice.2026-10-27", 7, (c.secretary.email,)),
        *remind(d(10, 27), "commissions.secretary", "notice.2026-10-27", 1, (c.secretary.email,)),
        *flag(d(10, 28), "notice", f"secretary:{astana}", (c.secretary.email,)),
        # The secretary signs on 29 Oct: the chair is asked to sign; once both have, the written
        # notice reaches everyone at the employer (a legal notice).
        (d(10, 29), c.member.email, f"commissions.protocol_awaits_chair.{state['session'].pk}"),
        *[(d(10, 29), e, f"commissions.notice.{notice.pk}") for e in (c.employer.email, c.employer_editor.email,
                                                                      c.employer_viewer.email)],
        # p.12-17 and p.13 (until 1 Nov).
        *remind(d(10, 25), "allocation.akimat", "submission", 7, officers),
        *remind(d(10, 25), "allocation.central", "proposals", 7, (c.central_officer.email,)),
        *remind(d(10, 31), "allocation.akimat", "submission", 1, officers),
        *remind(d(10, 31), "allocation.central", "proposals", 1, (c.central_officer.email,)),
        *flag(d(11, 1), "submission", "", ()),
        *[(d(11, 1), e, f"overdue.2027.submission.akimat:{r}.{first_flag['submission']}")
          for e, r in ((c.akimat_officer.email, astana), (c.akimat_officer_atyrau.email, atyrau))],
        *flag(d(11, 1), "proposals", f"authority:{c.central_body.pk}", (c.central_officer.email,)),
        # p.19: distribution until 1 Jan (distributed 30 Dec), publication 3 working days from it:
        # 31 Dec, then 5 and 6 Jan (1, 2 and 4 Jan are New Year), so due 6 Jan, flagged on 7 Jan.
        *remind(d(12, 25), "allocation.ministry", "distribution", 7, ministry),
        *remind(d(12, 31), "allocation.ministry", "publication", 7, ministry),
        *remind(d(1, 6), "allocation.ministry", "publication", 1, ministry),
        *flag(d(1, 7), "publication", "", ()),
    ]
    assert (sorted(set(told) - set(expected)), sorted(set(expected) - set(told))) == ([], [])
    assert len(told) == len(expected)
    # Counts per recipient and event: one each, and every inbox notice also went by email.
    assert set(Counter((e, k) for _d, e, k in told).values()) == {1}
    emails = set(Outbox.objects.filter(channel="email").values_list("recipient__email", "event_key"))
    assert {(e, k) for _d, e, k in told} <= emails
    # What is still overdue at the end, for the Ministry's list.
    open_flags = dict(OverdueItem.objects.filter(campaign=campaign, resolved_at__isnull=True)
                      .values("deadline").annotate(n=Min("pk")).values_list("deadline", "n"))
    assert set(open_flags) == {"filing", "labour_immigrants", "submission", "proposals", "publication"}
    assert OverdueItem.objects.filter(campaign=campaign, deadline__in=["generalization", "notice"],
                                      resolved_at__isnull=False).count() == 2
    assert proposal.pk and a.pk
