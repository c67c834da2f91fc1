"""Arranging signed Commission decisions directly with the ORM (the Commission's own flow is tested
in tests/commissions/): a session, an agenda item and a decision with its lines per application."""
from __future__ import annotations

import datetime as dt

from django.utils import timezone

from applications.models import Application, Line
from commissions import services as commission_services
from commissions.models import AgendaItem, Decision, Generalization, LineDecision, Session
from quota_portal.core.models import Organization
from quota_portal.core.validators import make_bin_iin

S = Application.Status


def valid_bin(i: int) -> str:
    n = 20000000000 + i * 13
    while True:
        try:
            return make_bin_iin(f"{n:011d}")
        except ValueError:
            n += 1


def make_org(region, i: int) -> Organization:
    return Organization.objects.create(bin_iin=valid_bin(i), name=f"ТОО «Фирма {i:05d}»",
                                       legal_address=f"ул. Абая, {i}", region=region)


def make_app(cast, org, *, region=None, lines=(), status=S.DECIDED, current_year_count=3) -> Application:
    region = region or cast.astana
    app = Application.objects.create(
        organization=org, campaign=cast.campaign, region=region, status=status, created_by=cast.employer,
        registration_number=f"REG-{org.pk}-{region.pk}", justification="Проект", current_year_count=current_year_count)
    for i, (category, occupation, count, specialty) in enumerate(lines):
        Line.objects.create(application=app, category=category, occupation=occupation, count=count, position=i,
                            specialty=specialty)
    Generalization.objects.create(application=app, region=region, note_demand="спрос", note_forecast="прогноз",
                                  note_domestic="нет кадров", note_effectiveness="эффективно")
    return app


def _session(cast, app):
    """A session without an item for `app` yet (a correction goes to a later session)."""
    commission = commission_services.commission_for(app.region)
    for session in Session.objects.filter(commission=commission, campaign=cast.campaign).order_by("number"):
        if not AgendaItem.objects.filter(session=session, application=app).exists():
            return session
    number = Session.objects.filter(commission=commission).count() + 1
    return Session.objects.create(commission=commission, region=app.region, campaign=cast.campaign, number=number,
                                  date=dt.date(2026, 10, 20), place="Зал", created_by=cast.secretary)


def decide(cast, app, approved: dict | None = None, *, signed=True, supersedes=None) -> Decision:
    """A decision approving `approved[line_pk]` (default: everything requested)."""
    session = _session(cast, app)
    item = AgendaItem.objects.create(session=session, application=app, region=app.region,
                                     corrects=supersedes)
    decision = Decision.objects.create(item=item, application=app, region=app.region, organization=app.organization,
                                       outcome="approved", decided_on=dt.date(2026, 10, 20), supersedes=supersedes,
                                       signed_at=timezone.now() if signed else None, recorded_by=cast.secretary)
    for line in app.lines.all():
        n = line.count if approved is None else approved.get(line.pk, line.count)
        LineDecision.objects.create(decision=decision, line=line, requested=line.count, approved=n)
    return decision
