"""The shared domain: regions, tenants, users and roles, campaigns, calendar, classifiers,
notifications and audit. Every other app builds on these records."""
from __future__ import annotations

import datetime as dt

import pghistory
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from . import calendar, registry
from .scoping import NOTHING, ScopedManager, Tenant, TenantKind
from .validators import validate_bin_iin


class LocalizedNameMixin:
    """`name` in the active language (ru, kk, en), falling back to Russian."""

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"name_{lang}", "") or self.name_ru

    def __str__(self) -> str:
        return self.name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Region(LocalizedNameMixin, models.Model):
    """One of the 20 units the quota is distributed among (17 oblasts, 2 cities, the capital)."""

    class Kind(models.TextChoices):
        OBLAST = "oblast", _("Oblast")
        CITY = "city", _("City of republican significance")
        CAPITAL = "capital", _("Capital")

    code = models.CharField(_("KATO code"), max_length=9, unique=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    iso_code = models.CharField(_("ISO 3166-2"), max_length=6, blank=True)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^\d{9}$"), name="region_code_9_digits"),
        ]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


# The password hash and the time of the last login stay out of the history: a hash must not be
# copied into a second table, and a login is not a change of the account (django-axes logs logins).
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 exclude=["password", "last_login"])
class User(AbstractBaseUser, PermissionsMixin):
    """A person. Logs in by email; acts for tenants through memberships."""

    email = models.EmailField(_("email"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(_("interface language"), max_length=2, default="ru",
                                choices=[("ru", "Русский"), ("kk", "Қазақша"), ("en", "English")])
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.email


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Organization(models.Model):
    """An employer: a legal entity (BIN) or a natural person (IIN). Rules p.3."""

    class Kind(models.TextChoices):
        LEGAL = "legal", _("Legal entity (BIN)")
        NATURAL = "natural", _("Natural person / individual entrepreneur (IIN)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.LEGAL)
    bin_iin = models.CharField(_("BIN/IIN"), max_length=12, unique=True, validators=[validate_bin_iin])
    name = models.CharField(_("full name"), max_length=300)
    legal_address = models.CharField(_("legal address"), max_length=500)
    region = models.ForeignKey(Region, models.PROTECT, verbose_name=_("region of registration"),
                               related_name="+")
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language of correspondence"), max_length=2, default="ru",
                                choices=[("ru", "Русский"), ("kk", "Қазақша")])
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(condition=models.Q(bin_iin__regex=r"^\d{12}$"), name="org_bin_iin_12_digits"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.bin_iin})"

    @staticmethod
    def scope_q(tenant: Tenant) -> models.Q:
        # An employer sees itself, the ministry sees all. An akimat sees an employer because of
        # the employer's dealings with its region, which the later stages record: each app
        # registers its rule (applications: it has filed in the region; commissions: the akimat
        # has recorded a violation against it by its BIN/IIN), and the akimat sees the union.
        if tenant.kind == TenantKind.EMPLOYER:
            return models.Q(pk=tenant.organization_id)
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q()
        rules = registry.scope_q("core.Organization", tenant)
        return NOTHING if rules is None else rules


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Authority(LocalizedNameMixin, models.Model):
    """A state body: a region's akimat, a central body (Rules p.13), or the Ministry."""

    class Kind(models.TextChoices):
        AKIMAT = "akimat", _("Akimat (local executive body)")
        CENTRAL = "central", _("Central state body")
        MINISTRY = "ministry", _("Ministry (authorized body on migration)")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.OneToOneField(Region, models.PROTECT, null=True, blank=True,
                                  related_name="akimat", verbose_name=_("region"))
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)
    address = models.CharField(_("address"), max_length=500, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["kind", "name_ru"]
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="akimat", region__isnull=False)
                           | (~models.Q(kind="akimat") & models.Q(region__isnull=True))),
                name="authority_region_iff_akimat",
            ),
            models.UniqueConstraint(fields=["kind"], condition=models.Q(kind="ministry"),
                                    name="one_ministry"),
        ]


