"""Regional submissions to the Ministry (Rules p.12, p.14-17; Annexes 2-4): the akimat's services.

Every service is keyword-only, checks its actor first (`submission_permissions`), owns its
transaction and records who acted (`audited`). Reads live in `submission_selectors.py`; the files
in `submission_exports.py`.
"""
from __future__ import annotations

import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from applications.models import UNFILED_STATUSES, Application
from quota_portal.core.audit import audited
from quota_portal.core.errors import ConcurrentUpdate, DomainError

from . import submission_selectors as selectors
from .models import (
    Annex2Line,
    Annex2Row,
    Annex4Row,
    CountryForecast,
    RegionalSubmission,
    SubmissionExclusion,
    SubmissionFile,
    SubmissionVersion,
    VersionExclusion,
)
from .submission_permissions import ensure_submission_officer, ensure_submission_reader
from .submission_tasks import write_submission_file

BATCH = 2000
LI_FIELDS = ("li_demand_figure", "li_demand_note", "li_unemployment_figure", "li_unemployment_note",
             "li_effectiveness_figure", "li_effectiveness_note", "li_current_year_count", "li_need",
             "li_justification")
FORECAST_FIELDS = ("forecast_figure", "forecast_note", "cat1", "cat2", "cat3", "cat4", "seasonal")


def submission_get_or_create(*, actor, campaign, region) -> RegionalSubmission:
    """The akimat's draft for `campaign` x `region`, created on first use (an empty draft: the
    region's status stays "not started" until something is saved in it)."""
    ensure_submission_officer(actor, region)
    submission, _created = RegionalSubmission.objects.get_or_create(campaign=campaign, region=region)
    return submission


def _locked(submission: RegionalSubmission, revision: int | None) -> RegionalSubmission:
    locked = RegionalSubmission.objects.select_for_update().get(pk=submission.pk)
    if revision is not None and (type(revision) is not int or locked.revision != revision):
        raise ConcurrentUpdate()
    return locked


def _touch(submission: RegionalSubmission, actor, fields: list[str]) -> None:
    submission.revision += 1
    submission.updated_by = actor
    submission.save(update_fields=[*fields, "revision", "updated_by", "updated_at"])


def submission_update_covering(*, actor, submission: RegionalSubmission, covering_justification: str,
                               revision: int) -> RegionalSubmission:
    """Rules p.12: the region's covering justification of the generalized applications."""
    ensure_submission_officer(actor, submission.region_id)
    with transaction.atomic(), audited(actor, "submission_update_covering"):
        locked = _locked(submission, revision)
        locked.covering_justification = (covering_justification or "").strip()
        _touch(locked, actor, ["covering_justification"])
    return locked


def submission_exclude(*, actor, submission: RegionalSubmission, application: Application,
                       reason: str) -> SubmissionExclusion:
    """Leave an application not yet decided out of Annex 2, with the officer's reason (p.12)."""
    ensure_submission_officer(actor, submission.region_id)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("State why the application is left out of Annex 2."), field="reason")
    if application.region_id != submission.region_id or application.campaign_id != submission.campaign_id \
            or application.status in UNFILED_STATUSES:
        raise DomainError(_("Unknown application."), field="application")
    undecided = selectors.undecided_applications(campaign=submission.campaign, region=submission.region)
    if not undecided.filter(pk=application.pk).exists():
        raise DomainError(_("This application has a signed decision: it is part of Annex 2."), field="application")
    with transaction.atomic(), audited(actor, "submission_exclude"):
        locked = _locked(submission, None)
        exclusion, _created = SubmissionExclusion.objects.update_or_create(
            submission=locked, application=application,
            defaults={"region_id": locked.region_id, "reason": reason, "excluded_by": actor})
        _touch(locked, actor, [])
    return exclusion


def submission_unexclude(*, actor, submission: RegionalSubmission, exclusion: SubmissionExclusion) -> None:
    ensure_submission_officer(actor, submission.region_id)
    if exclusion.submission_id != submission.pk:
        raise DomainError(_("Unknown application."))
    with transaction.atomic(), audited(actor, "submission_unexclude"):
        locked = _locked(submission, None)
        exclusion.delete()
        _touch(locked, actor, [])


