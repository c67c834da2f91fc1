"""Read-side queries of the shared domain that every app uses: which campaign is being worked on,
and who at an organization is written to. One implementation each; the apps call these."""
from __future__ import annotations

from django.db import models
from django.db.models import QuerySet
from django.utils import timezone

from .models import EMPLOYER_ROLES, MINISTRY_ROLES, Campaign, Country, Organization, Role, User

# --- campaigns -----------------------------------------------------------------------------------
# Every page picks its campaign here, from the campaign's own deadlines on the server clock.


def _newest_first() -> list[Campaign]:
    return list(Campaign.objects.order_by("-year"))


def campaigns_open_for_filing() -> list[Campaign]:
    """The campaigns an employer may file for now (Rules p.6: filing has opened and not closed),
    oldest first."""
    return [c for c in reversed(_newest_first()) if c.filing_open]


def campaigns_filing_opened() -> list[Campaign]:
    """The campaigns whose filing has opened, newest first (the akimat's inbox can show each)."""
    now = timezone.now()
    return [c for c in _newest_first() if c.filing_opens_at <= now]


def working_campaign() -> Campaign | None:
    """The campaign the akimats are working on: the newest whose filing has closed (Rules p.6: the
    review starts then), else the newest."""
    now = timezone.now()
    campaigns = _newest_first()
    return next((c for c in campaigns if not c.is_open("filing", now)), campaigns[0] if campaigns else None)


def current_campaigns(count: int = 2) -> list[Campaign]:
    """The newest campaigns, whose timelines the home page and the dashboard show."""
    return list(Campaign.objects.prefetch_related("extensions").order_by("-year")[:count])


# --- countries of origin ------------------------------------------------------------------------

def treaty_countries() -> QuerySet[Country]:
    """The countries of origin that may have a quota of their own (Rules p.4(2), p.17): those with a
    treaty on labour migration ratified by Kazakhstan, as the Ministry recorded it. EAEU members are
    never among them: their citizens are outside the quota. Annex 4 has one row per country here."""
    return (Country.objects.filter(has_ratified_treaty=True, is_eaeu_member=False)
            .exclude(treaty_reference="").exclude(treaty_ratified_on=None).order_by("name_ru"))


# --- who at an organization is written to ---------------------------------------------------------

class RecipientPurpose(models.TextChoices):
    # Reminders to act and receipts of what was filed: those who can change the applications.
    FILING = "filing"
    # The written notice of the Commission's decision (Rules p.11): everyone who reads them.
    DECISION = "decision"


RECIPIENT_ROLES = {
    RecipientPurpose.FILING: frozenset({Role.EMPLOYER_OWNER, Role.EMPLOYER_EDITOR}),
    RecipientPurpose.DECISION: frozenset(EMPLOYER_ROLES),
}


def organization_recipients(organization: Organization | int, *, purpose: str) -> list[User]:
    """The organization's people to notify for `purpose` (RecipientPurpose), each once, by email."""
    roles = RECIPIENT_ROLES[RecipientPurpose(purpose)]
    organization_id = getattr(organization, "pk", organization)
    return list(User.objects.filter(memberships__organization_id=organization_id, memberships__role__in=roles)
                .distinct().order_by("email"))


# --- who at an office is told of its deadlines ----------------------------------------------------

OFFICE_ROLES = {
    # The akimat's officers do the generalization (p.7), the p.15 need and Annexes 2-4 (p.12, 16, 17).
    "akimat": frozenset({Role.AKIMAT_OFFICER}),
    # The Commission's secretary puts applications before it (p.8) and sees the notices out (p.11).
    "secretary": frozenset({Role.COMMISSION_SECRETARY}),
    "authority": frozenset({Role.CENTRAL_OFFICER}),
    "ministry": frozenset(MINISTRY_ROLES),
}


def office_recipients(office_key: str) -> list[User]:
    """The people of an office, by key: "org:<organization id>" (those who file), "akimat:<region
    id>" and "secretary:<region id>" (the region's akimat), "authority:<id>" (a central body),
    "ministry". Each once, active only."""
    kind, _sep, ident = office_key.partition(":")
    if kind == "org":
        return [u for u in organization_recipients(int(ident), purpose=RecipientPurpose.FILING) if u.is_active]
    # One filter() call: the role and the office must be those of the same membership.
    where = {"memberships__role__in": OFFICE_ROLES[kind]}
    if kind in ("akimat", "secretary"):
        where["memberships__authority__region_id"] = int(ident)
    elif kind == "authority":
        where["memberships__authority_id"] = int(ident)
    return list(User.objects.filter(is_active=True, **where).distinct().order_by("email"))


def employer_filers() -> list[User]:
    """Everyone who can file for an organization (owners, editors): the campaign-opening broadcast."""
    return list(User.objects.filter(is_active=True, memberships__role__in=RECIPIENT_ROLES[RecipientPurpose.FILING])
                .distinct().order_by("email"))

