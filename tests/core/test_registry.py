"""quota_portal.core.registry: what the apps plug into core, used where core shows or runs it."""
from __future__ import annotations

import io

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db.models import Q
from django.template import Template
from django.utils import translation

from quota_portal.core import registry
from quota_portal.core.audit import action_label
from quota_portal.core.deadlines import run_sweeps
from quota_portal.core.models import Organization
from quota_portal.core.scoping import Tenant, TenantKind, activate
from tests.conftest import almaty

PROBE = Template('<p data-testid="probe-panel">{{ panel.word }}</p>')


def probe_panel(request):
    return PROBE, {"word": f"panel for {request.membership.get_role_display()}"}


def nothing(request):
    return None


def test_a_registered_dashboard_panel_shows_for_its_role_groups_only_and_goes_when_removed(cast):
    panel = registry.DashboardPanel(key="probe", roles={"central", "ministry"}, render=probe_panel, order=1)
    with registry.registered(panel):
        assert 'data-testid="probe-panel"' in cast.client(cast.central_officer).get("/dashboard/").content.decode()
        assert 'data-testid="probe-panel"' in cast.client(cast.analyst).get("/dashboard/").content.decode()
        for who in (cast.employer, cast.akimat_officer):
            assert 'data-testid="probe-panel"' not in cast.client(who).get("/dashboard/").content.decode()
    assert 'data-testid="probe-panel"' not in cast.client(cast.central_officer).get("/dashboard/").content.decode()
    assert "probe" not in {p.key for p in registry._panels.ordered()}


def _main(page: str) -> str:
    return page[page.index('<main id="main"'):]


def test_a_panel_with_nothing_to_show_leaves_the_dashboard_as_it_was(cast):
    with time_machine.travel(almaty(2027, 3, 1, 10, 0), tick=False):
        client = cast.client(cast.central_officer)
        before = _main(client.get("/dashboard/").content.decode())
        with registry.registered(registry.DashboardPanel(key="empty", roles={"central"}, render=nothing)):
            assert _main(client.get("/dashboard/").content.decode()) == before


def test_panels_come_in_order_then_by_key(cast):
    def word(text):
        def render(request):
            return Template("<i>{{ panel.w }}</i>"), {"w": text}
        return render

    with registry.registered(
            registry.DashboardPanel(key="b", roles={"central"}, render=word("second"), order=5),
            registry.DashboardPanel(key="a", roles={"central"}, render=word("third"), order=7),
            registry.DashboardPanel(key="c", roles={"central"}, render=word("first"), order=1),
            registry.DashboardPanel(key="a2", roles={"central"}, render=word("fourth"), order=7)):
        page = cast.client(cast.central_officer).get("/dashboard/").content.decode()
    positions = [page.index(f"<i>{w}</i>") for w in ("first", "second", "third", "fourth")]
    assert positions == sorted(positions)


def only_chairs(membership):
    return membership.role == "commission_secretary"


def test_a_nav_entry_shows_for_its_roles_with_only_the_links_each_may_see(cast):
    link = registry.NavEntry(key="probe.link", roles={"akimat"}, label="Probe link", url_name="inbox", order=1)
    menu = registry.NavEntry(key="probe.menu", roles={"akimat"}, label="Probe menu", testid="probe-menu", order=2,
                             children=(registry.NavLink("Everyone's", "dashboard"),
                                       registry.NavLink("Secretary's", "inbox", visible=only_chairs)))
    with registry.registered(link, menu):
        officer = cast.client(cast.akimat_officer).get("/dashboard/").content.decode()
        secretary = cast.client(cast.secretary).get("/dashboard/").content.decode()
        employer = cast.client(cast.employer).get("/dashboard/").content.decode()
    assert '<a class="nav-link" href="/inbox/">Probe link</a>' in officer
    assert 'data-testid="probe-menu">Probe menu</a>' in officer and "Everyone&#x27;s" in officer
    assert "Secretary&#x27;s" not in officer and "Secretary&#x27;s" in secretary
    assert "Probe" not in employer
    assert "Probe" not in cast.client(cast.akimat_officer).get("/dashboard/").content.decode()


