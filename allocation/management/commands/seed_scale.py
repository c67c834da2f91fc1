"""Fill a campaign with national-scale data, fast: `python manage.py seed_scale --organizations N --lines M`.

For the bench suite (bench/, `make bench`, issue 14). Rows go in with PostgreSQL COPY, ids reserved
from the sequences first, in one transaction with `session_replication_role = replica`: the audit
triggers (pghistory) and the foreign-key triggers do not fire for the seeded rows, which is what
makes 100,000 lines take seconds. Seeded rows therefore have no history, and the command is the
only writer while it runs: never on a database that anyone uses.

Stages (--stage), each including the one before:
  review   N organizations in the 20 regions (round robin), one application each under the akimat's
           review, M lines spread over them (10 lines each for M = 10 N);
  decided  one signed Commission session per region with a signed decision on every application
           (each line approved, one less than requested when it asked for more than one);
  sent     each region's Annex 2 sent to the Ministry by the real service (submission_send), so
           that the national view reads what an akimat would have sent.
--employers E adds E employer logins (bench.employer.<i>@bench.kz, password --password) owning
the first E organizations, each with --drafts empty draft applications in the campaign of
--filing-year (filing open today): the deadline rush (bench/rush.py) fills and submits them.

Refuses to run on production settings (QP_PRODUCTION, set by quota_portal.settings.production and
everything derived from it) and on a campaign that already has seeded data for the year.
"""
from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from quota_portal.core.models import Authority, Campaign, Membership, Occupation, Region, Role, User
from quota_portal.core.reference import load_reference
from quota_portal.core.scoping import system_scope
from quota_portal.core.validators import make_bin_iin

CATEGORIES = "1234S"
STAGES = ("review", "decided", "sent")


def _ids(table: str, n: int) -> list[int]:
    """Reserve n ids from the table's sequence (one round trip)."""
    with connection.cursor() as cur:
        cur.execute(f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, %s)", [n])
        return [r[0] for r in cur.fetchall()]


def _copy(table: str, columns: tuple[str, ...], rows) -> int:
    n = 0
    with connection.cursor() as cur, cur.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _bins(prefix: int, n: int) -> list[str]:
    """n valid BIN/IIN numbers from an 11-digit prefix series (the 12th digit is the checksum)."""
    out, i = [], 0
    while len(out) < n:
        i += 1
        try:
            out.append(make_bin_iin(f"{prefix:03d}{i:08d}"))
        except ValueError:  # no valid check digit for this one
            continue
    return out


