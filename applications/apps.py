from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The services of this app as the readers of histories see them.
ACTION_LABELS = {
    "application_start": _("Application started"),
    "application_save_draft": _("Draft saved"),
    "application_import_lines": _("Lines imported"),
    "application_copy": _("Application copied"),
    "application_submit": _("Application submitted"),
    "application_withdraw": _("Application withdrawn"),
    "attachment_add": _("Document attached"),
    "attachment_remove": _("Document removed"),
    "applications_filing_closed": _("Filing closed"),
}


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        """Plug the employer's filing into core (quota_portal/core/registry.py)."""
        from django.conf import settings

        from quota_portal.core import registry
        from quota_portal.core.reminders import days_list
        from quota_portal.core.scoping import TenantKind

        from . import demo, scoping, selectors, sweeps  # noqa: F401 - sweeps registers the deadline sweeps

        registry.register_dashboard_panel("applications", roles={"employer"}, render=selectors.dashboard_panel,
                                          order=100)
        registry.register_nav_entry("applications", roles={"employer"}, label=_("Applications"),
                                    url_name="applications:list", icon="bi-file-earmark-text",
                                    active_prefix="/applications/", order=100)
        registry.register_demo_step("applications", run=demo.seed, order=100)
        registry.register_deadline_audience("applications.drafts", deadline="filing", users=selectors.draft_filers,
                                            on_extend=sweeps.reopen_after_extension, order=100)
        registry.register_action_labels("applications", ACTION_LABELS, order=100)
        filing_days = lambda: days_list(settings.FILING_REMINDER_DAYS)  # noqa: E731 - read when shown
        registry.register_reminder_type(
            "applications.campaign_opened", roles={"employer"}, label=_("A campaign opens for applications"),
            schedule=lambda: _("When filing opens (Rules p.6)"), order=100)
        registry.register_reminder_type(
            "applications.drafts", roles={"employer"}, label=_("Your applications still in draft"),
            schedule=lambda: _("%(days)s days before filing closes (Rules p.6)") % {"days": filing_days()},
            order=101)
        registry.register_reminder_type(
            "applications.not_yet_filed", roles={"employer"},
            label=_("You filed last year and not yet this year"),
            schedule=lambda: _("%(days)s days before filing closes (Rules p.6)") % {"days": filing_days()},
            order=102)
        registry.register_scope_rule("applications.filed_in_region", model="core.Organization",
                                     tenant_kind=TenantKind.AKIMAT, q=scoping.organizations_filed_in_region,
                                     order=100)
