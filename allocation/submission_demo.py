"""Demo data of the regional submissions for the 2027 campaign (after the commissions' step): most
regions sent their annexes (one late with its reason, one resent with a reason), one has not
started, Atyrau has a draft (applications still at its Commission), and Astana has a real draft
from its signed decisions, not yet sent."""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from quota_portal.core.audit import audited
from quota_portal.core.calendar import ALMATY
from quota_portal.core.models import Campaign, Membership, Region, Role, User

from . import submissions as services
from .models import RegionalSubmission

ASTANA, ATYRAU = "710000000", "230000000"
NOT_STARTED = 2   # the third region by code (after Astana and Atyrau are taken out) has not started
LATE = 4          # the fifth sent late
RESENT = 6        # the seventh sent a second version


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def travel(moment):
    import time_machine

    return time_machine.travel(moment, tick=False)


def _officer(region) -> User:
    from quota_portal.core.management.commands.seed_demo import password_hash

    existing = Membership.objects.filter(role=Role.AKIMAT_OFFICER, authority__region=region).select_related(
        "user").first()
    if existing:
        return existing.user
    user, created = User.objects.get_or_create(email=f"akimat.{region.code}@demo.kz",
                                               defaults={"full_name": f"Специалист акимата ({region.name_ru})"})
    if created:
        user.password = password_hash()
        user.save(update_fields=["password"])
    Membership.objects.get_or_create(user=user, role=Role.AKIMAT_OFFICER, authority=region.akimat)
    return user


def _annex3(officer, submission, i: int, late_reason: str = ""):
    demand, unemployed = 120 + 15 * i, 40 + 5 * i
    return services.labour_immigrants_update(actor=officer, submission=submission, revision=submission.revision,
                                             late_reason=late_reason, data={
        "li_demand_figure": demand, "li_demand_note": "Спрос домохозяйств: няни, сиделки, помощники по хозяйству",
        "li_unemployment_figure": unemployed, "li_unemployment_note": "Прогноз ЦЗН на 2027 год",
        "li_effectiveness_figure": 30 + i, "li_effectiveness_note": "Привлечено в 2026 году, оценка эффективности",
        "li_current_year_count": 30 + i, "li_need": demand - unemployed,
        "li_justification": "Потребность определена по п.15 Правил с учетом спроса, прогноза безработицы и "
                            "эффективности привлечения в предыдущем году."})


def seed(*, stdout) -> None:
    campaign = Campaign.objects.filter(year=2027).first()
    if campaign is None:
        stdout.write("  allocation submissions: no 2027 campaign, skipped")
        return
    if RegionalSubmission.objects.filter(campaign=campaign).exists():
        stdout.write("  allocation submissions: already seeded")
        return
    regions = list(Region.objects.exclude(code__in=[ASTANA, ATYRAU]).order_by("code"))
    sent = late = 0
    with audited(None, "allocation_submissions_demo"):
        for i, region in enumerate(regions):
            if i == NOT_STARTED:
                continue
            officer = _officer(region)
            with transaction.atomic():
                with travel(at(2026, 10, 6, 11)):
                    submission = services.submission_get_or_create(actor=officer, campaign=campaign, region=region)
                    submission = services.submission_update_covering(
                        actor=officer, submission=submission, revision=submission.revision,
                        covering_justification="Заявки работодателей обобщены с учетом п.7 Правил; потребность "
                                               "подтверждена решениями Комиссии.")
                    submission = _annex3(officer, submission, i)
                if i == LATE:
                    with travel(at(2026, 11, 3, 15)):
                        services.submission_send(actor=officer, submission=submission,
                                                 late_reason="Задержка подписания протокола Комиссии")
                    late += 1
                else:
                    with travel(at(2026, 10, 28, 12)):
                        services.submission_send(actor=officer, submission=submission)
                    if i == RESENT:
                        with travel(at(2026, 10, 30, 9)):
                            submission.refresh_from_db()
                            submission = _annex3(officer, submission, i + 10, "Уточнение по итогам сверки с ЦЗН")
                            services.submission_send(actor=officer, submission=submission,
                                                     reason="Уточнена потребность в трудовых иммигрантах")
                sent += 1
        # Atyrau: a draft (its applications are still before the Commission).
        atyrau = Region.objects.get(code=ATYRAU)
        officer = _officer(atyrau)
        with travel(at(2026, 10, 7, 10)):
            submission = services.submission_get_or_create(actor=officer, campaign=campaign, region=atyrau)
            _annex3(officer, submission, 3)
        # Astana: a real draft from its signed decisions, with its covering justification.
        astana = Region.objects.get(code=ASTANA)
        officer = _officer(astana)
        with travel(at(2026, 10, 8, 10)):
            submission = services.submission_get_or_create(actor=officer, campaign=campaign, region=astana)
            submission = services.submission_update_covering(
                actor=officer, submission=submission, revision=submission.revision,
                covering_justification="Потребность г. Астаны сформирована по подписанным решениям Комиссии.")
            _annex3(officer, submission, 1)
    stdout.write(f"  allocation submissions 2027: {sent} regions sent ({late} late, 1 resent), "
                 f"1 not started, Atyrau and Astana drafts (login akimat.astana@demo.kz)")
