"""Akimat review and the Commission (Rules p.7-11): labour-market figures, generalization,
the Commission and its sessions, decisions per line, protocols and written notices."""
from __future__ import annotations

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from applications.models import scope_by_application
from quota_portal.core.models import Campaign, Occupation, Organization, Region
from quota_portal.core.scoping import NOTHING, ScopedManager, Tenant, TenantKind

MAX_FIGURE = 10_000_000


def scope_by_region(prefix: str = "", *, employer_field: str | None = None):
    """scope_q for region-owned records: the akimat's own region; the ministry all; an employer
    only the rows about itself when `employer_field` is given."""

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.AKIMAT:
            return models.Q(**{f"{prefix}region_id": tenant.region_id})
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q()
        if tenant.kind == TenantKind.EMPLOYER and employer_field:
            return models.Q(**{f"{employer_field}_id": tenant.organization_id})
        return NOTHING

    return staticmethod(scope_q)


def final_for_employer(prefix: str, *final: str):
    """scope_q of a decision's records: the region's akimat and the ministry see them as recorded;
    the employer only once final (`final`: lookups that must be set, e.g. "signed_at"). An unsigned
    decision can still change, so no page, PDF or notice can show it to the employer."""
    base = scope_by_application(prefix).__func__

    def scope_q(tenant: Tenant) -> models.Q:
        q = base(tenant)
        if tenant.kind == TenantKind.EMPLOYER:
            q &= models.Q(**{f"{lookup}__isnull": False for lookup in final})
        return q

    return staticmethod(scope_q)