def test_a_dropdown_whose_links_are_all_hidden_is_not_shown(cast):
    menu = registry.NavEntry(key="probe.menu", roles={"akimat"}, label="Probe menu",
                             children=(registry.NavLink("Secretary's", "inbox", visible=only_chairs),))
    with registry.registered(menu):
        assert "Probe menu" not in cast.client(cast.akimat_officer).get("/dashboard/").content.decode()
        assert "Probe menu" in cast.client(cast.secretary).get("/dashboard/").content.decode()


def test_a_nav_entry_is_one_of_a_link_a_dropdown_or_a_template():
    with pytest.raises(ImproperlyConfigured):
        registry.NavEntry(key="x", roles={"akimat"}, label="X")
    with pytest.raises(ImproperlyConfigured):
        registry.NavEntry(key="x", roles={"akimat"}, label="X", url_name="inbox", template="x.html")
    with pytest.raises(ImproperlyConfigured):
        registry.NavEntry(key="x", roles={"akimats"}, label="X", url_name="inbox")  # no such role group


def test_the_apps_nav_entries_are_those_of_the_stage_order(cast):
    def keys(user):
        return [e.key for e in registry.nav_entries(user.memberships.get())]

    assert keys(cast.employer) == ["applications"]
    assert keys(cast.akimat_officer) == ["commissions.inbox", "commissions.sessions", "commissions.commission",
                                         "allocation.submissions", "allocation.proposals_akimat",
                                         "allocation.redistribution_akimat"]
    member_menu = registry.nav_entries(cast.member.memberships.get())[-1]
    assert [link.url_name for link in member_menu.children] == ["commissions:commission"]
    assert keys(cast.central_officer) == ["allocation.proposals_central", "allocation.redistribution_central"]
    assert keys(cast.analyst) == ["allocation.national", "allocation.proposals_ministry", "allocation.quota"]
    quota_menu = registry.nav_entries(cast.analyst.memberships.get())[-1]
    assert [link.url_name for link in quota_menu.children] == [
        "quota:home", "publication:list", "redistribution:queue_current", "redistribution:use_current",
        "public_quota:index"]


def test_a_scope_rule_widens_what_an_akimat_sees_and_its_removal_narrows_it_again(cast):
    def astana_sees_org2(tenant):
        return Q(pk=cast.org2.pk) if tenant.region_id == cast.astana.pk else Q(pk__in=[])

    rule = registry.ScopeRule(key="probe", model="core.Organization", tenant_kind=TenantKind.AKIMAT,
                              q=astana_sees_org2)
    astana = Tenant(kind=TenantKind.AKIMAT, region_id=cast.astana.pk, authority_id=cast.akimat_astana.pk)
    atyrau = Tenant(kind=TenantKind.AKIMAT, region_id=cast.atyrau.pk, authority_id=cast.akimat_atyrau.pk)
    with activate(astana):
        assert not Organization.objects.filter(pk=cast.org2.pk).exists()
    with registry.registered(rule):
        with activate(astana):
            assert list(Organization.objects.all()) == [cast.org2]
        with activate(atyrau):
            assert not Organization.objects.exists()
        # A rule for akimats gives a central body nothing.
        with activate(Tenant(kind=TenantKind.CENTRAL, authority_id=cast.central_body.pk)):
            assert not Organization.objects.exists()
    with activate(astana):
        assert not Organization.objects.filter(pk=cast.org2.pk).exists()


def test_organization_visibility_for_akimats_comes_from_the_apps_rules_alone(cast):
    # What each rule admits is tested where the rule lives (tests/commissions/test_workflow_edges.py).
    keys = [rule.key for rule in registry._rules[("core.Organization", "akimat")].ordered()]
    assert keys == ["applications.filed_in_region", "commissions.violations_in_region"]
    assert registry.scope_q("core.Organization", Tenant(kind=TenantKind.CENTRAL)) is None


