"""Read-side queries of the app (joins, summaries) used by views and other apps.

Other apps (commissions, allocation) read applications through these functions. They run in the
caller's tenant scope (the request's, or `system_scope()` in tasks).
"""
from __future__ import annotations

from django.db.models import Count, QuerySet, Sum
from django.utils import timezone

from quota_portal.core.models import Campaign, Category, Occupation
from quota_portal.core.selectors import campaigns_open_for_filing

from .models import Application, Line, StatusChange, Version

S = Application.Status


def applications_for_campaign(*, campaign: Campaign, region=None, statuses=None) -> QuerySet[Application]:
    """The campaign's applications visible to the acting tenant, with organization and region."""
    qs = Application.objects.filter(campaign=campaign).select_related("organization", "region", "campaign")
    if region is not None:
        qs = qs.filter(region=region)
    if statuses:
        qs = qs.filter(status__in=list(statuses))
    return qs.annotate(total=Sum("lines__count"), line_count=Count("lines", distinct=True)).order_by(
        "organization__name")


def application_lines(*, application: Application) -> list[Line]:
    return list(Line.objects.filter(application=application).select_related("occupation"))


def lines_by_category(*, application: Application) -> dict[str, int]:
    """Requested workers per category (1-4, S) of one application (Annex 1 columns 3-7)."""
    totals = {c: 0 for c, _label in Category.choices}
    for category, count in Line.objects.filter(application=application).values_list("category", "count"):
        totals[category] += count
    return totals


def latest_version(*, application: Application) -> Version | None:
    return Version.objects.filter(application=application).order_by("-number").first()


def organization_applications(*, organization_id: int) -> list[Application]:
    """Every application of the organization across regions and years (the employer dashboard)."""
    return list(
        Application.objects.filter(organization_id=organization_id)
        .select_related("campaign", "region")
        .prefetch_related("campaign__extensions")  # the list prints each filing deadline's extension
        .annotate(total=Sum("lines__count"))
        .order_by("-campaign__year", "region__name_ru"))


# The stages an application goes through, in order (the timeline greys those still to come).
STAGES = [S.DRAFT, S.SUBMITTED, S.UNDER_REVIEW, S.AT_COMMISSION, S.DECIDED, S.NOTIFIED]


def timeline(*, application: Application, for_employer: bool) -> dict:
    """The status timeline: each transition (when, who, note) and the stages still to come.

    The employer sees who acted for its own organization by name, an authority's staff only as the
    authority, and the notes of its own and of the server's transitions: an authority's notes are
    internal working notes and are never shown to the employer.
    """
    from django.utils.translation import gettext

    from quota_portal.core.models import Membership

    changes = list(StatusChange.objects.filter(application=application).select_related("actor"))
    actor_ids = {ch.actor_id for ch in changes if ch.actor_id}
    own = set(Membership.objects.filter(user_id__in=actor_ids, organization_id=application.organization_id)
              .values_list("user_id", flat=True))
    bodies = {m.user_id: str(m.authority) for m in Membership.objects.filter(
        user_id__in=actor_ids - own, authority__isnull=False).select_related("authority")}
    events = []
    for ch in changes:
        note = ch.note_text()
        if ch.actor_id is None:
            who = gettext("Automatically, on the server clock")
        elif ch.actor_id in own or not for_employer:
            who = str(ch.actor)
        else:
            who = bodies.get(ch.actor_id) or gettext("The authorized body")
            note = ""
        events.append({"status": ch.get_to_status_display(), "at": ch.at, "who": who, "note": note})
    current = application.display_status
    upcoming = []
    if current in STAGES:
        upcoming = [S(s).label for s in STAGES[STAGES.index(current) + 1:]]
    return {"events": events, "upcoming": upcoming}


def search_occupations(query: str, *, limit: int = 15) -> list[Occupation]:
    """Occupations offered to employers whose code starts with, or whose title (ru/kk/en) contains, the query."""
    from django.db.models import Q

    query = (query or "").strip()[:100]
    qs = Occupation.objects.filter(is_active=True, offered_to_employers=True)
    if not query:
        return list(qs.order_by("code")[:limit])
    if query.isascii() and query.isdigit():  # "²" is a digit to isdigit(), not to a code
        qs = qs.filter(code__startswith=query)
    else:
        q = Q()
        for word in query.split()[:5]:
            q &= Q(name_ru__icontains=word) | Q(name_kk__icontains=word) | Q(name_en__icontains=word)
        qs = qs.filter(q)
    return list(qs.order_by("code")[:limit])


def version_diff(old: dict, new: dict) -> dict:
    """What changed between two snapshots: fields, and lines keyed by category+occupation+specialty."""
    fields = []
    for key in ("current_year_count", "justification", "signer_position", "signer_name"):
        if old.get(key) != new.get(key):
            # The reader sees the field's translated label, never the snapshot's key.
            fields.append({"field": key, "label": Application._meta.get_field(key).verbose_name,
                           "before": old.get(key), "after": new.get(key)})

    def keyed(lines):
        return {(ln["category"], ln["occupation"], ln.get("specialty", "")): ln for ln in lines}

    a, b = keyed(old.get("lines", [])), keyed(new.get("lines", []))
    lines = []
    for key in sorted(set(a) | set(b)):
        before, after = a.get(key), b.get(key)
        if before and after and before["count"] == after["count"]:
            continue
        lines.append({
            "category": key[0], "occupation": key[1], "specialty": key[2],
            "name": (after or before).get("occupation_ru", ""), "line": after or before,
            "before": before["count"] if before else None, "after": after["count"] if after else None,
            "kind": "added" if not before else "removed" if not after else "changed",
        })

    def names(items, key):
        return sorted(i[key] for i in items)

    projects_changed = old.get("projects") != new.get("projects")
    old_names = set(names(old.get("attachments", []), "name"))
    new_names = set(names(new.get("attachments", []), "name"))
    attachments = {"added": sorted(new_names - old_names), "removed": sorted(old_names - new_names)}
    return {"fields": fields, "lines": lines, "projects_changed": projects_changed,
            "projects_before": old.get("projects", []), "projects_after": new.get("projects", []),
            "attachments": attachments,
            "empty": not fields and not lines and not projects_changed and not any(attachments.values())}


def dashboard_panel(request):
    """(template, context) for the employer's panel: every application, with status and countdown."""
    membership = getattr(request, "membership", None)
    if membership is None or not membership.is_employer:
        return None
    apps = organization_applications(organization_id=membership.organization_id)
    now = timezone.now()
    rows = []
    for app in apps:
        closes = app.campaign.closes_at("filing")
        rows.append({"app": app, "closes": closes, "open": now < closes})
    can_start = campaigns_open_for_filing()
    return "applications/_dashboard.html", {"rows": rows, "open_campaigns": can_start, "now": now,
                                            "can_edit": membership.role != "employer_viewer"}


def draft_filers(campaign: Campaign) -> list:
    """Those who can still file a draft of `campaign`: told when its filing deadline moves."""
    from quota_portal.core.models import User
    from quota_portal.core.scoping import unscoped
    from quota_portal.core.selectors import RECIPIENT_ROLES, RecipientPurpose

    with unscoped("the Ministry's extension of the filing deadline tells every organization with a draft"):
        organizations = set(Application.objects.filter(campaign=campaign, status=Application.Status.DRAFT)
                            .values_list("organization_id", flat=True))
    return list(User.objects.filter(memberships__organization_id__in=organizations, is_active=True,
                                    memberships__role__in=RECIPIENT_ROLES[RecipientPurpose.FILING])
                .distinct().order_by("pk"))
