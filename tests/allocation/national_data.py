"""Arranging the Ministry's national view: applications decided by a signed protocol and the regions'
sent versions, made directly with the ORM on the models of the akimat side (its services are
written concurrently on another branch). Shared by tests/allocation/test_national.py and the
browser test."""
from __future__ import annotations

import datetime
import datetime as dt
from dataclasses import dataclass, field
from types import SimpleNamespace

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


def other_regions(cast, n):
    return list(Region.objects.exclude(pk__in=[cast.astana.pk, cast.atyrau.pk]).order_by("code")[:n])


def build_national(cast, occupations, *, extra_regions: int = 0):
    """Astana sent v1 on time; Atyrau sent v1 late; a third region resent (v2 with a reason: one
    organization changed, one added, one removed); a fourth has a draft; the rest not started.
    cast.org applied in Astana and Atyrau; Astana's decision on it was corrected (the correction is
    current); Astana's session is signed, a second one is not."""
    o = occupations
    third, fourth = other_regions(cast, 2)
    # Astana: cast.org decided (5 of 5 cat 3, 6 of 10 cat 4), then corrected to 8 of 10 cat 4.
    s_astana = make_session(region=cast.astana, campaign=cast.campaign, actor=cast.secretary, number=1)
    s_astana_2 = make_session(region=cast.astana, campaign=cast.campaign, actor=cast.secretary, number=2,
                              signed=False)
    app_a, first = make_decided_application(org=cast.org, region=cast.astana, campaign=cast.campaign,
                                            actor=cast.secretary, session=s_astana, current_year_count=3,
                                            lines=[("3", o.o2142, 5, 5), ("4", o.o7212, 10, 6)])
    s_astana_3 = make_session(region=cast.astana, campaign=cast.campaign, actor=cast.secretary, number=3)
    _, correction = make_decided_application(org=cast.org, region=cast.astana, campaign=cast.campaign,
                                             actor=cast.secretary, session=s_astana_3, supersede=first,
                                             lines=[("3", o.o2142, 5, 5), ("4", o.o7212, 10, 8)])
    send_version(region=cast.astana, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(rows=[
        RowSpec(cast.org, [("3", o.o2142, 5), ("4", o.o7212, 8)], current_year_count=3, application=app_a)],
        li_need=40))
    # Atyrau: cast.org (cat 1 and seasonal) and cast.org2 (cat 3); sent late.
    s_atyrau = make_session(region=cast.atyrau, campaign=cast.campaign, actor=cast.secretary_atyrau)
    make_decided_application(org=cast.org, region=cast.atyrau, campaign=cast.campaign, actor=cast.secretary_atyrau,
                             session=s_atyrau, lines=[("1", o.o1120, 1, 1), ("S", o.o9211, 20, 15)])
    make_decided_application(org=cast.org2, region=cast.atyrau, campaign=cast.campaign, actor=cast.secretary_atyrau,
                             session=s_atyrau, lines=[("3", o.o3112, 4, 4)])
    country = Country.objects.create(alpha2="ZZ", name_ru="Страна Зет", name_kk="Зет елі", name_en="Zedland",
                                     has_ratified_treaty=True, treaty_reference="Соглашение от 01.01.2020",
                                     treaty_ratified_on=datetime.date(2020, 6, 1))
    send_version(region=cast.atyrau, campaign=cast.campaign, officer=cast.akimat_officer_atyrau, spec=VersionSpec(
        rows=[RowSpec(cast.org, [("1", o.o1120, 1), ("S", o.o9211, 15)]), RowSpec(cast.org2, [("3", o.o3112, 4)])],
        is_late=True, late_reason="Протокол подписан 30 октября", li_need=7,
        annex4=[(country, {"cat3": 2, "cat4": 3})]))
    # The third region: resent.
    a, b, c = (make_org(i, region=third) for i in (1, 2, 3))
    send_version(region=third, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(rows=[
        RowSpec(a, [("4", o.o7212, 10)]), RowSpec(c, [("1", o.o1120, 2)])]))
    send_version(region=third, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(
        number=2, reason="Исправлено решение по протоколу №4", rows=[
            RowSpec(a, [("4", o.o7212, 8)], justification="Уточнено"), RowSpec(b, [("3", o.o2142, 3)])]))
    submission_for(region=fourth, campaign=cast.campaign, revision=2)
    # More regions sent on time, for pages that should look like a real campaign (the browser test).
    for i, region in enumerate(other_regions(cast, 2 + extra_regions)[2:]):
        orgs = [make_org(500 + i * 10 + k, region=region) for k in range(3)]
        send_version(region=region, campaign=cast.campaign, officer=cast.akimat_officer, spec=VersionSpec(
            rows=[RowSpec(org, [("2", o.o1120, 1 + k), ("3", o.o2142, 4 + i), ("4", o.o7212, 10 + 3 * k),
                                ("S", o.o9211, 5 * k)]) for k, org in enumerate(orgs)], li_need=10 + i))
    return SimpleNamespace(third=third, fourth=fourth, a=a, b=b, c=c, s_astana=s_astana, s_astana_2=s_astana_2,
                           s_atyrau=s_atyrau, app_a=app_a, first=first, correction=correction, country=country)
