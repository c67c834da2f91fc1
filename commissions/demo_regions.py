"""The Commission's work of 2026 in the regions other than Astana and Atyrau (`seed_demo`, DEBUG
only; called by commissions.demo after its own two regions).

For each region whose applications (applications.demo_regions) are under review and which has no
session yet: the labour-market figures, each application generalized (2-9 Oct) and put before the
Commission (12-14 Oct), one session between 19 and 27 Oct with its seven members (p.9), a decision
on every application, a few lines cut on ground p.10(1) where registered jobseekers can fill them
and an occasional application refused on ground p.10(3) (with the violation recorded), the protocol
signed by the secretary and the chair that day and the notices sent at once (p.11). It is history,
written in bulk with its own dates; Annex 2 is then built from these signed decisions by the
regions' sending (allocation.submission_demo, through the service).
"""
from __future__ import annotations

import datetime as dt
import random

from django.contrib.auth.hashers import make_password
from django.utils.translation import gettext_noop

from applications import demo_regions as applications_demo
from applications.models import Application
from quota_portal.core.calendar import add_working_days
from quota_portal.core.models import Membership, Region, Role, User

from . import services
from .models import (
    AgendaItem,
    Attendance,
    Body,
    Decision,
    Generalization,
    GeneralizationLine,
    LabourMarketFigure,
    LineDecision,
    Member,
    Notice,
    Session,
    Violation,
    Vote,
)

S = Application.Status
# The timeline notes the services write (commissions.services), with the same msgids.
PUT_BEFORE = gettext_noop("Put before the Commission (Rules p.8).")
DECIDED = gettext_noop("Decision of the Commission, %(session)s.")
NOTICE_SENT = gettext_noop("Written notice sent (Rules p.11).")
at = applications_demo.at
own_dates = applications_demo.own_dates

FIRST = ["Ерлан", "Асель", "Нурлан", "Гульмира", "Серик", "Жанна", "Бауыржан", "Динара", "Арман", "Ольга", "Талгат",
         "Айгуль", "Марат", "Светлана", "Канат", "Сауле", "Даурен", "Елена", "Мурат", "Алия"]
LAST = [("Ахметов", "Ахметова"), ("Сейткалиев", "Сейткалиева"), ("Жумабаев", "Жумабаева"), ("Оспанов", "Оспанова"),
        ("Тлеубаев", "Тлеубаева"), ("Мусин", "Мусина"), ("Калиев", "Калиева"), ("Ержанов", "Ержанова"),
        ("Исмаилов", "Исмаилова"), ("Байжанов", "Байжанова"), ("Смагулов", "Смагулова"), ("Омаров", "Омарова"),
        ("Кузнецов", "Кузнецова"), ("Иванов", "Иванова"), ("Сагындыков", "Сагындыкова"), ("Нургалиев", "Нургалиева")]
FEMALE = {"Асель", "Гульмира", "Жанна", "Динара", "Ольга", "Айгуль", "Светлана", "Сауле", "Елена", "Алия"}
SEATS = [  # (body, role, position, whose portal user: None, "chair", "secretary")
    (Body.AKIMAT, Member.Role.CHAIR, "Заместитель акима", "chair"),
    (Body.LABOUR, Member.Role.SECRETARY, "Главный специалист управления координации занятости", "secretary"),
    (Body.INTERNAL_AFFAIRS, Member.Role.MEMBER, "Начальник управления миграционной службы ДП", None),
    (Body.EDUCATION, Member.Role.MEMBER, "Руководитель управления образования", None),
    (Body.ENTREPRENEURSHIP, Member.Role.MEMBER, "Руководитель управления предпринимательства", None),
    (Body.CHAMBER, Member.Role.MEMBER, "Директор региональной палаты предпринимателей", None),
    (Body.TRADE_UNIONS, Member.Role.MEMBER, "Председатель объединения профсоюзов", None),
]
SESSION_DAYS = [19, 20, 21, 22, 23, 26, 27]  # working days of October 2026 after the p.8 deadline
CUT_REASON = ("В регионе зарегистрировано {jobseekers} ищущих работу по профессии «{name}»; {n} ед. покрываются "
              "внутренними ресурсами, в том числе после переобучения")
REFUSAL_REASON = ("Задолженность по заработной плате перед работниками, установленная государственной инспекцией "
                  "труда (акт № {act}), не погашена")


def _person(rng: random.Random) -> str:
    first = rng.choice(FIRST)
    male, female = rng.choice(LAST)
    return f"{female if first in FEMALE else male} {first}"


def _officer(region) -> User:
    """The akimat officer (a demo login, akimat.<code>@demo.kz, as allocation's demo names them)."""
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