def figure(label):
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(MAX_FIGURE)])


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class LabourMarketFigure(models.Model):
    """The region's labour market for one occupation and one campaign (Rules p.7(1)-(3))."""

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    occupation = models.ForeignKey(Occupation, models.PROTECT, related_name="+", verbose_name=_("occupation"))
    # p.7(1)
    labour_demand = figure(_("labour demand"))
    planned_jobs_national = figure(_("planned jobs: national projects"))
    planned_jobs_regional = figure(_("planned jobs: regional plans"))
    # p.7(2)
    forecast_unemployed = figure(_("forecast unemployed"))
    expected_releases = figure(_("expected releases of workers"))
    graduates_tvet = figure(_("graduates: technical and vocational"))
    graduates_post_secondary = figure(_("graduates: post-secondary"))
    graduates_higher = figure(_("graduates: higher"))
    graduates_postgraduate = figure(_("graduates: postgraduate"))
    # p.7(3)
    jobseekers = figure(_("registered jobseekers able to fill the post (incl. after training)"))
    note = models.TextField(_("note"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_q = scope_by_region()

    NUMBER_FIELDS = ["labour_demand", "planned_jobs_national", "planned_jobs_regional",
                     "forecast_unemployed", "expected_releases", "graduates_tvet",
                     "graduates_post_secondary", "graduates_higher", "graduates_postgraduate",
                     "jobseekers"]

    class Meta:
        ordering = ["occupation__code"]
        verbose_name = _("labour-market figure")
        verbose_name_plural = _("labour-market figures")
        constraints = [
            models.UniqueConstraint(fields=["region", "campaign", "occupation"],
                                    name="labour_market_one_per_occupation"),
        ]

    def __str__(self) -> str:
        return f"{self.occupation} ({self.region}, {self.campaign})"

    @property
    def graduates_total(self) -> int:
        return (self.graduates_tvet + self.graduates_post_secondary + self.graduates_higher
                + self.graduates_postgraduate)

    @property
    def planned_jobs(self) -> int:
        return self.planned_jobs_national + self.planned_jobs_regional


class Ground(models.TextChoices):
    """The only grounds on which the Commission may cut a request (Rules p.10)."""

    # The one source of the grounds' texts: the Rules' words (ru verbatim), shown in the decision form,
    # the protocol and the notice.
    DOMESTIC = "1", _("p.10(1): the need for labour can be met from domestic labour resources, including by "
                      "vocational training of unemployed citizens, independent workers and released workers in "
                      "the professions and specialties for which foreign workers are to be attracted")
    PERMITS = "2", _("p.10(2): the employer attracting foreign workers has unremedied violations of the procedure "
                     "for issuing and (or) extending the attraction of foreign labour in the previous and current "
                     "years")
    LABOUR_LAW = "3", _("p.10(3): the employer attracting foreign workers has unremedied violations of the labour "
                        "legislation of the Republic of Kazakhstan, including overdue arrears of wages and other "
                        "payments to employees in the previous and current years")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Violation(models.Model):
    """An employer's violation known to the akimat (Rules p.10(2), p.10(3))."""

    GROUND_CHOICES = [(Ground.PERMITS.value, Ground.PERMITS.label),
                      (Ground.LABOUR_LAW.value, Ground.LABOUR_LAW.label)]

    region = models.ForeignKey(Region, models.PROTECT, related_name="+", verbose_name=_("region"))
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+",
                                     verbose_name=_("employer"))
    ground = models.CharField(_("kind (ground of p.10)"), max_length=1, choices=GROUND_CHOICES)
    year = models.PositiveSmallIntegerField(_("year of the violation"))
    description = models.TextField(_("description"))
    remedied_on = models.DateField(_("remedied on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = scope_by_region(employer_field="organization")

    class Meta:
        ordering = ["-year", "pk"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.CheckConstraint(condition=models.Q(ground__in=["2", "3"]), name="violation_ground_2_or_3"),
            models.CheckConstraint(condition=models.Q(year__gte=2000, year__lte=2100), name="violation_year_sane"),
        ]

    def __str__(self) -> str:
        return f"{self.organization.name}: {self.get_ground_display()} ({self.year})"

    @property
    def is_open(self) -> bool:
        return self.remedied_on is None


def akimat_only(prefix: str = ""):
    """scope_q for the akimat's internal records (commission, sessions): never an employer's."""

    def scope_q(tenant: Tenant) -> models.Q:
        if tenant.kind == TenantKind.AKIMAT:
            return models.Q(**{f"{prefix}region_id": tenant.region_id})
        if tenant.kind == TenantKind.MINISTRY:
            return models.Q()
        return NOTHING

    return staticmethod(scope_q)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Generalization(models.Model):
    """The akimat's generalization of one application (Rules p.7): a note on each of the four
    factors, then marked generalized (due 10 Oct) and put before the Commission (due 15 Oct)."""

    application = models.OneToOneField("applications.Application", models.CASCADE,
                                       related_name="generalization")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    # Rules p.7(1)-(4)
    note_demand = models.TextField(_("p.7(1): labour demand, national projects and regional plans"), blank=True)
    note_forecast = models.TextField(_("p.7(2): forecast unemployed, releases and graduates"), blank=True)
    note_domestic = models.TextField(_("p.7(3): can domestic labour meet the need (incl. training)"), blank=True)
    note_effectiveness = models.TextField(_("p.7(4): use of foreign labour in the previous year"), blank=True)
    generalized_at = models.DateTimeField(_("generalized at"), null=True, blank=True)
    generalized_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                       related_name="+")
    generalized_late_reason = models.TextField(_("reason for the late generalization"), blank=True)
    to_commission_at = models.DateTimeField(_("put before the Commission at"), null=True, blank=True)
    to_commission_late_reason = models.TextField(_("reason for putting it late before the Commission"),
                                                 blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=0)

    objects = ScopedManager()
    scope_q = akimat_only()

    class Meta:
        verbose_name = _("generalization")
        verbose_name_plural = _("generalizations")

    FACTOR_FIELDS = ["note_demand", "note_forecast", "note_domestic", "note_effectiveness"]

    @property
    def is_generalized(self) -> bool:
        return self.generalized_at is not None


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class GeneralizationLine(models.Model):
    """The officer's recommended count for one line, with a note (Rules p.7)."""

    generalization = models.ForeignKey(Generalization, models.CASCADE, related_name="lines")
    line = models.OneToOneField("applications.Line", models.CASCADE, related_name="generalization")
    recommended = models.PositiveIntegerField(_("recommended count"))
    note = models.TextField(_("note"), blank=True)

    objects = ScopedManager()
    scope_q = akimat_only("generalization__")

    class Meta:
        ordering = ["line__position", "line__pk"]


class Body(models.TextChoices):
    """The bodies whose representatives sit on the Commission, in the words of Rules p.9 ("В состав
    Комиссии включаются представители ...": the labels are the genitive of that sentence)."""

    INTERNAL_AFFAIRS = "internal_affairs", _("of the territorial internal-affairs bodies")
    EDUCATION = "education", _("of the local executive bodies for education")
    ENTREPRENEURSHIP = "entrepreneurship", _("of the local executive bodies for entrepreneurship")
    LABOUR = "labour", _("of the territorial unit of the authorized state body for labour")
    CHAMBER = "chamber", _("of the regional chamber of entrepreneurs and association (by agreement)")
    TRADE_UNIONS = "trade_unions", _("of the territorial trade-union associations at the level of the oblast, "
                                     "city of republican significance and the capital (by agreement)")
    AKIMAT = "akimat", _("akimat (other)")


# Rules p.9: the bodies the Commission includes. Those marked "(по согласованию)" sit by their own
# agreement, so their absence is not a defect of the composition.
REQUIRED_BODIES = [Body.INTERNAL_AFFAIRS, Body.EDUCATION, Body.ENTREPRENEURSHIP, Body.LABOUR]
BY_AGREEMENT_BODIES = [Body.CHAMBER, Body.TRADE_UNIONS]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Commission(models.Model):
    """The region's Commission created by the akimat (Rules p.9)."""

    region = models.OneToOneField(Region, models.PROTECT, related_name="commission")
    name = models.CharField(_("name (Russian)"), max_length=300)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=300, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    quorum = models.PositiveSmallIntegerField(
        _("quorum (members present)"), null=True, blank=True,
        help_text=_("Empty: a majority of the members."))

    objects = ScopedManager()
    scope_q = akimat_only()

    class Meta:
        verbose_name = _("commission")
        verbose_name_plural = _("commissions")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the active language."""
        from .names import commission_name

        return commission_name(self)

    def quorum_needed(self, members_count: int | None = None) -> int:
        if self.quorum:
            return self.quorum
        if members_count is None:
            members_count = self.members.filter(is_active=True).count()
        return members_count // 2 + 1


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Member(models.Model):
    """A member of the Commission: a person representing a body of p.9, in a role."""

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")

    commission = models.ForeignKey(Commission, models.CASCADE, related_name="members")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    position = models.CharField(_("position"), max_length=300)
    body = models.CharField(_("body represented (p.9)"), max_length=20, choices=Body.choices)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                             related_name="commission_seats", verbose_name=_("portal user"))
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedManager()
    scope_q = akimat_only()

    class Meta:
        ordering = ["commission", "role", "full_name"]
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [
            models.UniqueConstraint(fields=["commission"], condition=models.Q(role="chair", is_active=True),
                                    name="one_active_chair"),
            models.UniqueConstraint(fields=["commission", "user"], condition=models.Q(user__isnull=False),
                                    name="member_user_once"),
        ]

    def __str__(self) -> str:
        return self.full_name


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Session(models.Model):
    """A sitting of the Commission. Its protocol is signed by the chair and the secretary."""

    commission = models.ForeignKey(Commission, models.PROTECT, related_name="sessions")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    campaign = models.ForeignKey(Campaign, models.PROTECT, related_name="+", verbose_name=_("campaign"))
    number = models.PositiveSmallIntegerField(_("protocol number"))
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    secretary_signed_at = models.DateTimeField(null=True, blank=True)
    secretary_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                            related_name="+")
    chair_signed_at = models.DateTimeField(null=True, blank=True)
    chair_signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                        related_name="+")
    # Set when the secretary records the chair's signature on paper (the chair has no portal user).
    chair_signature_note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = akimat_only()

    class Meta:
        ordering = ["-date", "-number"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["commission", "campaign", "number"], name="session_number_once"),
        ]

    def __str__(self) -> str:
        from django.utils.formats import date_format

        return _("Session No. %(number)s of %(date)s") % {"number": self.number,
                                                          "date": date_format(self.date, "d.m.Y")}

    def stored_name(self) -> dict:
        """__str__ as a stored text (core/texts.py), rendered later in each reader's language."""
        from quota_portal.core import texts

        return texts.text(gettext_noop("Session No. %(number)s of %(date)s"), number=self.number,
                          date=texts.day(self.date))

    @property
    def is_signed(self) -> bool:
        return self.secretary_signed_at is not None and self.chair_signed_at is not None


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class AgendaItem(models.Model):
    """One generalized application on a session's agenda."""

    session = models.ForeignKey(Session, models.CASCADE, related_name="items")
    application = models.ForeignKey("applications.Application", models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    # A correction item: the Commission reconsiders a signed decision of an earlier protocol at this
    # session (quorum, votes and sign-off as for any decision); the new decision supersedes it.
    corrects = models.ForeignKey("Decision", models.PROTECT, null=True, blank=True, related_name="correction_items",
                                 verbose_name=_("corrected decision"))
    correction_reason = models.TextField(_("reason for the correction"), blank=True)

    objects = ScopedManager()
    scope_q = akimat_only()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["session", "application"], name="agenda_item_once"),
        ]

    @property
    def is_correction(self) -> bool:
        return self.corrects_id is not None


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Attendance(models.Model):
    session = models.ForeignKey(Session, models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+")
    present = models.BooleanField(default=True)

    objects = ScopedManager()
    scope_q = akimat_only("session__")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="attendance_once"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ConflictDeclaration(models.Model):
    """A member's conflict of interest: they sit out the item (no vote)."""

    item = models.ForeignKey(AgendaItem, models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+")
    reason = models.TextField(_("nature of the conflict of interest"))
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    declared_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedManager()
    scope_q = akimat_only("item__")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="conflict_once"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Decision(models.Model):
    """The Commission's decision on one application (Rules p.10). Signed decisions never change:
    a correction is a new Decision that supersedes the old one, with its reason."""

    item = models.ForeignKey(AgendaItem, models.PROTECT, related_name="decisions")
    application = models.ForeignKey("applications.Application", models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=10,
                               choices=[("approved", _("Approved")), ("partly", _("Partly approved")),
                                        ("rejected", _("Rejected"))])
    decided_on = models.DateField(_("day of the decision"))
    supersedes = models.OneToOneField("self", models.PROTECT, null=True, blank=True,
                                      related_name="superseded_by")
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic locking: every save increments it; a save expecting an older value is refused.
    version = models.PositiveIntegerField(default=1)

    objects = ScopedManager()
    scope_q = final_for_employer("", "signed_at")

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class LineDecision(models.Model):
    """The approved count for one line; a cut names grounds of p.10 and a reason."""

    decision = models.ForeignKey(Decision, models.CASCADE, related_name="lines")
    line = models.ForeignKey("applications.Line", models.PROTECT, related_name="+")
    requested = models.PositiveIntegerField(_("requested"))
    approved = models.PositiveIntegerField(_("approved"))
    grounds = models.JSONField(_("grounds (p.10)"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    objects = ScopedManager()
    scope_q = final_for_employer("decision__", "decision__signed_at")

    class Meta:
        ordering = ["line__position", "line__pk"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "line"], name="line_decision_once"),
            models.CheckConstraint(condition=models.Q(approved__lte=models.F("requested")),
                                   name="approved_at_most_requested"),
        ]

    @property
    def is_cut(self) -> bool:
        return self.approved < self.requested

    def grounds_display(self) -> list[tuple[str, str]]:
        labels = dict(Ground.choices)
        return [(g, labels.get(g, g)) for g in self.grounds]

    def grounds_points(self) -> str:
        """The grounds cited by point only ("п.10(1), п.10(3)"): the table column is too narrow for
        the Rules' text, which the protocol and the notice quote once below the table."""
        return ", ".join(ground_point(label) for _code, label in self.grounds_display())


def ground_point(label) -> str:
    # Every ground's label starts with its point in the reader's language ("п.10(1): ...", "10-т.(1): ...").
    return str(label).split(": ", 1)[0]


def grounds_cited(line_decisions) -> list[str]:
    """Each ground cited by any of the lines, once, in the Rules' order, with its full text."""
    cited = {g for ld in line_decisions for g in ld.grounds}
    return [label for code, label in Ground.choices if code in cited]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Vote(models.Model):
    class Choice(models.TextChoices):
        FOR = "for", _("for")
        AGAINST = "against", _("against")
        ABSTAIN = "abstain", _("abstained")

    decision = models.ForeignKey(Decision, models.CASCADE, related_name="votes")
    member = models.ForeignKey(Member, models.PROTECT, related_name="+")
    choice = models.CharField(_("vote"), max_length=10, choices=Choice.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now=True)

    objects = ScopedManager()
    scope_q = akimat_only("decision__")

    class Meta:
        ordering = ["member__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "member"], name="vote_once"),
        ]


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Notice(models.Model):
    """The written notice of a decision to the employer (Rules p.11)."""

    decision = models.OneToOneField(Decision, models.PROTECT, related_name="notice")
    application = models.ForeignKey("applications.Application", models.PROTECT, related_name="+")
    region = models.ForeignKey(Region, models.PROTECT, related_name="+")
    organization = models.ForeignKey(Organization, models.PROTECT, related_name="+")
    language = models.CharField(max_length=2, default="ru")
    due = models.DateField(_("due"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True,
                                related_name="+")
    number = models.CharField(_("outgoing number"), max_length=40, blank=True)

    objects = ScopedManager()
    # The employer reads a notice once it is sent, which is after the protocol's two signatures.
    scope_q = final_for_employer("", "sent_at", "decision__signed_at")

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")

    def is_overdue(self, today=None) -> bool:
        from quota_portal.core.calendar import local_today

        today = today or local_today()
        if self.sent_at:
            from django.utils import timezone

            return timezone.localdate(self.sent_at) > self.due
        return today > self.due
