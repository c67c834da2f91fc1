"""Demo data of the review and the Commission, called by `seed_demo` after `applications.demo`.

Astana: a full p.9 Commission, figures, a violation; the 2027 applications generalized, decided
at a signed session, notices sent. Atyrau: generalized and awaiting a session. Idempotent.
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from applications.models import Application
from quota_portal.core.audit import audited
from quota_portal.core.models import Campaign, Membership, Organization, Region, Role, User

from . import services
from .models import Body, LabourMarketFigure, Member, Session, Violation

ASTANA, ATYRAU = "710000000", "230000000"
S = Application.Status
LATE = "Демонстрационные данные: внесены после срока"

COMPOSITION = {
    ASTANA: [
        ("Ахметжанов Ерлан Серикович", "Заместитель акима города Астаны", Body.AKIMAT, Member.Role.CHAIR, "chair"),
        ("Ахметов Марат", "Главный специалист управления занятости", Body.LABOUR, Member.Role.SECRETARY, "secretary"),
        ("Омаров Данияр Болатович", "Начальник управления миграционной службы ДП г. Астаны", Body.INTERNAL_AFFAIRS, Member.Role.MEMBER, None),
        ("Ким Ольга Викторовна", "Руководитель управления образования г. Астаны", Body.EDUCATION, Member.Role.MEMBER, None),
        ("Жумабаев Нурлан Кайратович", "Руководитель управления предпринимательства г. Астаны", Body.ENTREPRENEURSHIP, Member.Role.MEMBER, None),
        ("Беков Арман Талгатович", "Директор палаты предпринимателей г. Астаны", Body.CHAMBER, Member.Role.MEMBER, None),
        ("Исаева Гульнар Маратовна", "Председатель совета профсоюзов г. Астаны", Body.TRADE_UNIONS, Member.Role.MEMBER, None),
    ],
    ATYRAU: [
        ("Утепов Бауыржан Серикович", "Заместитель акима Атырауской области", Body.AKIMAT, Member.Role.CHAIR, "chair"),
        ("Бисенова Жанар Амановна", "Главный специалист управления координации занятости", Body.LABOUR, Member.Role.SECRETARY, "secretary"),
        ("Сапаров Ержан", "Начальник управления миграционной службы ДП Атырауской области", Body.INTERNAL_AFFAIRS, Member.Role.MEMBER, None),
        ("Нургалиева Асель", "Руководитель управления образования", Body.EDUCATION, Member.Role.MEMBER, None),
        ("Кенжебаев Тимур", "Руководитель управления предпринимательства и индустриально-инновационного развития", Body.ENTREPRENEURSHIP, Member.Role.MEMBER, None),
        ("Досмухамбетов Алмас", "Директор региональной палаты предпринимателей", Body.CHAMBER, Member.Role.MEMBER, None),
        ("Мендыгалиева Сауле", "Председатель областного объединения профсоюзов", Body.TRADE_UNIONS, Member.Role.MEMBER, None),
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


def _figures(region, campaign, actor, apps) -> None:
    occupations = {line.occupation for app in apps for line in app.lines.all()}
    for i, occupation in enumerate(sorted(occupations, key=lambda o: o.code)):
        if LabourMarketFigure.objects.filter(region=region, campaign=campaign, occupation=occupation).exists():
            continue
        services.figure_save(actor=actor, region=region, campaign=campaign, occupation=occupation, values={
            "labour_demand": 120 + 35 * i, "planned_jobs_national": 40 + 5 * i, "planned_jobs_regional": 25,
            "forecast_unemployed": 300 + 20 * i, "expected_releases": 15 + i, "graduates_tvet": 60,
            "graduates_post_secondary": 12, "graduates_higher": 30 + i, "graduates_postgraduate": 2,
            "jobseekers": 3 if i % 2 == 0 else 40,
            "note": "Данные центра занятости и управления образования (демо)"})


def _generalize(apps, actor) -> None:
    for app in apps:
        app.refresh_from_db()
        if app.status not in (S.SUBMITTED, S.UNDER_REVIEW):
            continue
        gen = getattr(app, "generalization", None)
        if gen is None or not gen.generalized_at:
            services.generalization_save(
                actor=actor, application=app, lines={line.pk: (line.count, "") for line in app.lines.all()},
                notes={"note_demand": "Спрос подтверждён проектами индустриализации региона",
                       "note_forecast": "Прогноз безработных и выпускников не покрывает потребность",
                       "note_domestic": "Внутренние трудовые ресурсы недостаточны по квалификации",
                       "note_effectiveness": "Иностранная рабочая сила в прошлом году использована эффективно"})
            services.generalization_mark(actor=actor, application=app, late_reason=LATE)


def _to_commission(region, campaign, actor) -> None:
    if Application.objects.filter(region=region, campaign=campaign, status=S.UNDER_REVIEW,
                                  generalization__generalized_at__isnull=False).exists():
        services.generalized_to_commission(actor=actor, region=region, campaign=campaign, late_reason=LATE)


def _session(commission, campaign, secretary, chair_user) -> None:
    if Session.objects.filter(commission=commission, campaign=campaign, chair_signed_at__isnull=False).exists():
        return
    session = Session.objects.filter(commission=commission, campaign=campaign).first()
    if session is None:
        if not Application.objects.filter(region=commission.region, campaign=campaign, status=S.AT_COMMISSION).exists():
            return
        session = services.session_create(actor=secretary, commission=commission, campaign=campaign,
                                          date=timezone.localdate(), place="г. Астана, ул. Бейбітшілік, 11, зал заседаний")
    members = list(commission.members.filter(is_active=True))
    services.attendance_set(actor=secretary, session=session, present_ids={m.pk for m in members})
    for n, item in enumerate(session.items.select_related("application")):
        if services.current_decision(item) is not None:
            continue
        lines = {}
        app_lines = list(item.application.lines.all())
        largest = max(app_lines, key=lambda line: line.count, default=None)
        for line in app_lines:
            if n == 0 and line is largest and line.count > 1:
                lines[line.pk] = {"approved": line.count // 2, "grounds": ["1"],
                                  "reason": "В регионе зарегистрированы безработные этой профессии, "
                                            "часть потребности покрывается после переобучения"}
            else:
                lines[line.pk] = {"approved": line.count, "grounds": [], "reason": ""}
        services.decision_record(actor=secretary, item=item, lines=lines,
                                 votes={m.pk: ("abstain" if m.body == Body.CHAMBER and n == 0 else "for") for m in members})
    if not session.secretary_signed_at:
        services.session_sign(actor=secretary, session=session)
    services.session_sign(actor=chair_user, session=session, as_chair=True)


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
        astana_commission = _commission(astana, {"chair": chair, "secretary": secretary})
        _commission(atyrau, {"chair": logins[(ATYRAU, Member.Role.CHAIR)],
                             "secretary": logins[(ATYRAU, Member.Role.SECRETARY)]})
        for region, actor in ((astana, officer), (atyrau, officer_atyrau)):
            apps = list(Application.objects.filter(region=region, campaign=campaign).prefetch_related("lines__occupation"))
            _figures(region, campaign, actor, apps)
        org = Organization.objects.filter(pk__in=Application.objects.filter(
            region=atyrau, campaign=campaign).values("organization_id")).first()
        if org and not Violation.objects.filter(organization=org).exists():
            services.violation_record(actor=officer_atyrau, region=atyrau, organization=org, ground="3", year=2026,
                                      description="Задолженность по заработной плате за 2 месяца (акт ГИТ № 112)")
            services.violation_record(actor=officer_atyrau, region=atyrau, organization=org, ground="2", year=2025,
                                      description="Привлечение иностранца без разрешения",
                                      remedied_on=timezone.localdate().replace(month=3, day=1))
        for region, actor in ((astana, officer), (atyrau, officer_atyrau)):
            apps = list(Application.objects.filter(region=region, campaign=campaign))
            _generalize(apps, actor)
            _to_commission(region, campaign, actor)
        _session(astana_commission, campaign, secretary, chair)
    stdout.write(f"  commissions: Astana sessions {Session.objects.filter(region=astana).count()}, "
                 f"Atyrau at the Commission "
                 f"{Application.objects.filter(region=atyrau, campaign=campaign, status=S.AT_COMMISSION).count()}; "
                 f"Commission logins (password as above): "
                 + ", ".join(email for email, *_rest in COMMISSION_LOGINS))
