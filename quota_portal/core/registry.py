"""What the apps plug into core: core knows no app, the apps fill this registry.

The stage order is one way, core <- applications <- commissions <- allocation: an earlier stage
never imports a later one (`make test` checks it with import-linter). Where a page or mechanism
of core needs an app's part, core asks this registry, and each app registers its parts from its
`AppConfig.ready()` (Django calls it once the models are loaded, in INSTALLED_APPS order).

Kinds (what each is for; who registers today):

- dashboard panels, `register_dashboard_panel`: the dashboard (`core.views.dashboard`) shows,
  for the acting role group, each panel's `render(request) -> (template, context) | None` (None:
  nothing to show). applications: the employer's applications; commissions: the akimat's
  review, the Ministry's view of every region.
- nav entries, `register_nav_entry`: the header (`templates/includes/nav.html`, through the
  `{% nav_entries %}` tag) shows, for the role group and an optional `visible(membership)`, a
  link (label, url name, active prefix), a dropdown of links, or a template to include.
  applications: Applications; commissions: Applications, Sessions, the Commission menu. Core's
  own items (Dashboard, Members, Reference data) stay in core's template.
- demo steps, `register_demo_step`: `manage.py seed_demo` runs each `run(stdout=)` after core's
  own data, each after the steps named in its `after`. applications, then commissions.
- audit action labels, `register_action_labels`: `core.audit.action_label` names a service in
  histories. core registers its own (audit.ACTION_LABELS), each app its services'.
- scope rules, `register_scope_rule`: a core model's `scope_q` admits, for a tenant kind, the OR
  of every rule's `q(tenant) -> Q`. `Organization.scope_q` for akimats: applications ("has
  filed an application in the region"), commissions ("the region recorded a violation").
- page blocks, `register_page_block`: a page that shows a later stage's parts renders, where it
  puts them, each `render(request, obj) -> (template, context) | None`. commissions on
  "application_detail" (the decision) and "application_review" (the self-check's violations and
  labour-market warnings, as items of its list).
- deadline sweeps, `register_sweep`: the beat's `core.deadline_sweep` (`deadlines.run_sweeps`).
  applications (filing closed and overdue, reminders, the opening broadcast), commissions
  (generalization, Commission, notices: overdue and reminders; unsent notices), allocation (p.15
  need, Annexes 2-4, proposals, distribution, publication).
- reminder types, `register_reminder_type`: what a user may be reminded of and may mute in their
  profile (`core.reminders`); the sweeps send them through `reminders.remind`. Each app its own.

- deadline audiences, `register_deadline_audience`: who is told when the Ministry extends a
  deadline after an outage (`ops_services.deadline_extend`): `users(campaign) -> users` for the
  deadline named. core: akimat officers, Commission secretaries, central bodies, the Ministry;
  applications: the owners and editors of organizations with drafts (filing).

Order: every kind is read in ascending `order`, ties broken by key. An app numbers its entries in
its stage's hundred (core 0-99, applications 100-199, commissions 200-299, allocation 300-399), so
a later stage's part comes after an earlier stage's unless it says otherwise.

Keys are unique within a kind (within a page for page blocks, within a model and tenant kind for
scope rules): a second, different entry under a taken key raises `ImproperlyConfigured`;
registering the very same entry again (a `ready()` run twice) changes nothing.

Tests: `registered(entry)` adds an entry for the length of a `with` block and removes it after;
`unregister(entry)` removes one.
"""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any, Generic, Protocol, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q

# Who the acting membership is, as the registry filters by it.
ROLE_GROUPS = ("employer", "akimat", "central", "ministry")

Rendered = tuple[str, dict[str, Any]]


def role_group(membership) -> str:
    """"employer", "akimat", "central" or "ministry" for a membership; "" for none."""
    if membership is None:
        return ""
    if membership.is_employer:
        return "employer"
    if membership.is_akimat:
        return "akimat"
    if membership.is_central:
        return "central"
    return "ministry"


