"""Arranging the Ministry's national view: applications decided by a signed protocol and the regions'
sent versions, made directly with the ORM on the models of the akimat side (its services are
written concurrently on another branch). Shared by tests/allocation/test_national.py and the
browser test."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from allocation.models import Annex2Line, Annex2Row, Annex4Row, RegionalSubmission, SubmissionVersion
from applications.models import Application, Line
from commissions import services as commission_services
from commissions.models import AgendaItem, Decision, LineDecision, Session
from quota_portal.core.models import Country, Organization, Region
from quota_portal.core.validators import make_bin_iin

CATS = {"1": "cat1", "2": "cat2", "3": "cat3", "4": "cat4", "S": "seasonal"}


def make_org(n: int, *, region: Region, name: str | None = None) -> Organization:
    for k in range(10):
        try:
            bin_iin = make_bin_iin(f"{7000000000 + n * 10 + k:011d}")
            break
        except ValueError:
            continue
    return Organization.objects.create(bin_iin=bin_iin,
                                       name=name or f"ТОО «Работодатель {n:03d}»",
                                       legal_address=f"ул. Абая, {n}", region=region)


def make_session(*, region: Region, campaign, actor, number: int = 1, signed: bool = True,
                 date: dt.date = dt.date(2026, 10, 20)) -> Session:
    commission = commission_services.commission_for(region)
    now = timezone.now() if signed else None
    return Session.objects.create(commission=commission, region=region, campaign=campaign, number=number, date=date,
                                  place="Зал заседаний акимата", created_by=actor, secretary_signed_at=now,
                                  secretary_signed_by=actor if signed else None, chair_signed_at=now,
                                  chair_signed_by=actor if signed else None)


def make_decided_application(*, org: Organization, region: Region, campaign, actor, session: Session | None,
                             lines: list[tuple[str, object, int, int]], current_year_count: int = 0,
                             signed: bool = True, supersede: Decision | None = None) -> tuple[Application, Decision]:
    """An application at the Commission with `lines` (category, occupation, requested, approved) and,
    when `session` is given, its decision (signed with the session). Returns (application, decision)."""
    app = Application.objects.filter(organization=org, region=region, campaign=campaign).first()
    if app is None:
        app = Application.objects.create(
            organization=org, campaign=campaign, region=region, status=Application.Status.DECIDED,
            created_by=actor, registration_number=f"REG-{org.pk}-{region.code[:2]}", justification="Проект",
            current_year_count=current_year_count, signer_name="Иванов И.И.", signer_position="Директор")
        for i, (category, occupation, requested, _approved) in enumerate(lines):
            Line.objects.create(application=app, category=category, occupation=occupation, count=requested,
                                position=i)
    if session is None:
        return app, None
    item = AgendaItem.objects.create(session=session, application=app, region=region,
                                     corrects=supersede, correction_reason="Исправление" if supersede else "")
    app_lines = {(ln.category, ln.occupation_id): ln for ln in app.lines.all()}
    total_approved = sum(a for *_x, a in lines)
    total_requested = sum(r for _c, _o, r, _a in lines)
    outcome = "approved" if total_approved == total_requested else ("rejected" if not total_approved else "partly")
    decision = Decision.objects.create(
        item=item, application=app, region=region, organization=org, outcome=outcome, decided_on=session.date,
        supersedes=supersede, correction_reason="Исправление" if supersede else "", recorded_by=actor,
        signed_at=timezone.now() if signed else None)
    for category, occupation, requested, approved in lines:
        LineDecision.objects.create(decision=decision, line=app_lines[(category, occupation.pk)], requested=requested,
                                    approved=approved, grounds=[] if approved == requested else ["1"],
                                    reason="" if approved == requested else "Есть безработные")
    return app, decision


@dataclass
class RowSpec:
    org: Organization
    lines: list[tuple[str, object, int]]  # category, occupation, count
    current_year_count: int = 0
    justification: str = "Рост производства"
    application: Application | None = None


@dataclass
class VersionSpec:
    rows: list[RowSpec]
    number: int = 1
    is_late: bool = False
    late_reason: str = ""
    reason: str = ""
    li_need: int = 0
    annex4: list[tuple[Country, dict]] = field(default_factory=list)
    sent_at: dt.datetime | None = None


def submission_for(*, region: Region, campaign, revision: int = 1) -> RegionalSubmission:
    sub, _ = RegionalSubmission.objects.get_or_create(campaign=campaign, region=region,
                                                      defaults={"revision": revision})
    return sub


def send_version(*, region: Region, campaign, officer, spec: VersionSpec) -> SubmissionVersion:
    """A sent (frozen) version with its Annex 2 rows and lines, Annex 3 need and Annex 4 rows;
    the version's totals are the sums of its rows, as the akimat's service freezes them."""
    sub = submission_for(region=region, campaign=campaign)
    totals = dict.fromkeys(CATS.values(), 0)
    for row in spec.rows:
        for category, _occ, count in row.lines:
            totals[CATS[category]] += count
    version = SubmissionVersion.objects.create(
        submission=sub, campaign=campaign, region=region, number=spec.number, reason=spec.reason, sent_by=officer,
        sent_by_name=officer.full_name or officer.email, sent_at=spec.sent_at or timezone.now(),
        is_late=spec.is_late, late_reason=spec.late_reason, sender_name_ru=f"Акимат {region.name_ru}",
        li_need=spec.li_need, li_current_year_count=spec.li_need // 2, li_justification="Домашний труд",
        annex4_no_treaty=not spec.annex4, total_current_year=sum(r.current_year_count for r in spec.rows),
        total_cat1=totals["cat1"], total_cat2=totals["cat2"], total_cat3=totals["cat3"], total_cat4=totals["cat4"],
        total_seasonal=totals["seasonal"])
    for position, row in enumerate(spec.rows, start=1):
        sums = dict.fromkeys(CATS.values(), 0)
        for category, _occ, count in row.lines:
            sums[CATS[category]] += count
        r = Annex2Row.objects.create(version=version, region=region, position=position, organization=row.org,
                                     application=row.application, bin_iin=row.org.bin_iin,
                                     organization_name=row.org.name, legal_address=row.org.legal_address,
                                     current_year_count=row.current_year_count, justification=row.justification,
                                     **sums)
        for category, occupation, count in row.lines:
            Annex2Line.objects.create(row=r, version=version, region=region, category=category, occupation=occupation,
                                      occupation_code=occupation.code, occupation_name_ru=occupation.name_ru,
                                      occupation_name_kk=occupation.name_kk, count=count)
    for position, (country, cats) in enumerate(spec.annex4, start=1):
        Annex4Row.objects.create(version=version, region=region, position=position, country=country,
                                 country_name_ru=country.name_ru, country_name_kk=country.name_kk,
                                 treaty_reference=country.treaty_reference, forecast_figure=sum(cats.values()),
                                 **cats)
    return version