def test_page_blocks_render_in_order_and_skip_those_with_nothing_to_show(rf):
    request = rf.get("/")
    blocks = (registry.PageBlock(page="probe", key="late", render=lambda r, obj: ("b.html", {"n": obj}), order=9),
              registry.PageBlock(page="probe", key="none", render=lambda r, obj: None, order=1),
              registry.PageBlock(page="probe", key="early", render=lambda r, obj: ("a.html", {"n": obj}), order=2),
              registry.PageBlock(page="other", key="elsewhere", render=lambda r, obj: ("c.html", {}), order=0))
    with registry.registered(*blocks):
        assert registry.page_blocks("probe", request, 7) == [("a.html", {"n": 7}), ("b.html", {"n": 7})]
    assert registry.page_blocks("probe", request, 7) == []


def test_a_key_taken_by_another_entry_is_refused_and_the_same_entry_again_is_harmless():
    panel = registry.DashboardPanel(key="dup", roles={"central"}, render=nothing)
    with registry.registered(panel):
        registry.register(panel)  # a ready() run twice
        with pytest.raises(ImproperlyConfigured):
            registry.register(registry.DashboardPanel(key="dup", roles={"central"}, render=probe_panel))
        with pytest.raises(ImproperlyConfigured), registry.registered(panel):
            pass
    assert "dup" not in registry._panels


@translation.override("en")
def test_action_labels_are_each_apps_own_and_two_apps_cannot_claim_one_name():
    assert action_label("invitation_create") == "Invitation sent"  # core's own
    assert action_label("application_submit") == "Application submitted"  # registered by applications
    assert action_label("decision_record") == "Decision recorded"  # registered by commissions
    assert action_label("probe_thing") == "Probe thing"
    with registry.registered(registry.ActionLabels(app="probe", labels={"probe_thing": "Probe done"})):
        assert action_label("probe_thing") == "Probe done"
        with pytest.raises(ImproperlyConfigured):
            registry.register(registry.ActionLabels(app="probe2", labels={"probe_thing": "Other"}))
    assert action_label("probe_thing") == "Probe thing"
    from quota_portal.core.audit import ACTION_LABELS

    assert "application_submit" not in ACTION_LABELS and "decision_record" not in ACTION_LABELS


def test_seed_demo_runs_the_registered_steps_in_order_and_refuses_a_step_before_its_prerequisite(db, settings):
    settings.DEBUG = True
    ran = []

    def step(name):
        def run(*, stdout):
            ran.append(name)
            stdout.write(f"probe {name} ran")
        return run

    assert [s.name for s in registry.demo_steps()] == ["applications", "commissions", "allocation_submissions",
                                                        "allocation.proposals", "allocation.publication",
                                                        "allocation.redistribution", "allocation.scenarios"]
    saved = registry.demo_steps()
    for s in saved:
        registry.unregister(s)  # core's part alone, then only the probes
    try:
        with registry.registered(registry.DemoStep(name="second", run=step("second"), order=20, after=("first",)),
                                 registry.DemoStep(name="first", run=step("first"), order=10)):
            out = io.StringIO()
            call_command("seed_demo", stdout=out)
            assert ran == ["first", "second"]
            assert out.getvalue().index("Demo data: first") < out.getvalue().index("Demo data: second")
        early = registry.DemoStep(name="early", run=step("early"), order=1, after=("late",))
        late = registry.DemoStep(name="late", run=step("late"), order=2)
        with registry.registered(early, late), pytest.raises(ImproperlyConfigured):
            registry.demo_steps()
    finally:
        for s in saved:
            registry.register(s)
    assert [s.name for s in registry.demo_steps()] == ["applications", "commissions", "allocation_submissions",
                                                        "allocation.proposals", "allocation.publication",
                                                        "allocation.redistribution", "allocation.scenarios"]


def test_sweeps_run_in_order_and_one_failure_does_not_stop_the_rest(db):
    ran = []

    def ok():
        ran.append("ok")
        return 3

    def broken():
        ran.append("broken")
        raise RuntimeError("boom")

    with registry.registered(registry.Sweep(key="probe.broken", run=broken, order=0),
                             registry.Sweep(key="probe.ok", run=ok, order=0)):
        results = run_sweeps()
    assert ran == ["broken", "ok"]
    assert results["probe.broken"] == "error" and results["probe.ok"] == 3
    assert {"applications.filing_closed", "applications.filing_reminder", "commissions.unsent_notices"} <= set(results)
    assert "probe.ok" not in {s.key for s in registry.sweeps()}