def _roles(roles) -> frozenset[str]:
    roles = frozenset(roles)
    unknown = roles - set(ROLE_GROUPS)
    if unknown:
        raise ImproperlyConfigured(f"unknown role groups {sorted(unknown)}; use {ROLE_GROUPS}")
    return roles


@dataclass(frozen=True)
class DashboardPanel:
    """A panel on the dashboard of the role groups in `roles`."""

    key: str
    roles: frozenset[str]
    render: Callable[[Any], Rendered | None]
    order: int = 100

    def __post_init__(self):
        object.__setattr__(self, "roles", _roles(self.roles))


@dataclass(frozen=True)
class NavLink:
    """One link of a dropdown nav entry."""

    label: Any
    url_name: str
    visible: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class NavEntry:
    """An item of the header's nav, for the role groups in `roles`.

    Exactly one of: `url_name` (a link, with `label` and an optional bootstrap `icon`),
    `children` (a dropdown titled `label`), or `template` (included as is, with the page's
    context). `active_prefix`: the entry is the current page on its own URL and on every path
    that starts with the prefix (`templates/includes/_nav_entry.html` is the one place that will
    mark it). `visible(membership)` narrows it within the role groups.
    """

    key: str
    roles: frozenset[str]
    label: Any = ""
    url_name: str = ""
    icon: str = ""
    children: tuple[NavLink, ...] = ()
    template: str = ""
    active_prefix: str = ""
    testid: str = ""
    visible: Callable[[Any], bool] | None = None
    order: int = 100

    def __post_init__(self):
        object.__setattr__(self, "roles", _roles(self.roles))
        object.__setattr__(self, "children", tuple(self.children))
        if sum(map(bool, (self.url_name, self.children, self.template))) != 1:
            raise ImproperlyConfigured(f"nav entry {self.key!r}: give one of url_name, children, template")

    def shown_to(self, membership) -> bool:
        return role_group(membership) in self.roles and (self.visible is None or self.visible(membership))

    @property
    def kind(self) -> str:
        return "link" if self.url_name else "dropdown" if self.children else "template"


class DemoRun(Protocol):
    def __call__(self, *, stdout) -> None: ...


@dataclass(frozen=True)
class DemoStep:
    """Demo data of one app for `seed_demo`, run after the steps named in `after`."""

    name: str
    run: DemoRun
    order: int = 100
    after: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return self.name


@dataclass(frozen=True)
class ActionLabels:
    """An app's services as the readers of histories see them: {service name: lazy label}."""

    app: str
    labels: dict[str, Any] = field(hash=False)
    order: int = 100

    @property
    def key(self) -> str:
        return self.app


@dataclass(frozen=True)
class ScopeRule:
    """Rows of a core model (`model`, "core.Organization") that tenants of `tenant_kind` see
    because of an app's records: `q(tenant) -> Q`. The model ORs every rule's Q."""

    key: str
    model: str
    tenant_kind: str
    q: Callable[[Any], Q]
    order: int = 100


@dataclass(frozen=True)
class PageBlock:
    """A block another app adds to `page`: `render(request, obj) -> (template, context) | None`."""

    page: str
    key: str
    render: Callable[[Any, Any], Rendered | None]
    order: int = 100


@dataclass(frozen=True)
class Sweep:
    """A deadline sweep: selects what is due, claims each row, returns how many it handled."""

    key: str
    run: Callable[[], int]
    order: int = 100


@dataclass(frozen=True)
class ReminderType:
    """A kind of reminder (`key`) the role groups in `roles` receive, when (`schedule`, shown in
    the profile), and which a user may mute. Legal notices are never reminder types."""

    key: str
    roles: frozenset[str]
    label: Any
    schedule: Any
    order: int = 100

    def __post_init__(self):
        object.__setattr__(self, "roles", _roles(self.roles))


@dataclass(frozen=True)
class DeadlineAudience:
    """Who must hear of a change to deadline `deadline` of a campaign: `users(campaign) -> users`;
    and, optionally, what the app undoes when the deadline moves later: `on_extend(campaign) -> int`
    (the applications app reopens what its sweep closed at the old date)."""

    key: str
    deadline: str
    users: Callable[[Any], Any]
    order: int = 100
    on_extend: Callable[[Any], int] | None = None