def labour_immigrants_update(*, actor, submission: RegionalSubmission, data: dict, revision: int,
                             late_reason: str = "") -> RegionalSubmission:
    """Rules p.15-16: the three factors (a figure and a note each) and Annex 3 (columns 1-3). The
    need is determined by the p.15 deadline (10 Oct); after it, it is accepted with a reason and
    shown as late (an authority's step is never blocked, RULES "Deadline semantics")."""
    ensure_submission_officer(actor, submission.region_id)
    late = not submission.campaign.is_open("labour_immigrants")
    late_reason = (late_reason or "").strip()
    if late and not late_reason:
        raise DomainError(_("The deadline for determining the need for labour immigrants (Rules p.15) has passed: "
                            "state the reason for the delay."), field="late_reason")
    with transaction.atomic(), audited(actor, "labour_immigrants_update"):
        locked = _locked(submission, revision)
        for name in LI_FIELDS:
            value = data.get(name)
            setattr(locked, name, (value or "").strip() if isinstance(getattr(locked, name), str) else int(value or 0))
        locked.li_determined_at = timezone.now()
        locked.li_determined_by = actor
        locked.li_late_reason = late_reason if late else ""
        _touch(locked, actor, [*LI_FIELDS, "li_determined_at", "li_determined_by", "li_late_reason"])
    return locked


def country_forecast_save(*, actor, submission: RegionalSubmission, country, data: dict) -> CountryForecast:
    """Rules p.17: the forecast under the treaty (figure + note) and Annex 4's row for one country;
    only a country with a ratified treaty recorded by the Ministry."""
    ensure_submission_officer(actor, submission.region_id)
    if not selectors.treaty_countries().filter(pk=country.pk).exists():
        raise DomainError(_("The Ministry records no ratified labour-migration treaty with this country (Rules p.17)."),
                          field="country")
    values = {name: (data.get(name) or "").strip() if name == "forecast_note" else int(data.get(name) or 0)
              for name in FORECAST_FIELDS}
    with transaction.atomic(), audited(actor, "country_forecast_save"):
        locked = _locked(submission, None)
        forecast, _created = CountryForecast.objects.update_or_create(
            submission=locked, country=country,
            defaults={**values, "region_id": locked.region_id, "updated_by": actor})
        _touch(locked, actor, [])
    return forecast


def _sender_names(region) -> tuple[str, str]:
    from commissions.names import akimat_name

    return akimat_name(region, "ru"), akimat_name(region, "kk")


