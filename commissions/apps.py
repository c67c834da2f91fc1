from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The services of this app as the readers of histories see them.
ACTION_LABELS = {
    "figure_save": _("Labour-market figures saved"),
    "figures_import": _("Labour-market figures imported"),
    "violation_record": _("Violation recorded"),
    "violation_update": _("Violation updated"),
    "generalization_save": _("Generalization saved"),
    "generalization_mark": _("Marked as generalized"),
    "generalized_to_commission": _("Put before the Commission"),
    "commission_update": _("Commission changed"),
    "member_save": _("Commission member saved"),
    "session_create": _("Session created"),
    "agenda_refresh": _("Agenda updated"),
    "attendance_set": _("Attendance recorded"),
    "conflict_declare": _("Conflict of interest declared"),
    "decision_record": _("Decision recorded"),
    "vote_cast": _("Vote cast"),
    "votes_all_in_favour": _("All present members recorded in favour"),
    "session_sign": _("Protocol signed"),
    "session_signature_withdraw": _("Signature withdrawn"),
    "notice_send": _("Notice sent"),
    "decision_correct": _("Decision corrected"),
    "commissions_demo": _("Demo data loaded"),
}


def not_a_member(membership) -> bool:
    """The Commission's members read the composition and their sessions; the rest is the akimat's."""
    return membership.role != "commission_member"


class CommissionsConfig(AppConfig):
    name = "commissions"
    verbose_name = _("Commissions")

    def ready(self):
        """Plug the akimat's review and the Commission into core (quota_portal/core/registry.py)."""
        from django.conf import settings

        from quota_portal.core import registry
        from quota_portal.core.reminders import days_list
        from quota_portal.core.scoping import TenantKind

        from . import blocks, demo, panels, scoping, sweeps  # noqa: F401 - sweeps registers the deadline sweeps

        registry.register_dashboard_panel("commissions.akimat", roles={"akimat"}, render=panels.akimat_panel,
                                          order=200)
        registry.register_dashboard_panel("commissions.ministry", roles={"ministry"},
                                          render=panels.ministry_panel, order=200)
        akimat = {"akimat"}
        registry.register_nav_entry("commissions.inbox", roles=akimat, label=_("Applications"),
                                    url_name="commissions:inbox", active_prefix="/commissions/applications/",
                                    order=200)
        registry.register_nav_entry("commissions.sessions", roles=akimat, label=_("Sessions"),
                                    url_name="commissions:sessions", active_prefix="/commissions/sessions/",
                                    order=210)
        registry.register_nav_entry("commissions.commission", roles=akimat, label=_("Commission"),
                                    testid="commissions-menu", order=220, children=(
                                        registry.NavLink(_("Composition (Rules p.9)"), "commissions:commission"),
                                        registry.NavLink(_("Labour market"), "commissions:figures",
                                                         visible=not_a_member),
                                        registry.NavLink(_("Violations"), "commissions:violations",
                                                         visible=not_a_member),
                                        registry.NavLink(_("Notices"), "commissions:notices",
                                                         visible=not_a_member),
                                    ))
        registry.register_reminder_type(
            "commissions.akimat", roles={"akimat"},
            label=_("The akimat's deadlines: generalization and the Commission"),
            schedule=lambda: _("%(days)s days before the deadlines of Rules p.7 and p.8") % {
                "days": days_list(settings.AUTHORITY_REMINDER_DAYS)}, order=200)
        registry.register_reminder_type(
            "commissions.secretary", roles={"akimat"}, label=_("Written notices due (p.11)"),
            schedule=lambda: _("%(days)s days before a notice is due") % {
                "days": days_list(settings.AUTHORITY_REMINDER_DAYS)}, order=201)
        registry.register_demo_step("commissions", run=demo.seed, order=200, after=("applications",))
        registry.register_action_labels("commissions", ACTION_LABELS, order=200)
        registry.register_scope_rule("commissions.violations_in_region", model="core.Organization",
                                     tenant_kind=TenantKind.AKIMAT,
                                     q=scoping.organizations_with_violations_in_region, order=200)
        registry.register_page_block("application_detail", "commissions.decision",
                                     render=blocks.decision_block, order=200)
        registry.register_page_block("acting_role", "commissions.chair", render=blocks.acting_role_block, order=200)
        registry.register_page_block("application_review", "commissions.violations",
                                     render=blocks.violations_block, order=200)
        registry.register_page_block("application_review", "commissions.labour_market",
                                     render=blocks.labour_market_block, order=210)