class Role(models.TextChoices):
    EMPLOYER_OWNER = "employer_owner", _("Employer: owner")
    EMPLOYER_EDITOR = "employer_editor", _("Employer: editor")
    EMPLOYER_VIEWER = "employer_viewer", _("Employer: viewer")
    AKIMAT_OFFICER = "akimat_officer", _("Akimat officer")
    COMMISSION_SECRETARY = "commission_secretary", _("Commission secretary")
    COMMISSION_MEMBER = "commission_member", _("Commission member")
    CENTRAL_OFFICER = "central_officer", _("Central body officer")
    MINISTRY_ANALYST = "ministry_analyst", _("Ministry analyst")
    MINISTRY_APPROVER = "ministry_approver", _("Ministry approver")


EMPLOYER_ROLES = {Role.EMPLOYER_OWNER, Role.EMPLOYER_EDITOR, Role.EMPLOYER_VIEWER}
AKIMAT_ROLES = {Role.AKIMAT_OFFICER, Role.COMMISSION_SECRETARY, Role.COMMISSION_MEMBER}
MINISTRY_ROLES = {Role.MINISTRY_ANALYST, Role.MINISTRY_APPROVER}
ROLE_AUTHORITY_KIND = {
    **dict.fromkeys(AKIMAT_ROLES, Authority.Kind.AKIMAT),
    Role.CENTRAL_OFFICER: Authority.Kind.CENTRAL,
    **dict.fromkeys(MINISTRY_ROLES, Authority.Kind.MINISTRY),
}


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Membership(models.Model):
    """Ties a user to one tenant (an organization or an authority) with one role."""

    user = models.ForeignKey(User, models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    organization = models.ForeignKey(Organization, models.CASCADE, null=True, blank=True,
                                     related_name="memberships", verbose_name=_("organization"))
    authority = models.ForeignKey(Authority, models.CASCADE, null=True, blank=True,
                                  related_name="memberships", verbose_name=_("authority"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.CheckConstraint(
                condition=(
                    (models.Q(role__startswith="employer_") & models.Q(organization__isnull=False)
                     & models.Q(authority__isnull=True))
                    | (~models.Q(role__startswith="employer_") & models.Q(organization__isnull=True)
                       & models.Q(authority__isnull=False))
                ),
                name="membership_one_tenant_matching_role",
            ),
            models.UniqueConstraint(fields=["user", "organization", "authority", "role"],
                                    name="membership_unique", nulls_distinct=False),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.tenant_name}"

    @property
    def tenant_name(self) -> str:
        return str(self.organization.name if self.organization_id else self.authority)

    @property
    def is_employer(self) -> bool:
        return self.role in EMPLOYER_ROLES

    @property
    def is_akimat(self) -> bool:
        return self.role in AKIMAT_ROLES

    @property
    def is_ministry(self) -> bool:
        return self.role in MINISTRY_ROLES

    @property
    def is_central(self) -> bool:
        return self.role == Role.CENTRAL_OFFICER

    @property
    def region_id(self) -> int | None:
        return self.authority.region_id if self.authority_id else None

    def tenant(self) -> Tenant:
        if self.is_employer:
            return Tenant(kind=TenantKind.EMPLOYER, organization_id=self.organization_id)
        if self.is_akimat:
            return Tenant(kind=TenantKind.AKIMAT, region_id=self.authority.region_id,
                          authority_id=self.authority_id)
        if self.is_central:
            return Tenant(kind=TenantKind.CENTRAL, authority_id=self.authority_id)
        return Tenant(kind=TenantKind.MINISTRY, authority_id=self.authority_id)


def _invitation_scope(tenant: Tenant) -> models.Q:
    if tenant.kind == TenantKind.EMPLOYER:
        return models.Q(organization_id=tenant.organization_id)
    return NOTHING


# Moved from the applications app without moving its rows: the table (and its history's) keep the
# names they were created with (core/0009_invitation, applications/0005_move_invitation_to_core).
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(),
                 meta={"db_table": "applications_invitationevent"})
class Invitation(models.Model):
    """An owner's invitation to join the organization as editor or viewer (by emailed token)."""

    class InvitedRole(models.TextChoices):
        EDITOR = "employer_editor", _("Editor: may change applications")
        VIEWER = "employer_viewer", _("Viewer: may only read")

    organization = models.ForeignKey(Organization, models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=30, choices=InvitedRole.choices)
    token = models.CharField(max_length=64, unique=True)  # the SHA-256 of the emailed link's token
    invited_by = models.ForeignKey(User, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ScopedManager()
    scope_q = staticmethod(_invitation_scope)

    class Meta:
        db_table = "applications_invitation"
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} -> {self.organization_id}"


class DeadlineKind(models.TextChoices):
    UNTIL = "until", _("until (closes at 00:00 on the date)")
    NO_LATER_THAN = "no_later_than", _("no later than (closes at 24:00 on the date)")


# (field, Rules point, default kind, label): the campaign's deadlines in the order of the cycle.
DEADLINES = [
    ("filing", "6", DeadlineKind.UNTIL, _("Employers file applications")),
    ("generalization", "7", DeadlineKind.UNTIL, _("Akimat generalizes applications")),
    ("labour_immigrants", "15", DeadlineKind.UNTIL, _("Akimat determines the need for labour immigrants")),
    ("commission", "8", DeadlineKind.NO_LATER_THAN, _("Applications put before the Commission")),
    # Annex 2 is due under p.12 and Annex 3 under p.16 (both "до 1 ноября"); p.17 sets Annex 4 no
    # deadline of its own, so the timeline says so rather than borrow one.
    ("submission", "12, 16", DeadlineKind.UNTIL,
     _("Akimat sends Annex 2 (p.12) and Annex 3 (p.16) to the Ministry; Annex 4 (p.17) has no deadline of its own")),
    ("proposals", "13", DeadlineKind.UNTIL, _("Central bodies send proposals")),
    ("distribution", "19", DeadlineKind.UNTIL, _("Ministry sets and distributes the quota")),
]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Campaign(models.Model):
    """One yearly cycle for quota year Y, with every deadline of the Rules (editable)."""

    year = models.PositiveSmallIntegerField(_("quota year"), unique=True)
    filing_opens = models.DateField(_("filing opens"))
    filing_deadline = models.DateField(_("filing deadline (p.6)"))
    filing_deadline_kind = models.CharField(_("kind of the filing deadline"), max_length=14,
                                            choices=DeadlineKind.choices, default=DeadlineKind.UNTIL)
    generalization_deadline = models.DateField(_("generalization deadline (p.7)"))
    generalization_deadline_kind = models.CharField(_("kind of the generalization deadline"), max_length=14,
                                                    choices=DeadlineKind.choices, default=DeadlineKind.UNTIL)
    labour_immigrants_deadline = models.DateField(_("labour-immigrant need deadline (p.15)"))
    labour_immigrants_deadline_kind = models.CharField(_("kind of the labour-immigrant need deadline"), max_length=14,
                                                       choices=DeadlineKind.choices, default=DeadlineKind.UNTIL)
    commission_deadline = models.DateField(_("Commission deadline (p.8)"))
    commission_deadline_kind = models.CharField(_("kind of the Commission deadline"), max_length=14,
                                                choices=DeadlineKind.choices, default=DeadlineKind.NO_LATER_THAN)
    submission_deadline = models.DateField(_("regional submissions deadline (p.12)"))
    submission_deadline_kind = models.CharField(_("kind of the regional submissions deadline"), max_length=14,
                                                choices=DeadlineKind.choices, default=DeadlineKind.UNTIL)
    proposals_deadline = models.DateField(_("central-body proposals deadline (p.13)"))
    proposals_deadline_kind = models.CharField(_("kind of the proposals deadline"), max_length=14,
                                               choices=DeadlineKind.choices, default=DeadlineKind.UNTIL)
    distribution_deadline = models.DateField(_("distribution deadline (p.19)"))
    distribution_deadline_kind = models.CharField(_("kind of the distribution deadline"), max_length=14,
                                                  choices=DeadlineKind.choices, default=DeadlineKind.UNTIL)
    notice_working_days = models.PositiveSmallIntegerField(_("notice within, working days (p.11)"), default=5)
    publication_working_days = models.PositiveSmallIntegerField(_("publication within, working days (p.19)"), default=3)
    # p.19: publication is due within N working days "со дня распределения": the day the quota was
    # actually distributed, recorded by the Ministry's distribution (campaign_record_distribution).
    distributed_on = models.DateField(_("quota distributed on (p.19)"), null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return _("Quota %(year)s") % {"year": self.year}

    @classmethod
    def for_year(cls, year: int) -> Campaign:
        """The campaign for quota year `year` with the Rules' default dates (not saved)."""
        prev = year - 1
        return cls(
            year=year,
            # Filing for Y opens once the previous cycle has left the regions (1 Nov of Y-2).
            filing_opens=dt.date(prev - 1, 11, 1),
            filing_deadline=dt.date(prev, 10, 1),
            generalization_deadline=dt.date(prev, 10, 10),
            labour_immigrants_deadline=dt.date(prev, 10, 10),
            commission_deadline=dt.date(prev, 10, 15),
            submission_deadline=dt.date(prev, 11, 1),
            proposals_deadline=dt.date(prev, 11, 1),
            distribution_deadline=dt.date(year, 1, 1),
        )

    def closes_at(self, name: str) -> dt.datetime:
        """When deadline `name` (filing, generalization, ...) closes, Asia/Almaty time."""
        return calendar.closes_at(getattr(self, f"{name}_deadline"), getattr(self, f"{name}_deadline_kind"))

    def is_open(self, name: str, at: dt.datetime | None = None) -> bool:
        return (at or timezone.now()) < self.closes_at(name)

    @property
    def filing_opens_at(self) -> dt.datetime:
        """When filing opens: 00:00 Asia/Almaty time on `filing_opens`."""
        return calendar.closes_at(self.filing_opens, DeadlineKind.UNTIL)

    @property
    def filing_open(self) -> bool:
        return self.filing_opens_at <= timezone.now() < self.closes_at("filing")

    def extension_of(self, name: str):
        """The latest DeadlineExtension of deadline `name`, or None (one query per campaign object;
        none when `extensions` is prefetched)."""
        cache = self.__dict__.get("_extensions")
        if cache is None:
            cache = {}
            if self.pk is not None:
                for extension in self.extensions.all():  # oldest first: the latest one stays
                    cache[extension.deadline] = extension
            self.__dict__["_extensions"] = cache
        return cache.get(name)

    def deadlines(self) -> list[dict]:
        """The timeline: each deadline with its point of the Rules and whether it has passed, and
        the extension that moved it after an outage, if any (every page prints it with the date)."""
        now = timezone.now()
        rows = []
        for name, point, _kind, label in DEADLINES:
            closes = self.closes_at(name)
            rows.append({
                "name": name, "point": point, "label": label,
                "date": getattr(self, f"{name}_deadline"),
                "kind": getattr(self, f"{name}_deadline_kind"),
                "last_day": calendar.last_day(getattr(self, f"{name}_deadline"),
                                              getattr(self, f"{name}_deadline_kind")),
                "closes_at": closes, "passed": now >= closes, "extension": self.extension_of(name),
            })
        return rows

    @property
    def deadline_rows(self) -> dict[str, dict]:
        """{name: the timeline's row}: for a page that prints one deadline with its kind."""
        return {row["name"]: row for row in self.deadlines()}

    @property
    def publication_row(self) -> dict:
        """p.19: the decision is published "не позднее трех рабочих дней со дня ее распределения". Until the
        Ministry records the day of the distribution there is no date to print, only the rule."""
        if self.distributed_on is None:
            return {"distributed": False, "days": self.publication_working_days, "point": "19"}
        closes = self.publication_closes_at
        return {"distributed": True, "days": self.publication_working_days, "point": "19",
                "distributed_on": self.distributed_on, "date": self.publication_deadline,
                "closes_at": closes, "passed": timezone.now() >= closes}

    @property
    def phase(self) -> str:
        """The current stage of the cycle, computed from the deadlines and the clock."""
        now = timezone.now()
        if now < calendar.closes_at(self.filing_opens, DeadlineKind.UNTIL):
            return "upcoming"
        for name, *_rest in DEADLINES:
            if now < self.closes_at(name):
                return name
        if now < self.publication_closes_at:
            return "publication"
        if now < calendar.closes_at(dt.date(self.year + 1, 1, 1), DeadlineKind.UNTIL):
            return "quota_year"
        return "closed"

    @property
    def publication_deadline(self) -> dt.date:
        """The last day to publish the distribution (p.19: no later than N working days from the day of
        distribution): counted from `distributed_on` once the quota is distributed; before that, from
        the last day the distribution may be made (the latest the publication can be due)."""
        day = self.distributed_on
        if day is None:
            day = self.distribution_deadline
            if self.distribution_deadline_kind == DeadlineKind.UNTIL:
                day -= dt.timedelta(days=1)
        return calendar.add_working_days(day, self.publication_working_days)

    @property
    def publication_closes_at(self) -> dt.datetime:
        return calendar.closes_at(self.publication_deadline, DeadlineKind.NO_LATER_THAN)

    def get_phase_display(self) -> str:
        return dict(PHASE_LABELS)[self.phase]


PHASE_LABELS = [
    ("upcoming", _("Not yet open")),
    ("filing", _("Employers are filing applications (p.6)")),
    ("generalization", _("Akimats are generalizing applications (p.7)")),
    ("labour_immigrants", _("Akimats are determining the need for labour immigrants (p.15)")),
    ("commission", _("Commissions are reviewing applications (p.8-10)")),
    ("submission", _("Akimats are sending submissions to the Ministry (p.12)")),
    ("proposals", _("Central bodies are sending proposals (p.13)")),
    ("distribution", _("The Ministry is setting and distributing the quota (p.19)")),
    ("publication", _("The Ministry is publishing the distribution (p.19)")),
    ("quota_year", _("The quota year: the quota is in force and may be redistributed (p.21)")),
    ("closed", _("Closed: the quota year is over")),
]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class CalendarException(models.Model):
    """A government decree moving a day: an extra day off, or a weekend day made working."""

    day = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"))
    reason = models.CharField(_("reason (decree)"), max_length=300)

    class Meta:
        ordering = ["day"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.day}: {self.reason}"

    @classmethod
    def overrides(cls) -> dict[dt.date, bool]:
        """{day: is a working day}: what calendar.py reads (set in CoreConfig.ready())."""
        return dict(cls.objects.values_list("day", "is_working_day"))


class Category(models.TextChoices):
    """Categories of foreign workers used on every form (Annexes 1, 2, 4)."""

    CAT1 = "1", _("Category 1: heads and their deputies")
    CAT2 = "2", _("Category 2: heads of structural divisions")
    CAT3 = "3", _("Category 3: specialists")
    CAT4 = "4", _("Category 4: qualified workers")
    SEASONAL = "S", _("Seasonal foreign workers")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Occupation(LocalizedNameMixin, models.Model):
    """A unit group of the occupation classifier (ISCO-08 based, 4 digits)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name_ru = models.CharField(_("title (Russian)"), max_length=400)
    name_kk = models.CharField(_("title (Kazakh)"), max_length=400, blank=True)
    name_en = models.CharField(_("title (English)"), max_length=400, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # The employer's form and autocomplete offer only these; lines already filed keep theirs. The
    # Ministry edits the flag (Django admin); reference.NOT_OFFERED_TO_EMPLOYERS is the default.
    offered_to_employers = models.BooleanField(_("offered to employers"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("occupation")
        verbose_name_plural = _("occupations")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Country(LocalizedNameMixin, models.Model):
    """A country of origin (ISO 3166-1). Its own quota exists only under a ratified treaty (p.4, p.17)."""

    alpha2 = models.CharField(_("ISO code"), max_length=2, unique=True)
    name_ru = models.CharField(_("name (Russian)"), max_length=200)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=200)
    has_ratified_treaty = models.BooleanField(_("ratified labour-migration treaty"), default=False)
    treaty_reference = models.CharField(_("treaty"), max_length=300, blank=True)
    treaty_ratified_on = models.DateField(_("treaty ratified on"), null=True, blank=True)
    # Citizens of EAEU member states work in Kazakhstan without permits (EAEU Treaty, art. 97): outside the quota.
    is_eaeu_member = models.BooleanField(_("EAEU member (exempt from the quota)"), default=False)

    class Meta:
        ordering = ["name_ru"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class Outbox(models.Model):
    """A notice to deliver: one row per (event, recipient, channel), written with the change."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("Email")
        INBOX = "inbox", _("Portal inbox")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    event_key = models.CharField(max_length=200)
    recipient = models.ForeignKey(User, models.CASCADE, related_name="outbox")
    channel = models.CharField(max_length=10, choices=Channel.choices)
    subject = models.CharField(max_length=300)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    # Optional attachment, produced at delivery time by a dotted-path renderer and an object id.
    attachment_renderer = models.CharField(max_length=200, blank=True)
    attachment_object_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When a worker claimed the row (status SENDING); a claim left by a crashed worker expires.
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event_key", "recipient", "channel"], name="outbox_once"),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} -> {self.recipient_id} ({self.channel})"


class Heartbeat(models.Model):
    """Last time a periodic component ran (beat), for /healthz."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()


def _overdue_scope(tenant: Tenant) -> models.Q:
    # The Ministry watches every region; an akimat sees what is overdue in its own region.
    if tenant.is_ministry:
        return models.Q()
    if tenant.kind == TenantKind.AKIMAT:
        return models.Q(region_id=tenant.region_id)
    return NOTHING


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class OverdueItem(models.Model):
    """One thing left undone at a deadline of the cycle, flagged once by the deadline's sweep
    (quota_portal/core/overdue.py): unique per campaign, deadline and object."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="+", verbose_name=_("campaign"))
    # A Campaign deadline name (DEADLINES), or "notice" / "publication" (counted from an event).
    deadline = models.CharField(_("deadline"), max_length=30)
    # What is late, "<kind>:<pk>" (application:12, region:3, proposal:5, campaign:1, notice:7).
    object_key = models.CharField(max_length=80)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+",
                               verbose_name=_("region"))
    # What the readers see, a stored text (core/texts.py) rendered in each reader's language.
    label = models.JSONField()
    url = models.CharField(max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"))
    flagged_at = models.DateTimeField(_("flagged at"), default=timezone.now)
    # Set by the sweep once the thing is done (late): it leaves the Ministry's list, the flag stays.
    resolved_at = models.DateTimeField(_("done late at"), null=True, blank=True)

    objects = ScopedManager()
    scope_q = staticmethod(_overdue_scope)

    class Meta:
        ordering = ["due_at", "pk"]
        verbose_name = _("overdue item")
        verbose_name_plural = _("overdue items")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "deadline", "object_key"], name="overdue_flagged_once"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign.year} {self.deadline} {self.object_key}"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ReminderMute(models.Model):
    """A reminder type (core/reminders.py) a user chose not to receive. Legal notices are not
    reminders and cannot be muted."""

    user = models.ForeignKey(User, models.CASCADE, related_name="reminder_mutes")
    kind = models.CharField(max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="reminder_mute_once")]
