"""Demo data of the review and the Commission, called by `seed_demo` after `applications.demo`.

The work is dated as it would have happened (seed_demo is DEBUG-only; time_machine travels the
clock while the services run, so every record and status change they write carries that date):
- 2026 history: a few employers' 2026 applications decided in October 2025, so that the
  utilisation rate of p.7(4) shows for their 2027 applications;
- Astana: figures on 2 Oct 2026, generalized 5-9 Oct, put before the Commission on 14 Oct,
  session No. 1 on 20 Oct (decisions and both signatures that day, notices sent at once); one
  application generalized late (15 Oct, with a reason) goes to session No. 2 on 22 Oct, whose
  chair signs only after the notice was due: that notice is shown overdue;
- Atyrau: generalized 6-9 Oct, put before the Commission on 14 Oct, awaiting a session; its
  secretary and chair have logins. Idempotent.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from applications.models import Application
from quota_portal.core.audit import audited
from quota_portal.core.calendar import ALMATY, add_working_days
from quota_portal.core.models import Campaign, Membership, Organization, Region, Role, User

from . import demo_regions, services
from .models import (
    AgendaItem,
    Body,
    Decision,
    LabourMarketFigure,
    LineDecision,
    Member,
    Notice,
    Session,
    Violation,
)
from .selectors import current_decision, effectiveness, figures_for

ASTANA, ATYRAU = "710000000", "230000000"
S = Application.Status
LATE_GENERALIZATION = ("Сведения государственной инспекции труда о задолженности по заработной плате "
                       "поступили 14.10.2026; обобщение завершено после их получения")

COMPOSITION = {
    ASTANA: [
        ("Ахметжанов Ерлан Серикович", "Заместитель акима города Астаны", Body.AKIMAT, Member.Role.CHAIR, "chair"),
        ("Ахметов Марат", "Главный специалист управления занятости", Body.LABOUR, Member.Role.SECRETARY, "secretary"),
        ("Омаров Данияр Болатович", "Начальник управления миграционной службы ДП г. Астаны", Body.INTERNAL_AFFAIRS,
         Member.Role.MEMBER, None),
        ("Ким Ольга Викторовна", "Руководитель управления образования г. Астаны", Body.EDUCATION, Member.Role.MEMBER,
         None),
        ("Жумабаев Нурлан Кайратович", "Руководитель управления предпринимательства г. Астаны", Body.ENTREPRENEURSHIP,
         Member.Role.MEMBER, None),
        ("Беков Арман Талгатович", "Директор палаты предпринимателей г. Астаны", Body.CHAMBER, Member.Role.MEMBER,
         None),
        ("Исаева Гульнар Маратовна", "Председатель совета профсоюзов г. Астаны", Body.TRADE_UNIONS, Member.Role.MEMBER,
         None),
    ],
    ATYRAU: [
        ("Утепов Бауыржан Серикович", "Заместитель акима Атырауской области", Body.AKIMAT, Member.Role.CHAIR, "chair"),
        ("Бисенова Жанар Амановна", "Главный специалист управления координации занятости", Body.LABOUR,
         Member.Role.SECRETARY, "secretary"),
        ("Сапаров Ержан", "Начальник управления миграционной службы ДП Атырауской области", Body.INTERNAL_AFFAIRS,
         Member.Role.MEMBER, None),
        ("Нургалиева Асель", "Руководитель управления образования", Body.EDUCATION, Member.Role.MEMBER, None),
        ("Кенжебаев Тимур", "Руководитель управления предпринимательства и индустриально-инновационного развития",
         Body.ENTREPRENEURSHIP, Member.Role.MEMBER, None),
        ("Досмухамбетов Алмас", "Директор региональной палаты предпринимателей", Body.CHAMBER, Member.Role.MEMBER,
         None),
        ("Мендыгалиева Сауле", "Председатель областного объединения профсоюзов", Body.TRADE_UNIONS, Member.Role.MEMBER,
         None),
    ],
}
CHAIR_EMAIL = "chair.astana@demo.kz"
# Commission logins the core seed does not create: (email, full name, role, region code, Member role).
COMMISSION_LOGINS = [
    (CHAIR_EMAIL, "Ахметжанов Ерлан Серикович", Role.COMMISSION_MEMBER, ASTANA, Member.Role.CHAIR),
    ("secretary.atyrau@demo.kz", "Бисенова Жанар Амановна", Role.COMMISSION_SECRETARY, ATYRAU, Member.Role.SECRETARY),
    ("chair.atyrau@demo.kz", "Утепов Бауыржан Серикович", Role.COMMISSION_MEMBER, ATYRAU, Member.Role.CHAIR),
]


def _user(email: str):
    return User.objects.filter(email=email).first()


def _akimat_details(region, address: str, phone: str, email: str) -> None:
    """The akimat's details printed on the notices (p.11), when the reference data lacks them."""
    akimat = region.akimat
    if not akimat.address:
        akimat.address, akimat.phone, akimat.email = address, phone, email
        akimat.save(update_fields=["address", "phone", "email"])


