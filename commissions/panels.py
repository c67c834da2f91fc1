"""Dashboard panels: the akimat's work in progress; the Ministry's view of every region."""
from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from applications.models import Application
from quota_portal.core.campaign_switch import chosen_campaign
from quota_portal.core.selectors import working_campaign

from .models import Notice, Session


def akimat_panel(request):
    region = request.membership.authority.region
    # The quota year of the year switch: the same year as the dashboard's countdown (core/views.py).
    campaign, campaigns = chosen_campaign(request)
    if campaign is None:
        return None
    S = Application.Status
    counts = Application.objects.filter(region=region, campaign=campaign).aggregate(
        submitted=Count("pk", filter=Q(status=S.SUBMITTED)),
        under_review=Count("pk", filter=Q(status=S.UNDER_REVIEW)),
        generalized=Count("pk", filter=Q(status=S.UNDER_REVIEW, generalization__generalized_at__isnull=False)),
        at_commission=Count("pk", filter=Q(status=S.AT_COMMISSION)),
        decided=Count("pk", filter=Q(status=S.DECIDED)),
        notified=Count("pk", filter=Q(status=S.NOTIFIED)),
    )
    today = timezone.localdate()
    notices = Notice.objects.filter(region=region, sent_at__isnull=True, application__campaign=campaign)
    return ("commissions/_dashboard.html", {
        "campaign": campaign, "campaigns": campaigns, "counts": counts,
        "generalization_overdue": not campaign.is_open("generalization")
        and (counts["submitted"] + counts["under_review"] - counts["generalized"]) > 0,
        "commission_overdue": not campaign.is_open("commission") and (counts["submitted"] + counts["under_review"]) > 0,
        "notices_due": notices.filter(due__gte=today).count(),
        "notices_overdue": notices.filter(due__lt=today).count(),
        "sessions": Session.objects.filter(region=region, campaign=campaign).count(),
    })


def ministry_panel(request):
    """Every region's progress through p.7-11 and its overdue steps."""
    from quota_portal.core.models import Region

    campaign = working_campaign()
    if campaign is None:
        return None
    S = Application.Status
    by_region = {r["region_id"]: r for r in Application.objects.filter(campaign=campaign).exclude(
        status__in=[S.DRAFT, S.NOT_SUBMITTED]).values("region_id").annotate(
        total=Count("pk"),
        waiting=Count("pk", filter=Q(status__in=[S.SUBMITTED, S.UNDER_REVIEW])),
        late_generalized=Count("pk", filter=~Q(generalization__generalized_late_reason="")
                               & Q(generalization__isnull=False)),
        at_commission=Count("pk", filter=Q(status=S.AT_COMMISSION)),
        done=Count("pk", filter=Q(status__in=[S.DECIDED, S.NOTIFIED])))}
    today = timezone.localdate()
    overdue_notices = dict(Notice.objects.filter(due__lt=today, sent_at__isnull=True).values("region_id")
                           .annotate(n=Count("pk")).values_list("region_id", "n"))
    generalization_closed = not campaign.is_open("generalization")
    commission_closed = not campaign.is_open("commission")
    rows = []
    for region in Region.objects.all():
        r = by_region.get(region.pk)
        if not r and not overdue_notices.get(region.pk):
            continue
        r = r or {"total": 0, "waiting": 0, "late_generalized": 0, "at_commission": 0, "done": 0}
        rows.append({"region": region, **r, "overdue_notices": overdue_notices.get(region.pk, 0),
                     "overdue": (generalization_closed and r["waiting"] > 0) or (commission_closed and r["waiting"] > 0)
                     or overdue_notices.get(region.pk, 0) > 0})
    return ("commissions/_ministry_panel.html", {"campaign": campaign, "rows": rows})
