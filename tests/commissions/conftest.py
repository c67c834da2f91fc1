"""Arranging data for the review and the Commission: applications (made directly with the ORM,
as the applications services are written concurrently), a full p.9 Commission, a session."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from applications.models import Application, Line
from commissions import services
from commissions.models import Body, Generalization, GeneralizationLine, Member

S = Application.Status


def make_application(cast, *, org=None, region=None, status=S.AT_COMMISSION, lines=(), number="", campaign=None,
                     current_year_count=0):
    org = org or cast.org
    app = Application.objects.create(
        organization=org, campaign=campaign or cast.campaign, region=region or cast.astana, status=status,
        created_by=cast.employer, registration_number=number or f"REG-{org.pk}-{(region or cast.astana).pk}",
        justification="Строительство объекта", current_year_count=current_year_count,
        signer_name="Иванов И.И.", signer_position="Директор")
    for i, (category, occupation, count) in enumerate(lines):
        Line.objects.create(application=app, category=category, occupation=occupation, count=count, position=i)
    return app


def generalize(app, actor):
    gen = Generalization.objects.create(application=app, region=app.region, note_demand="d", note_forecast="f",
                                        note_domestic="x", note_effectiveness="e", generalized_by=actor)
    for line in app.lines.all():
        GeneralizationLine.objects.create(generalization=gen, line=line, recommended=line.count)
    return gen


def full_commission(region, *, users=None, quorum=None):
    """A Commission with one member per p.9 body plus a chair from the akimat: 7 members."""
    users = users or {}
    commission = services.commission_for(region)
    commission.quorum = quorum
    commission.save()
    people = [
        ("Ахметов Ерлан", "Заместитель акима", Body.AKIMAT, Member.Role.CHAIR),
        ("Садыкова Айгуль", "Главный специалист", Body.LABOUR, Member.Role.SECRETARY),
        ("Омаров Данияр", "Начальник управления миграционной службы", Body.INTERNAL_AFFAIRS, Member.Role.MEMBER),
        ("Ким Ольга", "Руководитель управления образования", Body.EDUCATION, Member.Role.MEMBER),
        ("Жумабаев Нурлан", "Руководитель управления предпринимательства", Body.ENTREPRENEURSHIP, Member.Role.MEMBER),
        ("Беков Арман", "Директор палаты предпринимателей", Body.CHAMBER, Member.Role.MEMBER),
        ("Исаева Гульнар", "Председатель совета профсоюзов", Body.TRADE_UNIONS, Member.Role.MEMBER),
    ]
    members = []
    for i, (name, position, body, role) in enumerate(people):
        members.append(Member.objects.create(commission=commission, region=region, full_name=name, position=position,
                                             body=body, role=role, user=users.get(i)))
    return commission, members


@pytest.fixture
def astana_case(cast, occupations):
    """Astana: one application at the Commission (2 lines), a full Commission whose chair is
    linked to cast.member and whose secretary to cast.secretary, a session with everyone present."""
    app = make_application(cast, lines=[("3", occupations.o2142, 5), ("4", occupations.o7212, 10)],
                           current_year_count=8)
    generalize(app, cast.akimat_officer)
    commission, members = full_commission(cast.astana, users={0: cast.member, 1: cast.secretary})
    session = services.session_create(actor=cast.secretary, commission=commission, campaign=cast.campaign,
                                      date=dt.date(2026, 10, 20), place="Астана, пр. Бейбитшилик, 11")
    services.attendance_set(actor=cast.secretary, session=session, present_ids={m.pk for m in members})
    item = session.items.get()
    return SimpleNamespace(app=app, commission=commission, members=members, session=session, item=item,
                           lines=list(app.lines.all()), chair=members[0], secretary_member=members[1])


def all_approved(app):
    return {line.pk: {"approved": line.count, "grounds": [], "reason": ""} for line in app.lines.all()}


def votes_for(members):
    return {m.pk: "for" for m in members}