def _commission_login(email: str, full_name: str, role: str, region_code: str):
    """A portal login for a Commission seat (the chair signs, the secretary runs the sessions)."""
    from quota_portal.core.management.commands.seed_demo import PASSWORD

    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name})
    if created:
        user.set_password(PASSWORD)
        user.save()
    region = Region.objects.get(code=region_code)
    Membership.objects.get_or_create(user=user, role=role, authority=region.akimat)
    return user


def _commission_logins() -> dict:
    """{(region code, Member role): user} for the logins of COMMISSION_LOGINS."""
    return {(code, seat): _commission_login(email, name, role, code)
            for email, name, role, code, seat in COMMISSION_LOGINS}


def _commission(region, users: dict):
    commission = services.commission_for(region)
    for full_name, position, body, role, link in COMPOSITION[region.code]:
        member, _ = Member.objects.get_or_create(commission=commission, full_name=full_name, defaults={
            "region": region, "position": position, "body": body, "role": role})
        user = users.get(link)
        if user is not None and member.user_id != user.pk:
            member.user = user
            member.save()
    return commission


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def travel(moment):
    """Run the services at a past moment (time_machine is a dev dependency; seed_demo is DEBUG-only)."""
    import time_machine

    return time_machine.travel(moment, tick=False)


# Registered jobseekers per occupation, varied so that some lines can be met domestically (p.10(1)).
JOBSEEKERS = [3, 12, 40, 0, 7]


def _figures(region, campaign, actor, apps) -> None:
    occupations = {line.occupation for app in apps for line in app.lines.all()}
    with travel(at(2026, 10, 2, 11)):
        for i, occupation in enumerate(sorted(occupations, key=lambda o: o.code)):
            if LabourMarketFigure.objects.filter(region=region, campaign=campaign, occupation=occupation).exists():
                continue
            services.figure_save(actor=actor, region=region, campaign=campaign, occupation=occupation, values={
                "labour_demand": 120 + 35 * i, "planned_jobs_national": 40 + 5 * i, "planned_jobs_regional": 25 + 3 * i,
                "forecast_unemployed": 300 + 20 * i, "expected_releases": 15 + i, "graduates_tvet": 60 - 2 * i,
                "graduates_post_secondary": 12, "graduates_higher": 30 + i, "graduates_postgraduate": 2,
                "jobseekers": JOBSEEKERS[i % len(JOBSEEKERS)],
                "note": "Данные центра занятости и управления образования на 01.10.2026"})


