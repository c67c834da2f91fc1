"""The regional submission's parts plugged into core (quota_portal/core/registry.py), numbered
300-349: the akimat's nav entry and dashboard panel, the audit labels, the demo step."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .models import SubmissionStatus

ACTION_LABELS = {
    "submission_update_covering": _("Covering justification saved (Annex 2)"),
    "submission_exclude": _("Application left out of Annex 2"),
    "submission_unexclude": _("Application put back into Annex 2"),
    "labour_immigrants_update": _("Labour-immigrant need determined (Rules p.15)"),
    "country_forecast_save": _("Country-of-origin forecast saved (Rules p.17)"),
    "submission_send": _("Annexes 2-4 sent to the Ministry"),
    "allocation_submissions_demo": _("Demo data loaded"),
}


def is_officer(membership) -> bool:
    return membership.role == "akimat_officer"


def akimat_panel(request):
    from quota_portal.core.campaign_switch import chosen_campaign

    from . import submission_selectors as selectors
    from .models import RegionalSubmission

    if not is_officer(request.membership):
        return None
    # The quota year of the akimat's year switch, as the dashboard's other panels and its countdown.
    campaign = chosen_campaign(request)[0]
    if campaign is None:
        return None
    region = request.membership.authority.region
    submission = RegionalSubmission.objects.filter(campaign=campaign, region=region).first()
    versions = list(selectors.versions_of(submission)) if submission else []
    return ("allocation/_submission_dashboard.html", {
        "campaign": campaign, "status": selectors.status_of(submission, versions),
        "status_label": SubmissionStatus(selectors.status_of(submission, versions)).label,
        "latest": versions[-1] if versions else None, "late": not campaign.is_open("submission")})


def register() -> None:
    from quota_portal.core import registry

    from . import submission_demo

    registry.register_nav_entry("allocation.submissions", roles={"akimat"}, label=_("To the Ministry"),
                                url_name="allocation:submissions", active_prefix="/allocation/submissions/",
                                visible=is_officer, order=300)
    registry.register_dashboard_panel("allocation.submissions", roles={"akimat"}, render=akimat_panel, order=300)
    registry.register_action_labels("allocation_submissions", ACTION_LABELS, order=300)
    registry.register_demo_step("allocation_submissions", run=submission_demo.seed, order=300,
                                after=("commissions",))