class Command(BaseCommand):
    help = "Seed N organizations and M application lines for the bench (never on production settings)."
    # The refusal on production settings is this command's own answer, before any system check.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("--organizations", type=int, required=True)
        parser.add_argument("--lines", type=int, required=True)
        parser.add_argument("--year", type=int, default=2031, help="the campaign year to fill (default 2031)")
        parser.add_argument("--stage", choices=STAGES, default="decided")
        parser.add_argument("--regions", type=int, default=20, help="spread over the first K regions by code")
        parser.add_argument("--append", action="store_true",
                            help="add to a campaign seeded before (a second sending gets version 2)")
        parser.add_argument("--employers", type=int, default=0)
        parser.add_argument("--drafts", type=int, default=20, help="draft applications per employer (max 20)")
        parser.add_argument("--filing-year", type=int, default=None,
                            help="campaign of the employers' drafts (default: one whose filing is open)")
        parser.add_argument("--password", default="bench-pass-2026")

    def handle(self, *args, **o):
        if getattr(settings, "QP_PRODUCTION", False):
            raise CommandError("seed_scale writes thousands of made-up rows with their audit triggers off: it "
                               "refuses to run on production settings.")
        n_orgs, n_lines = o["organizations"], o["lines"]
        if n_orgs < 1 or n_lines < n_orgs:
            raise CommandError("--organizations must be at least 1 and --lines at least --organizations.")
        if o["employers"] > n_orgs or not 1 <= o["drafts"] <= 20:
            raise CommandError("--employers must not exceed --organizations; --drafts is 1 to 20.")
        started = time.perf_counter()
        with system_scope():
            load_reference(Region, Authority)
            campaign = Campaign.objects.filter(year=o["year"]).first()
            if campaign is None:
                campaign = Campaign.for_year(o["year"])
                campaign.save()
            elif campaign.applications.exists() and not o["append"]:
                raise CommandError(f"Campaign {o['year']} already has applications: choose another --year "
                                   f"or --append.")
            with transaction.atomic():
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL session_replication_role = replica")
                apps = self.seed_review(campaign, n_orgs, n_lines, o)
                if o["stage"] in ("decided", "sent"):
                    self.seed_decisions(campaign, apps)
                if o["employers"]:
                    self.seed_employers(apps, o)
                with connection.cursor() as cur:  # back on before the sending, also when called inside a
                    cur.execute("SET LOCAL session_replication_role = origin")  # transaction (the tests)
            with connection.cursor() as cur:
                for table in ("core_organization", "applications_application", "applications_line",
                              "commissions_decision", "commissions_linedecision", "commissions_agendaitem"):
                    cur.execute(f"ANALYZE {table}")
            if o["stage"] == "sent":
                self.send(campaign, o["regions"])
        self.stdout.write(f"seed_scale: {n_orgs} organizations, {n_lines} lines, stage {o['stage']}, campaign "
                          f"{o['year']}, {time.perf_counter() - started:.1f}s")

    # --- stages ---------------------------------------------------------------------------------

    def seed_review(self, campaign, n_orgs: int, n_lines: int, o) -> list[tuple]:
        regions = list(Region.objects.order_by("code").values_list("pk", "code"))[:max(1, o["regions"])]
        # --append: the numbering goes on after the rows seeded before for the year.
        offset = campaign.applications.filter(registration_number__contains="-S").count()
        occupations = list(Occupation.objects.order_by("code").values_list("pk", flat=True))
        officer = self.officer(regions[0][0])
        now = timezone.now()
        org_ids = _ids("core_organization", n_orgs)
        bins = _bins(900 + o["year"] % 100, offset + n_orgs)[offset:]
        region_of = [regions[i % len(regions)] for i in range(n_orgs)]
        _copy("core_organization", ("id", "kind", "bin_iin", "name", "legal_address", "email", "phone", "language",
                                    "created_at", "region_id"),
              ((org_ids[i], "legal", bins[i], f"ТОО «Масштаб {o['year']}-{offset + i + 1:06d}»",
                f"ул. Абая, {i % 300 + 1}", "", "", "ru", now, region_of[i][0])
               for i in range(n_orgs)))
        app_ids = _ids("applications_application", n_orgs)
        _copy("applications_application",
              ("id", "status", "outcome", "current_year_count", "justification", "signer_position", "signer_name",
               "registration_number", "submitted_at", "withdraw_reason", "created_at", "updated_at", "revision",
               "campaign_id", "created_by_id", "organization_id", "region_id"),
              ((app_ids[i], "under_review", "", i % 7, "Договор подряда на строительство", "Директор", "Иванов И. И.",
                f"{o['year']}-{region_of[i][1]}-S{offset + i + 1:06d}", now, "", now, now, 1, campaign.pk, officer.pk,
                org_ids[i], region_of[i][0]) for i in range(n_orgs)))
        per_app, extra = divmod(n_lines, n_orgs)
        if per_app + (1 if extra else 0) > len(occupations):
            raise CommandError(f"At most {len(occupations)} lines per application (one per occupation and category).")
        line_ids = _ids("applications_line", n_lines)
        lines: list[tuple] = []  # (line id, application index, category, count)

        def line_rows():
            k_id = 0
            for i in range(n_orgs):
                for k in range(per_app + (1 if i < extra else 0)):
                    category, count = CATEGORIES[k % 5], 1 + (i + k) % 9
                    lines.append((line_ids[k_id], i, category, count))
                    yield (line_ids[k_id], category, "", count, k, app_ids[i], occupations[(i + k) % len(occupations)])
                    k_id += 1

        _copy("applications_line", ("id", "category", "specialty", "count", "position", "application_id",
                                    "occupation_id"), line_rows())
        self.stdout.write(f"  {n_orgs} organizations and applications, {len(lines)} lines")
        return [(app_ids, org_ids, region_of, lines)]

    def seed_decisions(self, campaign, apps) -> None:
        from commissions.services import commission_for

        app_ids, org_ids, region_of, lines = apps[0]
        now = timezone.now()
        regions = dict(region_of)
        sessions = {}
        for region in Region.objects.filter(pk__in=regions):
            officer = self.officer(region.pk)
            sessions[region.pk] = self.session(campaign, region, commission_for(region), officer, now)
        item_ids = _ids("commissions_agendaitem", len(app_ids))
        position: dict[int, int] = {}

        def items():
            for i, app_id in enumerate(app_ids):
                region_id = region_of[i][0]
                position[region_id] = position.get(region_id, 0) + 1
                yield (item_ids[i], position[region_id], app_id, region_id, sessions[region_id][0], "")

        _copy("commissions_agendaitem", ("id", "position", "application_id", "region_id", "session_id",
                                         "correction_reason"), items())
        decision_ids = _ids("commissions_decision", len(app_ids))
        _copy("commissions_decision",
              ("id", "outcome", "decided_on", "correction_reason", "signed_at", "recorded_at", "updated_at", "version",
               "application_id", "item_id", "organization_id", "recorded_by_id", "region_id"),
              ((decision_ids[i], "approved", campaign.commission_deadline, "", now, now, now, 1, app_id, item_ids[i],
                org_ids[i], sessions[region_of[i][0]][1], region_of[i][0]) for i, app_id in enumerate(app_ids)))
        ld_ids = _ids("commissions_linedecision", len(lines))
        _copy("commissions_linedecision",
              ("id", "requested", "approved", "grounds", "reason", "decision_id", "line_id"),
              ((ld_ids[j], count, max(1, count - 1), "[]", "", decision_ids[i], line_id)
               for j, (line_id, i, _category, count) in enumerate(lines)))
        with connection.cursor() as cur:
            cur.execute("UPDATE applications_application SET status = 'decided', outcome = 'approved' "
                        "WHERE id = ANY(%s)", [app_ids])
        self.stdout.write(f"  {len(sessions)} signed sessions, {len(app_ids)} decisions, {len(lines)} line decisions")

    def session(self, campaign, region, commission, officer, now) -> tuple[int, int]:
        from commissions.models import Session

        number = (Session.objects.filter(commission=commission).order_by("-number")
                  .values_list("number", flat=True).first() or 0) + 1
        session = Session.objects.create(commission=commission, region=region, campaign=campaign, number=number,
                                         date=campaign.commission_deadline, place="seed_scale", created_by=officer,
                                         secretary_signed_at=now, secretary_signed_by=officer, chair_signed_at=now,
                                         chair_signed_by=officer, chair_signature_note="seed_scale")
        return session.pk, officer.pk

    def send(self, campaign, regions: int) -> None:
        from allocation import submissions

        for region in Region.objects.order_by("code")[:max(1, regions)]:
            officer = self.officer(region.pk)
            submission = submissions.submission_get_or_create(actor=officer, campaign=campaign, region=region)
            t0 = time.perf_counter()
            sent = submission.versions.exists()
            submissions.submission_send(actor=officer, submission=submission, late_reason="seed_scale",
                                        reason="seed_scale --append" if sent else "")
            self.stdout.write(f"  sent {region.code} in {time.perf_counter() - t0:.1f}s")

    def officer(self, region_id: int) -> User:
        """The region's akimat officer who records the seeded data (one per region, made once)."""
        region = Region.objects.select_related("akimat").get(pk=region_id)
        user, _ = User.objects.get_or_create(email=f"bench.akimat.{region.code}@bench.kz",
                                             defaults={"full_name": f"Бенч {region.code}"})
        Membership.objects.get_or_create(user=user, role=Role.AKIMAT_OFFICER, authority=region.akimat)
        return user

    def seed_employers(self, apps, o) -> None:
        """Employer owners of the first E organizations, each with empty drafts in the filing campaign."""
        app_ids, org_ids, region_of, _lines = apps[0]
        if o["filing_year"]:
            filing = Campaign.objects.filter(year=o["filing_year"]).first() or Campaign.for_year(o["filing_year"])
            if filing.pk is None:
                filing.save()
        else:
            filing = next((c for c in Campaign.objects.order_by("-year") if c.filing_open), None)
            if filing is None:
                filing = Campaign.for_year(timezone.localdate().year + 2)
                filing.save()
        password = make_password(o["password"])  # one hash (salt included), shared by every bench login
        now = timezone.now()
        user_ids = _ids("core_user", o["employers"])
        _copy("core_user", ("id", "password", "email", "full_name", "language", "is_active", "is_staff", "is_superuser",
                            "date_joined"),
              ((user_ids[e], password, f"bench.employer.{o['year']}.{e}@bench.kz", f"Работодатель {e}", "ru", True,
                False, False, now) for e in range(o["employers"])))
        _copy("core_membership", ("created_at", "user_id", "organization_id", "role"),
              ((now, user_ids[e], org_ids[e], Role.EMPLOYER_OWNER.value) for e in range(o["employers"])))
        regions = list(Region.objects.order_by("code").values_list("pk", flat=True))
        _copy("applications_application",
              ("status", "outcome", "current_year_count", "justification", "signer_position", "signer_name",
               "registration_number", "withdraw_reason", "created_at", "updated_at", "revision", "campaign_id",
               "created_by_id", "organization_id", "region_id"),
              (("draft", "", 0, "", "", "", "", "", now, now, 1, filing.pk, user_ids[e], org_ids[e], regions[d])
               for e in range(o["employers"]) for d in range(o["drafts"])))
        self.stdout.write(f"  {o['employers']} employer logins with {o['drafts']} drafts each in {filing.year}")
