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
        from quota_portal.core import registry
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
        registry.register_scope_rule("applications.filed_in_region", model="core.Organization",
                                     tenant_kind=TenantKind.AKIMAT, q=scoping.organizations_filed_in_region,
                                     order=100)
