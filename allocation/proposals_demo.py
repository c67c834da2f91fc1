"""Demo central-body proposals (Rules p.13), run by `seed_demo` after the commissions' step.

For the 2027 campaign the Ministry of Energy (central@demo.kz) proposes two needs to Astana: one,
sent on 20 Oct 2026, agreed by the akimat (akimat.astana@demo.kz) on 24 Oct with one line cut and
its reason; the other, sent on 27 Oct, declined on 29 Oct with the reason. The services run at those
moments (time_machine travels the clock), so every record and history row carries its date.
Idempotent: a proposal already there (by subject) is left as it is.
"""
from __future__ import annotations

import datetime as dt

from django.db import transaction

from quota_portal.core.calendar import ALMATY
from quota_portal.core.models import Campaign, Membership, Occupation, Region, Role, User

from . import proposals_services as services
from .proposals_models import Proposal

ASTANA = "710000000"
CENTRAL_EMAIL, AKIMAT_EMAIL = "central@demo.kz", "akimat.astana@demo.kz"

AGREED = services.ProposalInput(
    title="Строительство ТЭЦ-3 г. Астаны (вторая очередь)",
    justification=("По прогнозу спроса и предложения на рынке труда г. Астаны на 2027 год потребность в инженерах-"
                   "энергетиках и сварщиках высокой квалификации для монтажа котлоагрегатов превышает число "
                   "зарегистрированных соискателей соответствующих профессий; подготовка местных кадров "
                   "требует не менее двух лет."),
    projects="Комплексный план развития энергетики г. Астаны на 2025-2029 годы; ЕРС-контракт № 14/2026.",
    lines=[
        services.ProposalLineInput("3", "2151", 12, "Пусконаладка энергоблоков: 12 инженеров-электриков", 1),
        services.ProposalLineInput("4", "7212", 40, "Сварка трубопроводов высокого давления (НАКС, уровень III)", 2),
        services.ProposalLineInput("S", "7411", 15, "Сезонные электромонтажные работы, май-октябрь 2027", 3),
    ])
DECLINED = services.ProposalInput(
    title="Модернизация электрических сетей АО «Астана-РЭК»",
    justification=("Прогноз рынка труда указывает на нехватку электромонтажников для реконструкции подстанций "
                   "110/10 кВ в 2027 году."),
    projects="Инвестиционная программа АО «Астана-РЭК» на 2026-2030 годы.",
    lines=[
        services.ProposalLineInput("4", "7411", 25, "Монтаж оборудования подстанций", 1),
        services.ProposalLineInput("3", "3113", 6, "Наладка релейной защиты", 2),
    ])
CUT_REASON = ("В городе зарегистрированы 18 безработных сварщиков; центр занятости обучит ещё 10 до марта "
              "2027 года (Правила, п.7(3))")
DECLINE_REASON = ("Потребность покрывается внутренними трудовыми ресурсами: АО «Астана-РЭК» и центр занятости "
                  "подготовили 40 электромонтажников по программе «Енбек» (выпуск — декабрь 2026 года).")


def at(y, m, d, h=10, mi=0):
    return dt.datetime(y, m, d, h, mi, tzinfo=ALMATY)


def travel(moment):
    """Run the services at a past moment (time_machine is a dev dependency; seed_demo is DEBUG-only)."""
    import time_machine

    return time_machine.travel(moment, tick=False)


def _member(email: str, role: str):
    user = User.objects.filter(email=email).first()
    membership = Membership.objects.filter(user=user, role=role).select_related("authority").first() if user else None
    return user, membership


def seed(*, stdout) -> None:
    campaign = Campaign.objects.filter(year=2027).first()
    central, central_membership = _member(CENTRAL_EMAIL, Role.CENTRAL_OFFICER)
    akimat, _membership = _member(AKIMAT_EMAIL, Role.AKIMAT_OFFICER)
    if campaign is None or central_membership is None or akimat is None:
        stdout.write("  proposals: the 2027 campaign or the demo users are missing, skipped")
        return
    if Occupation.objects.filter(code__in=["2151", "7212", "7411", "3113"]).count() != 4:
        stdout.write("  proposals: the occupation classifier is not loaded, skipped")
        return
    astana = Region.objects.get(code=ASTANA)
    authority = central_membership.authority
    with transaction.atomic():
        if not Proposal.objects.filter(authority=authority, campaign=campaign, title=AGREED.title).exists():
            with travel(at(2026, 10, 16, 11)):
                proposal = services.proposal_create(actor=central, authority=authority, region=astana,
                                                    campaign=campaign, data=AGREED)
            with travel(at(2026, 10, 20, 15)):
                proposal = services.proposal_send(actor=central, proposal=proposal,
                                                  expected_revision=proposal.revision)
            welders = proposal.lines.get(occupation__code="7212")
            with travel(at(2026, 10, 24, 12)):
                services.proposal_agree(actor=akimat, proposal=proposal, expected_revision=proposal.revision,
                                        counts={welders.pk: (30, CUT_REASON)})
        if not Proposal.objects.filter(authority=authority, campaign=campaign, title=DECLINED.title).exists():
            with travel(at(2026, 10, 22, 9, 30)):
                proposal = services.proposal_create(actor=central, authority=authority, region=astana,
                                                    campaign=campaign, data=DECLINED)
            with travel(at(2026, 10, 27, 16)):
                proposal = services.proposal_send(actor=central, proposal=proposal,
                                                  expected_revision=proposal.revision)
            with travel(at(2026, 10, 29, 11)):
                services.proposal_decline(actor=akimat, proposal=proposal, expected_revision=proposal.revision,
                                          reason=DECLINE_REASON)
    stdout.write(f"  proposals: {Proposal.objects.filter(authority=authority, campaign=campaign).count()} "
                 "for 2027 from the Ministry of Energy to Astana")