def _recommended(line, figure) -> int:
    """Cut a line only where registered jobseekers could fill it (p.10(1)): up to half of it."""
    jobseekers = figure.jobseekers if figure else 0
    if jobseekers >= line.count and line.count > 1:
        return line.count - max(1, min(line.count // 2, jobseekers // 2))
    return line.count


def _notes(app) -> tuple[dict, dict]:
    """The four factors of p.7 written from the region's figures and last year's decisions."""
    lines = list(app.lines.select_related("occupation"))
    figures = figures_for(region=app.region, campaign=app.campaign, occupations=[ln.occupation_id for ln in lines])
    demand, forecast, domestic, recommended = [], [], [], {}
    coverable = []
    for line in lines:
        fig = figures.get(line.occupation_id)
        name = line.occupation.name
        if fig is None:
            demand.append(f"{name}: сведений нет")
            recommended[line.pk] = (line.count, "")
            continue
        demand.append(f"{name}: потребность {fig.labour_demand}, нацпроекты {fig.planned_jobs_national}, "
                      f"региональные планы {fig.planned_jobs_regional}")
        forecast.append(f"{name}: безработные {fig.forecast_unemployed}, высвобождение {fig.expected_releases}, "
                        f"выпускники {fig.graduates_total}")
        rec = _recommended(line, fig)
        domestic.append(f"{name}: заявлено {line.count}, ищущих работу {fig.jobseekers}")
        if rec < line.count:
            coverable.append(name)
        recommended[line.pk] = (rec, "" if rec == line.count else
                                f"{line.count - rec} ед. покрываются ищущими работу ({fig.jobseekers})")
    eff = effectiveness(application=app)
    if eff["approved"]:
        note_eff = (f"В {eff['previous_year']} г. одобрено {eff['approved']} ед., фактически привлечено "
                    f"{eff['used']} ({eff['rate']}%)")
    else:
        note_eff = f"В {eff['previous_year']} г. работодатель иностранную рабочую силу не привлекал"
    conclusion = (f"Частично покрывается внутренними ресурсами: {', '.join(coverable)}" if coverable
                  else "Внутренние трудовые ресурсы потребность не покрывают")
    notes = {"note_demand": "; ".join(demand), "note_forecast": "; ".join(forecast) or "Сведений нет",
             "note_domestic": "; ".join(domestic) + ". " + conclusion, "note_effectiveness": note_eff}
    return notes, recommended


def _generalize(app, actor, moment, late_reason: str = "") -> None:
    app.refresh_from_db()
    if app.status not in (S.SUBMITTED, S.UNDER_REVIEW):
        return
    gen = getattr(app, "generalization", None)
    if gen is not None and gen.generalized_at:
        return
    with travel(moment):
        notes, lines = _notes(app)
        services.generalization_save(actor=actor, application=app, lines=lines, notes=notes,
                                     expected_version=gen.version if gen is not None else 0)
        services.generalization_mark(actor=actor, application=app, late_reason=late_reason)


def _to_commission(region, campaign, actor, moment) -> None:
    """Put the generalized applications before the Commission (the reason is used only if late)."""
    if Application.objects.filter(region=region, campaign=campaign, status=S.UNDER_REVIEW,
                                  generalization__generalized_at__isnull=False).exists():
        with travel(moment):
            services.generalized_to_commission(actor=actor, region=region, campaign=campaign,
                                               late_reason=LATE_GENERALIZATION)


def _previous_year(region, campaign, orgs, secretary) -> None:
    """2026 applications of a few employers, approved at a session in October 2025 (p.7(4)).
    Previous-year history, written directly with its dates (it predates the portal's workflow)."""
    c2026 = Campaign.objects.filter(year=campaign.year - 1).first()
    if c2026 is None:
        c2026 = Campaign.for_year(campaign.year - 1)
        c2026.save()
    commission = services.commission_for(region)
    if Session.objects.filter(commission=commission, campaign=c2026).exists() or not orgs:
        return
    from applications.models import Line

    with travel(at(2025, 10, 21, 15)):
        session = Session.objects.create(
            commission=commission, region=region, campaign=c2026, number=1, date=dt.date(2025, 10, 21),
            place="зал заседаний акимата", created_by=secretary, secretary_signed_at=at(2025, 10, 21, 16),
            secretary_signed_by=secretary, chair_signed_at=at(2025, 10, 21, 17), chair_signed_by=secretary,
            chair_signature_note="подписано на бумажном протоколе, архив № 14-2025")
        for n, (org, lines) in enumerate(orgs):
            app = Application.objects.create(
                organization=org, campaign=c2026, region=region, status=S.NOTIFIED, outcome="approved",
                created_by=secretary, registration_number=f"{c2026.year}-{region.code}-{n + 1:06d}",
                justification="Заявка 2026 года", submitted_at=at(2025, 9, 20), signer_name="Руководитель",
                signer_position="Директор")
            item = AgendaItem.objects.create(session=session, application=app, region=region, position=n + 1)
            decision = Decision.objects.create(item=item, application=app, region=region, organization=org,
                                               outcome="approved", decided_on=session.date, recorded_by=secretary,
                                               signed_at=at(2025, 10, 21, 17))
            for pos, old in enumerate(lines):
                count = max(1, old.count - 1)
                line = Line.objects.create(application=app, category=old.category, occupation=old.occupation,
                                           count=count, position=pos)
                LineDecision.objects.create(decision=decision, line=line, requested=count, approved=count)


def _decide(session, secretary, cut_first: bool) -> None:
    members = list(session.commission.members.filter(is_active=True))
    services.attendance_set(actor=secretary, session=session, present_ids={m.pk for m in members})
    for n, item in enumerate(session.items.select_related("application")):
        if current_decision(item) is not None:
            continue
        app = item.application
        app_lines = list(app.lines.select_related("occupation"))
        recommended = {g.line_id: g.recommended for g in item.application.generalization.lines.all()}
        figures = figures_for(region=app.region, campaign=app.campaign,
                              occupations=[ln.occupation_id for ln in app_lines])
        lines = {}
        for line in app_lines:
            approved = recommended.get(line.pk, line.count)
            if approved < line.count:
                fig = figures[line.occupation_id]
                lines[line.pk] = {"approved": approved, "grounds": ["1"],
                                  "reason": f"В регионе зарегистрировано {fig.jobseekers} ищущих работу по профессии "
                                            f"«{line.occupation.name}»; {line.count - approved} ед. покрываются "
                                            f"внутренними ресурсами, в том числе после переобучения"}
            else:
                lines[line.pk] = {"approved": line.count, "grounds": [], "reason": ""}
        services.decision_record(actor=secretary, item=item, lines=lines,
                                 votes={m.pk: ("abstain" if m.body == Body.CHAMBER and n == 0 and cut_first else "for")
                                        for m in members})


def _sessions(commission, campaign, secretary, chair_user, late_app) -> None:
    """Session No. 1 (20 Oct) for the applications put before the Commission on 14 Oct; No. 2
    (22 Oct) for the one put before it late on 15 Oct, whose chair signs after the notice was due."""
    if Session.objects.filter(commission=commission, campaign=campaign).exists():
        return
    place = "г. Астана, пр. Бейбітшілік, 11, зал заседаний"
    with travel(at(2026, 10, 14, 15)):
        first = services.session_create(actor=secretary, commission=commission, campaign=campaign,
                                        date=dt.date(2026, 10, 20), place=place)
    if late_app is not None:
        _generalize(late_app, _user("akimat.astana@demo.kz"), at(2026, 10, 15, 9), LATE_GENERALIZATION)
        _to_commission(commission.region, campaign, _user("akimat.astana@demo.kz"), at(2026, 10, 15, 12))
    with travel(at(2026, 10, 20, 11)):
        _decide(first, secretary, cut_first=True)
    with travel(at(2026, 10, 20, 16)):
        services.session_sign(actor=secretary, session=first)
    with travel(at(2026, 10, 20, 17, 30)):
        services.session_sign(actor=chair_user, session=first, as_chair=True)
    if late_app is None:
        return
    with travel(at(2026, 10, 16, 10)):
        second = services.session_create(actor=secretary, commission=commission, campaign=campaign,
                                         date=dt.date(2026, 10, 22), place=place)
    with travel(at(2026, 10, 22, 11)):
        _decide(second, secretary, cut_first=False)
    with travel(at(2026, 10, 22, 16)):
        services.session_sign(actor=secretary, session=second)
    # The chair was away: signs the working day after the notice was due, so the notice is late.
    late_day = add_working_days(add_working_days(second.date, campaign.notice_working_days), 1)
    with travel(dt.datetime.combine(late_day, dt.time(10), tzinfo=ALMATY)):
        services.session_sign(actor=chair_user, session=second, as_chair=True)


def seed(*, stdout) -> None:
    campaign = Campaign.objects.filter(year=2027).first()
    if campaign is None:
        stdout.write("  commissions: no 2027 campaign, skipped")
        return
    astana, atyrau = Region.objects.get(code=ASTANA), Region.objects.get(code=ATYRAU)
    officer, secretary, officer_atyrau = (_user("akimat.astana@demo.kz"), _user("secretary.astana@demo.kz"),
                                          _user("akimat.atyrau@demo.kz"))
    if not (officer and secretary and officer_atyrau):
        stdout.write("  commissions: demo users missing, skipped")
        return
    with transaction.atomic(), audited(None, "commissions_demo"):
        _akimat_details(astana, "010000, г. Астана, пр. Бейбітшілік, 11", "+7 7172 55 64 00", "akimat@astana.gov.kz")
        _akimat_details(atyrau, "060002, г. Атырау, ул. Айтеке би, 77", "+7 7122 35 45 00", "akimat@atyrau.gov.kz")
        logins = _commission_logins()
        chair = logins[(ASTANA, Member.Role.CHAIR)]
        atyrau_secretary = logins[(ATYRAU, Member.Role.SECRETARY)]
        astana_commission = _commission(astana, {"chair": chair, "secretary": secretary})
        _commission(atyrau, {"chair": logins[(ATYRAU, Member.Role.CHAIR)], "secretary": atyrau_secretary})
        apps_by_region = {}
        for region, actor, sec in ((astana, officer, secretary), (atyrau, officer_atyrau, atyrau_secretary)):
            apps = list(Application.objects.filter(region=region, campaign=campaign)
                        .exclude(status=S.DRAFT).order_by("pk").prefetch_related("lines__occupation"))
            apps_by_region[region.code] = apps
            _figures(region, campaign, actor, apps)
            # Previous-year approvals for every other employer (the utilisation rate of p.7(4)).
            _previous_year(region, campaign, [(a.organization, list(a.lines.all())) for a in apps[::2]], sec)
        org = Organization.objects.filter(pk__in=Application.objects.filter(
            region=atyrau, campaign=campaign).values("organization_id")).first()
        if org and not Violation.objects.filter(organization=org).exists():
            with travel(at(2026, 10, 3, 12)):
                services.violation_record(actor=officer_atyrau, region=atyrau, organization=org, ground="3", year=2026,
                                          description="Задолженность по заработной плате за 2 месяца (акт ГИТ № 112)")
                services.violation_record(actor=officer_atyrau, region=atyrau, organization=org, ground="2", year=2025,
                                          description="Привлечение иностранца без разрешения",
                                          remedied_on=dt.date(2026, 3, 1))
        astana_apps = apps_by_region[ASTANA]
        late_app = astana_apps[-1] if len(astana_apps) > 1 else None
        for region, actor in ((astana, officer), (atyrau, officer_atyrau)):
            for i, app in enumerate(apps_by_region[region.code]):
                if app is not late_app:
                    _generalize(app, actor, at(2026, 10, 5 + i % 5, 10 + i % 6))
            if not Session.objects.filter(commission__region=region, campaign=campaign).exists():
                _to_commission(region, campaign, actor, at(2026, 10, 14, 11))
        _sessions(astana_commission, campaign, secretary, chair, late_app)
    # The other regions: their Commissions' sessions of October 2026, in bulk (commissions.demo_regions).
    with transaction.atomic(), audited(None, "commissions_demo_regions"):
        demo_regions.seed(campaign=campaign, exclude=(ASTANA, ATYRAU), stdout=stdout)
    late = [n for n in Notice.objects.filter(region=astana) if n.is_overdue()]
    stdout.write(f"  commissions: Astana sessions {Session.objects.filter(region=astana, campaign=campaign).count()}, "
                 f"notices {Notice.objects.filter(region=astana).count()} ({len(late)} late); Atyrau at the Commission "
                 f"{Application.objects.filter(region=atyrau, campaign=campaign, status=S.AT_COMMISSION).count()}; "
                 f"Commission logins (password as above): "
                 + ", ".join(email for email, *_rest in COMMISSION_LOGINS))