E = TypeVar("E")


class _Kind(Generic[E]):
    """Entries of one kind, by key; read in (order, key) order."""

    def __init__(self, name: str):
        self.name = name
        self._entries: dict[str, E] = {}

    def add(self, key: str, entry: E) -> E:
        old = self._entries.get(key)
        if old is not None and old != entry:
            raise ImproperlyConfigured(f"{self.name} {key!r} is registered twice")
        self._entries[key] = entry
        return entry

    def remove(self, key: str) -> None:
        self._entries.pop(key, None)

    def __contains__(self, key: str) -> bool:
        return key in self._entries

    def ordered(self) -> list[E]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.key))


_panels: _Kind[DashboardPanel] = _Kind("dashboard panel")
_nav: _Kind[NavEntry] = _Kind("nav entry")
_demo: _Kind[DemoStep] = _Kind("demo step")
_labels: _Kind[ActionLabels] = _Kind("action labels of")
_sweeps: _Kind[Sweep] = _Kind("sweep")
_reminders: _Kind[ReminderType] = _Kind("reminder type")
_audiences: _Kind[DeadlineAudience] = _Kind("deadline audience")
_rules: dict[tuple[str, str], _Kind[ScopeRule]] = {}
_blocks: dict[str, _Kind[PageBlock]] = {}


def _kind_of(entry) -> _Kind:
    if isinstance(entry, DashboardPanel):
        return _panels
    if isinstance(entry, NavEntry):
        return _nav
    if isinstance(entry, DemoStep):
        return _demo
    if isinstance(entry, ActionLabels):
        return _labels
    if isinstance(entry, Sweep):
        return _sweeps
    if isinstance(entry, ReminderType):
        return _reminders
    if isinstance(entry, DeadlineAudience):
        return _audiences
    if isinstance(entry, ScopeRule):
        return _rules.setdefault((entry.model, str(entry.tenant_kind)), _Kind(f"scope rule of {entry.model}"))
    if isinstance(entry, PageBlock):
        return _blocks.setdefault(entry.page, _Kind(f"block of {entry.page}"))
    raise TypeError(f"not a registry entry: {entry!r}")


def register(entry: E) -> E:
    """Add an entry of any kind (the `register_*` helpers build the entry and call this)."""
    if isinstance(entry, ActionLabels):
        taken = {name for other in _labels.ordered() if other.key != entry.key for name in other.labels}
        clash = taken & set(entry.labels)
        if clash:
            raise ImproperlyConfigured(f"action labels {sorted(clash)} are registered by two apps")
    return _kind_of(entry).add(entry.key, entry)


def unregister(entry) -> None:
    """Remove an entry (tests)."""
    _kind_of(entry).remove(entry.key)


@contextlib.contextmanager
def registered(*entries) -> Iterator[None]:
    """Register entries for the length of a `with` block (tests)."""
    for entry in entries:
        if entry.key in _kind_of(entry):
            raise ImproperlyConfigured(f"{entry.key!r} is already registered")
    try:
        for entry in entries:
            register(entry)
        yield
    finally:
        for entry in entries:
            unregister(entry)


# --- Registering (from AppConfig.ready()) ------------------------------------------------------

def register_dashboard_panel(key: str, *, roles, render, order: int = 100) -> DashboardPanel:
    return register(DashboardPanel(key=key, roles=roles, render=render, order=order))


def register_nav_entry(key: str, *, roles, order: int = 100, **fields) -> NavEntry:
    return register(NavEntry(key=key, roles=roles, order=order, **fields))


def register_demo_step(name: str, *, run, order: int = 100, after=()) -> DemoStep:
    return register(DemoStep(name=name, run=run, order=order, after=tuple(after)))


def register_action_labels(app: str, labels: dict, *, order: int = 100) -> ActionLabels:
    return register(ActionLabels(app=app, labels=dict(labels), order=order))


