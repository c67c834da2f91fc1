"""Reads of the Ministry's operations page, and core's audiences of deadline extensions."""
from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from . import registry
from .models import Outage, Outbox, Role, SweepRun, User

RUNS_SHOWN = 5
FAILED_SHOWN = 50


def _with_roles(*roles):
    def users(campaign):
        return list(User.objects.filter(memberships__role__in=roles, is_active=True).distinct().order_by("pk"))

    return users


# Who must hear of each deadline's extension, as far as core knows them (the applications app adds
# the employers with drafts for filing).
CORE_AUDIENCES = {
    "generalization": (Role.AKIMAT_OFFICER,),
    "labour_immigrants": (Role.AKIMAT_OFFICER,),
    "commission": (Role.AKIMAT_OFFICER, Role.COMMISSION_SECRETARY),
    "submission": (Role.AKIMAT_OFFICER,),
    "proposals": (Role.CENTRAL_OFFICER,),
    "distribution": (Role.MINISTRY_ANALYST, Role.MINISTRY_APPROVER),
}


def register_core_audiences() -> None:
    for deadline, roles in CORE_AUDIENCES.items():
        registry.register_deadline_audience(f"core.{deadline}", deadline=deadline, users=_with_roles(*roles), order=0)


def sweep_runs() -> list[dict]:
    """Each registered sweep (and any that ran but is no longer registered) with its last runs."""
    names = [sweep.key for sweep in registry.sweeps()]
    names += sorted(set(SweepRun.objects.exclude(sweep__in=names).values_list("sweep", flat=True).distinct()))
    return [{"name": name, "runs": list(SweepRun.objects.filter(sweep=name)[:RUNS_SHOWN])} for name in names]


def outbox_queue() -> dict:
    """The mail queue: pending, being sent, failed, and the age of the oldest pending mail."""
    emails = Outbox.objects.filter(channel=Outbox.Channel.EMAIL)
    counts = dict.fromkeys(Outbox.Status.values, 0)
    for row in emails.values("status").order_by().annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    oldest = emails.filter(status=Outbox.Status.PENDING).order_by("created_at").values_list(
        "created_at", flat=True).first()
    return {
        "pending": counts[Outbox.Status.PENDING], "sending": counts[Outbox.Status.SENDING],
        "failed": counts[Outbox.Status.FAILED], "sent": counts[Outbox.Status.SENT],
        "oldest_pending_at": oldest, "oldest_pending_age": (timezone.now() - oldest) if oldest else None,
        "failed_rows": list(emails.filter(status=Outbox.Status.FAILED).select_related("recipient")
                            .order_by("created_at", "pk")[:FAILED_SHOWN]),
    }


def outages() -> list[Outage]:
    return list(Outage.objects.select_related("recorded_by").prefetch_related("extensions__campaign",
                                                                               "extensions__extended_by")[:50])