def _members(commission, region, rng) -> dict[str, Member]:
    """The seven seats of p.9; the chair and the secretary have portal users (without a password:
    they signed in the demo's past, nobody logs in as them)."""
    if not commission.members.exists():
        password = make_password(None)
        people = []
        for body, role, position, link in SEATS:
            name = _person(rng)
            user = None
            if link:
                user, _created = User.objects.get_or_create(
                    email=f"{link}.{region.code}@commissions.demo.kz",
                    defaults={"full_name": name, "password": password})
                Membership.objects.get_or_create(user=user, authority=region.akimat, role=(
                    Role.COMMISSION_MEMBER if link == "chair" else Role.COMMISSION_SECRETARY))
            people.append(Member(commission=commission, region=region, full_name=name,
                                 position=f"{position} ({region.name_ru})", body=body, role=role, user=user))
        Member.objects.bulk_create(people)
    return {m.body: m for m in commission.members.filter(is_active=True).select_related("user")}


def _figures(region, campaign, officer, occupations, rng) -> dict[int, LabourMarketFigure]:
    existing = {f.occupation_id: f for f in LabourMarketFigure.objects.filter(region=region, campaign=campaign)}
    new = [LabourMarketFigure(
        region=region, campaign=campaign, occupation_id=occ, updated_by=officer, updated_at=at(2026, 10, 2, 11),
        labour_demand=rng.randint(60, 900), planned_jobs_national=rng.randint(10, 200),
        planned_jobs_regional=rng.randint(10, 150), forecast_unemployed=rng.randint(50, 1200),
        expected_releases=rng.randint(0, 60), graduates_tvet=rng.randint(0, 120),
        graduates_post_secondary=rng.randint(0, 20),
        graduates_higher=rng.randint(0, 80), graduates_postgraduate=rng.randint(0, 5),
        jobseekers=rng.choice([0, 0, 0, 0, 1, 2, 3, 6, 14, 40]),
        note="Данные центра занятости и управления образования на 01.10.2026") for occ in occupations
        if occ not in existing]
    with own_dates(LabourMarketFigure):
        LabourMarketFigure.objects.bulk_create(new)
    return {**existing, **{f.occupation_id: f for f in new}}