def _digest(version: SubmissionVersion, rows: list[dict], annex4: list[Annex4Row]) -> str:
    content = {
        "annex2": [[r["organization_id"], r["current_year_count"], r["cat1"], r["cat2"], r["cat3"], r["cat4"],
                    r["seasonal"], r["justification"],
                    [[li["category"], li["occupation_code"], li["specialty"], li["count"]] for li in r["lines"]]]
                   for r in rows],
        "covering": version.covering_justification,
        "annex3": [getattr(version, f) for f in LI_FIELDS],
        "annex4": [[a.country_id, a.cat1, a.cat2, a.cat3, a.cat4, a.seasonal, a.forecast_figure, a.forecast_note]
                   for a in annex4],
    }
    return hashlib.sha256(json.dumps(content, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def submission_send(*, actor, submission: RegionalSubmission, reason: str = "", late_reason: str = "",
                    revision: int | None = None) -> SubmissionVersion:
    """Rules p.12, p.16, p.17: one act sends the three annexes, signed off by the named officer,
    freezing a new version. Annex 2 is copied from the signed decisions as they stand now. A version
    after the first needs a reason; sending after the submission deadline (1 Nov) is allowed with a
    reason and shown as late. Two clicks (or two officers) at once: the draft's row is locked and
    its revision compared, so the second gets "changed since you opened it", never a second copy."""
    ensure_submission_officer(actor, submission.region_id)
    reason, late_reason = (reason or "").strip(), (late_reason or "").strip()
    campaign = submission.campaign
    late = not campaign.is_open("submission")
    if late and not late_reason:
        raise DomainError(_("The deadline for sending to the Ministry (Rules p.12) has passed: state the reason for "
                            "the delay."), field="late_reason")
    if not (actor.full_name or "").strip():
        raise DomainError(_("Your account has no full name: the Ministry must see who sent the annexes."))
    with transaction.atomic(), audited(actor, "submission_send"):
        locked = _locked(submission, revision)
        number = (SubmissionVersion.objects.filter(submission=locked).order_by("-number")
                  .values_list("number", flat=True).first() or 0) + 1
        if number > 1 and not reason:
            raise DomainError(_("The annexes were already sent: state the reason for the new version."),
                              field="reason")
        blocking = selectors.blocking_applications(locked)
        if blocking:
            raise DomainError(ngettext(
                "%(n)s application has no signed decision yet: wait for the Commission's decision or leave it out "
                "with a reason.",
                "%(n)s applications have no signed decision yet: wait for the Commission's decision or leave each "
                "out with a reason.", len(blocking)) % {"n": len(blocking)})
        rows = selectors.annex2_draft_rows(campaign=campaign, region=locked.region)
        totals = selectors.rows_totals(rows)
        sender_ru, sender_kk = _sender_names(locked.region)
        treaty = list(selectors.treaty_countries())
        version = SubmissionVersion.objects.create(
            submission=locked, campaign=campaign, region=locked.region, number=number,
            reason=reason if number > 1 else "", sent_by=actor, sent_by_name=actor.full_name.strip(),
            sent_at=timezone.now(), is_late=late, late_reason=late_reason if late else "",
            sender_name_ru=sender_ru, sender_name_kk=sender_kk,
            covering_justification=locked.covering_justification,
            **{f: getattr(locked, f) for f in LI_FIELDS}, li_determined_at=locked.li_determined_at,
            annex4_no_treaty=not treaty,
            total_current_year=totals["current_year_count"], total_cat1=totals["cat1"], total_cat2=totals["cat2"],
            total_cat3=totals["cat3"], total_cat4=totals["cat4"], total_seasonal=totals["seasonal"])
        _freeze_annex2(version, rows)
        forecasts = {f.country_id: f for f in locked.country_forecasts.all()}
        annex4 = Annex4Row.objects.bulk_create([
            Annex4Row(version=version, region_id=version.region_id, position=i, country=country,
                      country_name_ru=country.name_ru, country_name_kk=country.name_kk or country.name_ru,
                      treaty_reference=country.treaty_reference,
                      **{f: getattr(forecasts[country.pk], f) for f in FORECAST_FIELDS})
            for i, country in enumerate([c for c in treaty if c.pk in forecasts], start=1)])
        VersionExclusion.objects.bulk_create([
            VersionExclusion(version=version, region_id=version.region_id, application=e.application,
                             organization_id=e.application.organization_id,
                             organization_name=e.application.organization.name,
                             registration_number=e.application.registration_number, reason=e.reason)
            for e in selectors.exclusions_of(locked)])
        version.sha256 = _digest(version, rows, annex4)
        version.save(update_fields=["sha256"])
        _touch(locked, actor, [])
    return version


ROW_COLUMNS = ("version_id", "region_id", "position", "organization_id", "application_id", "decision_id", "bin_iin",
               "organization_name", "legal_address", "current_year_count", "cat1", "cat2", "cat3", "cat4", "seasonal",
               "justification")
LINE_COLUMNS = ("row_id", "version_id", "region_id", "category", "occupation_id", "occupation_code",
                "occupation_name_ru", "occupation_name_kk", "specialty", "count")


def _copy_in(model, columns: tuple[str, ...], rows) -> None:
    """PostgreSQL COPY of plain tuples into `model`'s table: for the 100,000 lines of a large
    region, building a model instance and compiling an INSERT per value cost most of the sending
    (bench/annex2.py). The frozen tables have no audit triggers and no save() logic."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _freeze_annex2(version: SubmissionVersion, rows: list[dict]) -> None:
    """Copy the rows and their lines: one COPY each and one query for the rows' ids, never a query
    per row."""
    v, region = version.pk, version.region_id
    _copy_in(Annex2Row, ROW_COLUMNS, (
        (v, region, r["position"], r["organization_id"], r["application_id"], r["decision_id"], r["bin_iin"],
         r["organization_name"], r["legal_address"], r["current_year_count"], r["cat1"], r["cat2"], r["cat3"],
         r["cat4"], r["seasonal"], r["justification"]) for r in rows))
    ids = dict(Annex2Row.objects.filter(version=version).values_list("position", "pk"))
    _copy_in(Annex2Line, LINE_COLUMNS, (
        (ids[r["position"]], v, region, li["category"], li["occupation_id"], li["occupation_code"],
         li["occupation_name_ru"], li["occupation_name_kk"], li["specialty"], li["count"])
        for r in rows for li in r["lines"]))


def submission_file_request(*, actor, version: SubmissionVersion, annex: str, fmt: str,
                            language: str) -> SubmissionFile:
    """The file of one annex of a version in one language: queued once (a Celery task writes it
    after the commit), then kept with the version. Asked again while it is being written, or once
    written, it is the same row. A failed one is queued again."""
    ensure_submission_reader(actor, version.region_id)
    if annex not in ("2", "3", "4") or fmt not in ("xlsx", "pdf") or language not in ("ru", "kk"):
        raise DomainError(_("Unknown file."))
    with transaction.atomic():
        file, created = SubmissionFile.objects.get_or_create(
            version=version, annex=annex, format=fmt, language=language, defaults={"region_id": version.region_id})
        if not created and file.status == SubmissionFile.Status.FAILED:
            SubmissionFile.objects.filter(pk=file.pk).update(status=SubmissionFile.Status.PENDING, error="",
                                                             done_rows=0)
            created = True
        if created:
            transaction.on_commit(lambda: write_submission_file.delay(file.pk))
    file.refresh_from_db()
    return file