# --- Operations: sweeps' runs, the portal's health, outages and deadline extensions ------------

class SweepRun(models.Model):
    """One run of one registered deadline sweep (core.deadlines.run_sweeps records every run)."""

    sweep = models.CharField(_("sweep"), max_length=100, db_index=True)
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    handled = models.IntegerField(_("rows handled"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")
        indexes = [models.Index(fields=["sweep", "-started_at"], name="sweeprun_sweep_started")]

    def __str__(self) -> str:
        return f"{self.sweep} {self.started_at:%Y-%m-%d %H:%M}"


class HealthState(models.Model):
    """What the beat's health probe (core.probe_health) last saw, kept in the database so that
    any worker continues where the previous probe stopped: when the portal was last healthy and
    since when it has been failing."""

    name = models.CharField(max_length=50, unique=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    last_ok_at = models.DateTimeField(null=True, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    last_status = models.JSONField(default=dict, blank=True)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Outage(models.Model):
    """A window in which the portal could not be used: recorded by the Ministry, or by the portal
    itself when /healthz has failed for longer than QP_OUTAGE_MINUTES. No end: still going on."""

    class Source(models.TextChoices):
        MINISTRY = "ministry", _("Recorded by the Ministry")
        HEALTH_CHECK = "health_check", _("Recorded by the portal (health check failed)")

    started_at = models.DateTimeField(_("outage started"))
    ended_at = models.DateTimeField(_("outage ended"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("recorded by"), max_length=20, choices=Source.choices, default=Source.MINISTRY)
    recorded_by = models.ForeignKey(User, models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("recorded by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("outage")
        verbose_name_plural = _("outages")
        constraints = [
            models.CheckConstraint(condition=models.Q(ended_at__isnull=True)
                                   | models.Q(ended_at__gt=models.F("started_at")), name="outage_ends_after_start"),
            # At most one open outage recorded by the health check: the probe's claim.
            models.UniqueConstraint(fields=["source"], condition=models.Q(ended_at__isnull=True, source="health_check"),
                                    name="one_open_automatic_outage"),
        ]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} – {self.ended_at:%Y-%m-%d %H:%M}" if self.ended_at else \
            f"{self.started_at:%Y-%m-%d %H:%M} –"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class DeadlineExtension(models.Model):
    """The Ministry moved one deadline of a campaign after an outage: the campaign's date is the
    new one (services read Campaign.closes_at); this row keeps the old one, why and who."""

    campaign = models.ForeignKey(Campaign, models.CASCADE, related_name="extensions", verbose_name=_("campaign"))
    deadline = models.CharField(_("deadline"), max_length=30,
                                choices=[(name, label) for name, _point, _kind, label in DEADLINES])
    old_date = models.DateField(_("previous date"))
    new_date = models.DateField(_("new date"))
    working_days = models.PositiveSmallIntegerField(_("extended by, working days"))
    reason = models.CharField(_("reason"), max_length=1000)
    outage = models.ForeignKey(Outage, models.PROTECT, null=True, blank=True, related_name="extensions",
                               verbose_name=_("outage"))
    extended_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("extended by"))
    created_at = models.DateTimeField(_("extended at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        constraints = [
            models.CheckConstraint(condition=models.Q(new_date__gt=models.F("old_date")),
                                   name="extension_moves_later"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class OutboxRetry(models.Model):
    """The Ministry put failed mails back in the queue (the operations page's retry): who, which."""

    retried_by = models.ForeignKey(User, models.PROTECT, related_name="+", verbose_name=_("retried by"))
    rows = models.JSONField(_("outbox rows"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("retry of failed mails")
        verbose_name_plural = _("retries of failed mails")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class TwoFactorEvent(models.Model):
    """One act on a user's second factor (core/two_factor.py): enrolled, recovery codes made or
    used, turned off, reset by the Ministry, code entry locked. Append-only."""

    class Kind(models.TextChoices):
        ENROLLED = "enrolled", _("Two-factor login enrolled")
        RECOVERY_ISSUED = "recovery_issued", _("Recovery codes issued")
        RECOVERY_USED = "recovery_used", _("Recovery code used")
        DISABLED = "disabled", _("Two-factor login turned off")
        RESET = "reset", _("Two-factor login reset by the Ministry")
        LOCKED = "locked", _("Code entry locked after wrong codes")

    user = models.ForeignKey(User, models.CASCADE, related_name="two_factor_events", verbose_name=_("user"))
    actor = models.ForeignKey(User, models.SET_NULL, null=True, blank=True, related_name="+",
                              verbose_name=_("acted by"))
    kind = models.CharField(_("event"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("two-factor event")
        verbose_name_plural = _("two-factor events")