def register_scope_rule(key: str, *, model: str, tenant_kind: str, q, order: int = 100) -> ScopeRule:
    return register(ScopeRule(key=key, model=model, tenant_kind=str(tenant_kind), q=q, order=order))


def register_page_block(page: str, key: str, *, render, order: int = 100) -> PageBlock:
    return register(PageBlock(page=page, key=key, render=render, order=order))


def register_sweep(name: str, *, order: int = 100):
    """Decorator: `@register_sweep("app.what")` over a function returning how many rows it handled."""

    def decorator(func: Callable[[], int]):
        register(Sweep(key=name, run=func, order=order))
        return func

    return decorator


def register_reminder_type(key: str, *, roles, label, schedule, order: int = 100) -> ReminderType:
    return register(ReminderType(key=key, roles=roles, label=label, schedule=schedule, order=order))


def register_deadline_audience(key: str, *, deadline: str, users, order: int = 100, on_extend=None) -> DeadlineAudience:
    return register(DeadlineAudience(key=key, deadline=deadline, users=users, order=order, on_extend=on_extend))


# --- Reading (core) ----------------------------------------------------------------------------

def dashboard_panels(request) -> list[Rendered]:
    """The acting role's panels that have something to show, in order."""
    group = role_group(getattr(request, "membership", None))
    panels = []
    for panel in _panels.ordered():
        if group in panel.roles:
            rendered = panel.render(request)
            if rendered:
                panels.append(rendered)
    return panels


def nav_entries(membership) -> list[NavEntry]:
    """The header's entries for the acting membership, in order; a dropdown with only the links
    the membership may see (and none at all when it may see none)."""
    shown = []
    for entry in _nav.ordered():
        if not entry.shown_to(membership):
            continue
        if entry.children:
            children = tuple(link for link in entry.children
                             if link.visible is None or link.visible(membership))
            if not children:
                continue
            entry = replace(entry, children=children)
        shown.append(entry)
    return shown


def demo_steps() -> list[DemoStep]:
    """The demo steps in order; each named `after` step must exist and come earlier."""
    steps = _demo.ordered()
    seen: set[str] = set()
    for step in steps:
        missing = set(step.after) - seen
        if missing:
            raise ImproperlyConfigured(
                f"demo step {step.name!r} must run after {sorted(missing)}, which are missing or come later")
        seen.add(step.name)
    return steps


def action_label(name: str):
    """The label an app registered for service `name`, or None."""
    for entry in _labels.ordered():
        if name in entry.labels:
            return entry.labels[name]
    return None


def scope_q(model: str, tenant) -> Q | None:
    """The OR of the rules apps registered for `model` and the tenant's kind; None if none."""
    rules = _rules.get((model, str(tenant.kind)))
    combined = None
    for rule in rules.ordered() if rules else ():
        q = rule.q(tenant)
        combined = q if combined is None else combined | q
    return combined


def page_blocks(page: str, request, obj) -> list[Rendered]:
    """The blocks other apps add to `page` for `obj` that have something to show, in order."""
    blocks = _blocks.get(page)
    rendered = []
    for block in blocks.ordered() if blocks else ():
        result = block.render(request, obj)
        if result:
            rendered.append(result)
    return rendered


def sweeps() -> list[Sweep]:
    return _sweeps.ordered()


def reminder_types() -> list[ReminderType]:
    return _reminders.ordered()


def deadline_audience(deadline: str, campaign) -> list:
    """Every user some app named for `deadline` of `campaign`, each once, in registry order."""
    seen, users = set(), []
    for entry in _audiences.ordered():
        if entry.deadline != deadline:
            continue
        for user in entry.users(campaign):
            if user.pk not in seen:
                seen.add(user.pk)
                users.append(user)
    return users


def deadline_extended(deadline: str, campaign) -> int:
    """Let every app react to `deadline` of `campaign` moving later (in the caller's transaction)."""
    return sum(entry.on_extend(campaign) for entry in _audiences.ordered()
               if entry.deadline == deadline and entry.on_extend is not None)