def _region(region, campaign, apps, stdout) -> int:
    rng = random.Random(f"commission-{campaign.year}-{region.code}")
    officer = _officer(region)
    commission = services.commission_for(region)
    seats = _members(commission, region, rng)
    chair, secretary = seats[Body.AKIMAT].user, seats[Body.LABOUR].user
    lines = {app.pk: list(app.lines.all()) for app in apps}
    figures = _figures(region, campaign, officer, {ln.occupation_id for ls in lines.values() for ln in ls}, rng)
    put_before = at(2026, 10, rng.choice([12, 13, 14]), 11)
    day = dt.date(2026, 10, SESSION_DAYS[int(region.code[:2]) % len(SESSION_DAYS)])
    secretary_signs, chair_signs = at(day.year, day.month, day.day, 16), at(day.year, day.month, day.day, 17, 30)
    refused = {apps[rng.randrange(len(apps))].pk} if len(apps) > 8 and rng.random() < 0.5 else set()

    gens, gen_lines, decided = [], [], {}
    for i, app in enumerate(apps):
        notes, approved = [], {}
        # About a third of the applications have a line that registered jobseekers can fill (p.10(1)).
        may_cut = rng.random() < 0.35
        for ln in lines[app.pk]:
            fig = figures[ln.occupation_id]
            cut = min(ln.count - 1, max(1, fig.jobseekers // 2)) if may_cut and ln.count > 3 and fig.jobseekers >= 2 \
                else 0
            approved[ln.pk] = 0 if app.pk in refused else ln.count - cut
            notes.append((ln, fig, cut))
        demand = "; ".join(f"{ln.occupation.name_ru}: потребность {f.labour_demand}, нацпроекты "
                           f"{f.planned_jobs_national}, региональные планы {f.planned_jobs_regional}"
                           for ln, f, _c in notes)
        forecast = "; ".join(f"{ln.occupation.name_ru}: безработные {f.forecast_unemployed}, высвобождение "
                             f"{f.expected_releases}, выпускники {f.graduates_total}" for ln, f, _c in notes)
        cuts = [ln.occupation.name_ru for ln, _f, c in notes if c]
        domestic = "; ".join(f"{ln.occupation.name_ru}: заявлено {ln.count}, ищущих работу {f.jobseekers}"
                             for ln, f, _c in notes) + (
            f". Частично покрывается внутренними ресурсами: {', '.join(cuts)}" if cuts
            else ". Внутренние трудовые ресурсы потребность не покрывают")
        effectiveness = (f"В 2026 г. привлечено {app.current_year_count} иностранных работников"
                         if app.current_year_count else "В 2026 г. работодатель иностранную рабочую силу не привлекал")
        generalized = at(2026, 10, 2 + i % 8, 10 + i % 7)
        gen = Generalization(application=app, region=region, note_demand=demand, note_forecast=forecast,
                             note_domestic=domestic, note_effectiveness=effectiveness, generalized_at=generalized,
                             generalized_by=officer, to_commission_at=put_before, updated_by=officer,
                             updated_at=put_before, version=3)
        gens.append(gen)
        gen_lines += [(gen, ln, ln.count - c, f"{c} ед. покрываются ищущими работу ({f.jobseekers})" if c else "")
                      for ln, f, c in notes]
        decided[app.pk] = approved
    with own_dates(Generalization, Session, Decision, Vote):
        Generalization.objects.bulk_create(gens)
        GeneralizationLine.objects.bulk_create([GeneralizationLine(generalization=g, line=ln, recommended=r, note=n)
                                                for g, ln, r, n in gen_lines])
        session = Session.objects.create(
            commission=commission, region=region, campaign=campaign, number=1, date=day,
            place=f"{region.akimat.name_ru}, зал заседаний", created_by=secretary, created_at=put_before
            + dt.timedelta(hours=3), secretary_signed_at=secretary_signs, secretary_signed_by=secretary,
            chair_signed_at=chair_signs, chair_signed_by=chair)
        absent = seats[Body.EDUCATION].pk if rng.random() < 0.4 else None
        Attendance.objects.bulk_create([Attendance(session=session, member=m, present=m.pk != absent)
                                        for m in seats.values()])
        ordered = sorted(apps, key=lambda a: (a.organization.name, a.pk))
        items = AgendaItem.objects.bulk_create([AgendaItem(session=session, application=app, region=region,
                                                           position=n) for n, app in enumerate(ordered, start=1)])
        decisions = []
        for n, (item, app) in enumerate(zip(items, ordered, strict=True)):
            approved = sum(decided[app.pk].values())
            requested = sum(ln.count for ln in lines[app.pk])
            outcome = ("rejected" if approved == 0 else "approved" if approved == requested else "partly")
            recorded = at(day.year, day.month, day.day, 10 + n // 12, (n * 5) % 60)
            decisions.append(Decision(item=item, application=app, region=region, organization=app.organization,
                                      outcome=outcome, decided_on=day, signed_at=chair_signs, recorded_by=secretary,
                                      recorded_at=recorded, updated_at=recorded))
        Decision.objects.bulk_create(decisions)
        line_decisions, votes = [], []
        for decision, app in zip(decisions, ordered, strict=True):
            for ln in lines[app.pk]:
                got = decided[app.pk][ln.pk]
                if app.pk in refused:
                    grounds, reason = ["3"], REFUSAL_REASON.format(act=rng.randint(100, 999))
                elif got < ln.count:
                    fig = figures[ln.occupation_id]
                    grounds, reason = ["1"], CUT_REASON.format(jobseekers=fig.jobseekers, name=ln.occupation.name_ru,
                                                               n=ln.count - got)
                else:
                    grounds, reason = [], ""
                line_decisions.append(LineDecision(decision=decision, line=ln, requested=ln.count, approved=got,
                                                   grounds=grounds, reason=reason))
            for m in seats.values():
                if m.pk != absent:
                    choice = (Vote.Choice.ABSTAIN if m.body == Body.CHAMBER and decision.outcome != "approved"
                              else Vote.Choice.FOR)
                    votes.append(Vote(decision=decision, member=m, choice=choice, recorded_by=secretary,
                                      recorded_at=decision.recorded_at))
        LineDecision.objects.bulk_create(line_decisions)
        Vote.objects.bulk_create(votes)
    due = add_working_days(day, campaign.notice_working_days)
    notices = Notice.objects.bulk_create([Notice(decision=d, application=d.application, region=region,
                                                 organization=d.organization, language=d.organization.language or "ru",
                                                 due=due, sent_at=chair_signs, sent_by=chair) for d in decisions])
    for notice in notices:
        notice.number = f"{region.code[:2]}-{notice.pk:05d}"
    Notice.objects.bulk_update(notices, ["number"])
    Violation.objects.bulk_create([Violation(
        region=region, organization=app.organization, ground="3", year=2026, recorded_by=officer,
        description="Задолженность по заработной плате (акт государственной инспекции труда)")
        for app in apps if app.pk in refused])
    session_name = session.stored_name()
    moves = []
    for d in decisions:
        moves += [
            {"application_id": d.application_id, "to": S.AT_COMMISSION, "at": put_before, "actor": officer,
             "note_key": PUT_BEFORE},
            {"application_id": d.application_id, "to": S.DECIDED, "at": chair_signs, "actor": chair,
             "outcome": d.outcome, "note_key": DECIDED,
             "note_params": {"session": session_name}},
            {"application_id": d.application_id, "to": S.NOTIFIED, "at": chair_signs, "actor": chair,
             "outcome": d.outcome, "note_key": NOTICE_SENT},
        ]
    applications_demo.advance(moves)
    return len(decisions)


def seed(*, campaign, exclude: tuple[str, ...], stdout) -> None:
    regions = (Region.objects.exclude(code__in=exclude).filter(
        pk__in=Application.objects.filter(campaign=campaign, status=S.UNDER_REVIEW).values("region_id"))
        .exclude(pk__in=Session.objects.filter(campaign=campaign).values("region_id")).order_by("code"))
    decided = 0
    done = 0
    for region in regions:
        apps = list(Application.objects.filter(campaign=campaign, region=region, status=S.UNDER_REVIEW)
                    .select_related("organization").prefetch_related("lines__occupation").order_by("pk"))
        decided += _region(region, campaign, apps, stdout)
        done += 1
    if done:
        stdout.write(f"  commissions in {done} more regions: {decided} decisions signed, notices sent")
