"""Issue 13, hostile input: hypothesis drives every form of the project through the view that
posts it, as the role that may post it, with the hostile alphabet (NUL, C0/C1 controls, bidi and
zero-width characters, non-ASCII digits, 100k-character strings, huge, negative and fractional
numbers, empty values). No answer is a 5xx; a refused post persists nothing (no row of the
project's models and no audit event more or less) and, when it re-shows the form, names the
field with a translated (Russian) message.

A form class of applications, commissions, allocation or quota_portal.core without a row in
TARGETS fails `test_every_form_of_the_project_has_a_target`: a new form must be added here."""
from __future__ import annotations

import datetime as dt
import importlib
import inspect
import pkgutil
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django import forms
from django.apps import apps
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PACKAGES = ("applications", "commissions", "allocation", "quota_portal.core")

# --- the hostile alphabet ---------------------------------------------------------------------------

CONTROLS = [chr(c) for c in range(1, 32)] + ["\x7f"] + [chr(c) for c in range(0x80, 0xA0)]
BIDI = ["\u202e", "\u202d", "\u202a", "\u202b", "\u202c", "\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f"]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
# Arabic-Indic, extended Arabic-Indic, Devanagari, fullwidth, superscript and circled digits: isdigit()
# says yes to most of them; int() takes some and refuses others.
DIGITS = list("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹०१२३४५६७८९０１２３４５６７８９²³¹①")
LETTERS = list("aZ09 -.,/'\"<>&;=+@Әәғқңөұүһі") + ["Ж", "ё"]
ALPHABET = CONTROLS + BIDI + ZERO_WIDTH + DIGITS + LETTERS

NUMBERS = ["0", "-1", "-2147483649", "2147483648", "9" * 40, "1e309", "-1e309", "NaN", "inf", "0.5", "-0.0001",
           "1,5", "1 000", "0x10", "+7", "٣", "１２", "²", "\u202e12", "1\u200b2", "00000000000000000001"]
DATES = ["2026-02-30", "0000-01-01", "9999-12-31", "99999-01-01", "-2026-01-01", "31.12.2026", "2026-13-01",
         "２０２６-01-01", "1970-01-01T00:00:00"]
SPECIALS = ["", " ", "\x00", "x" * 100_000, "١" * 1000, "\u202e" * 50, "\ufeff", "<script>x</script>",
            "=cmd|' /C calc'!A0", "' OR 1=1 --"]


def hostile_value() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=ALPHABET, max_size=40),
        st.sampled_from(NUMBERS),
        st.sampled_from(DATES),
        st.sampled_from(SPECIALS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.decimals(allow_nan=True, allow_infinity=True, places=6).map(str),
    )


# --- the objects the views name -------------------------------------------------------------------


class World:
    """The cast plus the objects a form's view needs, made lazily through the services/helpers."""

    def __init__(self, cast, occupations):
        self.cast, self.occupations = cast, occupations
        self._made: dict[str, object] = {}

    def _once(self, key, make):
        if key not in self._made:
            self._made[key] = make()
        return self._made[key]

    def draft(self):
        from applications import services
        from tests.applications.conftest import fill

        def make():
            c = self.cast
            app = services.application_start(actor=c.employer, organization=c.org, campaign=c.next_campaign,
                                             region=c.astana)
            return fill(app, c.employer, self.occupations)
        return self._once("draft", make)

    def submitted(self):
        from applications import services

        def make():
            app = self.draft()
            services.attachment_add(actor=self.cast.employer, application=app, name="a.pdf",
                                    content=b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
            app.refresh_from_db()
            services.application_submit(actor=self.cast.employer, application=app, expected_revision=app.revision)
            app.refresh_from_db()
            return app
        return self._once("submitted", make)

    def copyable(self):
        from applications.models import Application
        from tests.commissions.conftest import make_application

        return self._once("copyable", lambda: make_application(
            self.cast, status=Application.Status.DECIDED, lines=[("3", self.occupations.o2142, 5)]))

    def case(self):
        from tests.commissions.conftest import astana_case

        return self._once("case", lambda: astana_case.__wrapped__(self.cast, self.occupations))

    def violation(self):
        from commissions.models import Violation

        return self._once("violation", lambda: Violation.objects.create(
            region=self.cast.astana, organization=self.cast.org, ground="2", year=2026, description="x",
            recorded_by=self.cast.akimat_officer))

    def proposal_draft(self):
        from tests.allocation.proposals_conftest import draft

        return self._once("proposal_draft", lambda: draft(self.cast))

    def proposal_sent(self):
        from tests.allocation.proposals_conftest import sent

        return self._once("proposal_sent", lambda: sent(self.cast, title="Второй проект"))

    def scenario(self):
        from tests.allocation.scenario_data import build, scenario

        def make():
            build(self.cast, self.occupations)
            return scenario(self.cast)
        return self._once("scenario", make)

    def distribution(self):
        from allocation.quota_services import distribution_propose
        from tests.allocation.quota_helpers import small_figures

        return self._once("distribution", lambda: distribution_propose(
            actor=self.cast.analyst, campaign=self.cast.campaign, figures=small_figures(self.cast), reason="x"))

    def published(self):
        from tests.allocation.redistribution_helpers import publish_version_1

        return self._once("published", lambda: publish_version_1(self.cast))

    def redistribution(self):
        from tests.allocation.redistribution_helpers import ask

        def make():
            self.published()
            return ask(self.cast)
        return self._once("redistribution", make)

    def submission_version(self):
        from tests.allocation.national_data import RowSpec, VersionSpec, send_version

        return self._once("version", lambda: send_version(
            region=self.cast.astana, campaign=self.cast.campaign, officer=self.cast.akimat_officer,
            spec=VersionSpec(rows=[RowSpec(org=self.cast.org, lines=[("3", self.occupations.o2142, 5)])])))

    def outage(self):
        from quota_portal.core.models import Outage

        def make():
            fields = {f.name for f in Outage._meta.get_fields()}
            now = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)
            data = {"started_at": now, "ended_at": now + dt.timedelta(hours=5), "reason": "x",
                    "recorded_by": self.cast.analyst}
            return Outage.objects.create(**{k: v for k, v in data.items() if k in fields})
        return self._once("outage", make)

    def invitation_client(self):
        from quota_portal.core import accounts_services
        from quota_portal.core.accounts_views import SESSION_INVITATION_TOKEN

        inv = accounts_services.invitation_create(actor=self.cast.employer, organization=self.cast.org,
                                                  email="new.person@example.kz", role="employer_viewer")
        client = self.cast.client(None)
        session = client.session
        session[SESSION_INVITATION_TOKEN] = inv.link_token
        session.save()
        return client

    def confirm_client(self, *, choose_password: bool):
        from quota_portal.core import accounts_services
        from quota_portal.core.accounts_views import SESSION_CONFIRM_TOKEN

        user = accounts_services.user_signup(email=f"signup.{int(choose_password)}@example.kz", full_name="Имя",
                                             password="a-Long-passw0rd!x")
        client = self.cast.client(None)
        session = client.session
        session[SESSION_CONFIRM_TOKEN] = accounts_services.confirmation_token(user, choose_password=choose_password)
        session.save()
        return client


@dataclass
class Target:
    """Who posts the form where: `who` names a cast member (None: anonymous), `path` builds the URL
    from the world; `prefix` is the view's form prefix; `extra` adds fields the form makes in
    __init__ or the view reads beside it; `client` builds a client with a prepared session."""
    who: str | None
    path: Callable[[World], str]
    prefix: str = ""
    extra: tuple[str, ...] = ()
    client: Callable[[World], object] | None = None
    formset: str = ""  # the formset's management prefix, filled with one form
    # A page opened first: some pages make their region's Commission or submission on the first
    # visit (a get-or-create, not the post's doing).
    warm: Callable[[World], str] | None = None
    # The answer to an invalid post when the view does not re-show the form (hidden-field forms).
    refusal: int | None = None
    # Settings for the run: the second factor's lock after 5 wrong codes is itself a recorded event
    # (tests/core/test_two_factor.py); here every hostile code must be refused without a trace.
    overrides: dict | None = None


def y(w):
    return w.cast.campaign.year


def submission_page(w):
    return f"/allocation/submissions/{y(w)}/"


TARGETS: dict[str, Target] = {
    # applications (Annex 1)
    "applications.forms.StartForm": Target("employer", lambda w: "/applications/new/"),
    "applications.forms.ApplicationForm": Target(
        "employer", lambda w: f"/applications/{w.draft().pk}/edit/", extra=("revision",)),
    "applications.forms.LineForm": Target(
        "employer", lambda w: f"/applications/{w.draft().pk}/edit/", prefix="lines-0", formset="lines"),
    "applications.forms.ProjectForm": Target(
        "employer", lambda w: f"/applications/{w.draft().pk}/edit/", prefix="projects-0", formset="projects"),
    "applications.forms.WithdrawForm": Target("employer", lambda w: f"/applications/{w.submitted().pk}/withdraw/"),
    "applications.forms.SubmitForm": Target("employer", lambda w: f"/applications/{w.draft().pk}/submit/"),
    "applications.forms.AttachmentForm": Target("employer", lambda w: f"/applications/{w.draft().pk}/attachments/"),
    "applications.forms.LinesUploadForm": Target("employer", lambda w: f"/applications/{w.draft().pk}/lines/upload/"),
    "applications.forms.CopyForm": Target("employer", lambda w: f"/applications/{w.copyable().pk}/copy/",
                                          extra=("campaign",)),
    # commissions (Rules p.7-11)
    "commissions.forms.FigureForm": Target("akimat_officer", lambda w: "/commissions/labour-market/new/"),
    "commissions.forms.FigureImportForm": Target("akimat_officer", lambda w: "/commissions/labour-market/import/"),
    "commissions.forms.ViolationForm": Target("akimat_officer", lambda w: "/commissions/violations/"),
    "commissions.forms.RemedyForm": Target("akimat_officer",
                                           lambda w: f"/commissions/violations/{w.violation().pk}/"),
    "commissions.forms.CommissionForm": Target("akimat_officer", lambda w: "/commissions/commission/",
                                                warm=lambda w: "/commissions/commission/"),
    "commissions.forms.MemberForm": Target("akimat_officer", lambda w: "/commissions/commission/members/new/",
                                             warm=lambda w: "/commissions/commission/"),
    "commissions.forms.SessionForm": Target("secretary", lambda w: "/commissions/sessions/",
                                              warm=lambda w: "/commissions/commission/"),
    "commissions.forms.LateReasonForm": Target("akimat_officer", lambda w: "/commissions/to-commission/"),
    "commissions.forms.ConflictForm": Target("member", lambda w: f"/commissions/items/{w.case().item.pk}/conflict/",
                                             extra=("member",)),
    "commissions.forms.SignForm": Target("member", lambda w: f"/commissions/sessions/{w.case().session.pk}/sign/",
                                         extra=("member",)),
    # allocation: central bodies' proposals (Rules p.13)
    "allocation.proposals_forms.ProposalForm": Target("central_officer", lambda w: "/allocation/proposals/new/",
                                                      extra=("campaign", "region")),
    "allocation.proposals_forms.LineForm": Target("central_officer", lambda w: "/allocation/proposals/new/",
                                                  prefix="lines-0", formset="lines"),
    "allocation.proposals_forms.SendForm": Target(
        "central_officer", lambda w: f"/allocation/proposals/{w.proposal_draft().pk}/send/"),
    "allocation.proposals_forms.DeleteForm": Target(
        "central_officer", lambda w: f"/allocation/proposals/{w.proposal_draft().pk}/delete/"),
    "allocation.proposals_forms.DeclineForm": Target(
        "akimat_officer", lambda w: f"/allocation/proposals/{w.proposal_sent().pk}/decline/"),
    "allocation.proposals_forms.AgreementForm": Target(
        "akimat_officer", lambda w: f"/allocation/proposals/{w.proposal_sent().pk}/agree/",
        extra=("count_1", "count_2")),
    # allocation: the Ministry's scenarios and labour force (Rules p.14-16)
    "allocation.scenario_forms.ScenarioForm": Target("analyst", lambda w: f"/ministry/quota/{y(w)}/scenarios/new/"),
    "allocation.scenario_forms.AdjustmentForm": Target(
        "analyst", lambda w: f"/ministry/quota/{y(w)}/scenarios/new/", prefix="adj-0", formset="adj"),
    "allocation.scenario_forms.ProposeForm": Target(
        "analyst", lambda w: f"/ministry/quota/{y(w)}/scenarios/{w.scenario().pk}/propose/"),
    "allocation.scenario_forms.RevisionForm": Target(
        "analyst", lambda w: f"/ministry/quota/{y(w)}/scenarios/{w.scenario().pk}/delete/"),
    "allocation.scenario_forms.LabourForceForm": Target("analyst", lambda w: f"/ministry/quota/{y(w)}/labour-force/"),
    "allocation.scenario_forms.LabourForceImportForm": Target(
        "analyst", lambda w: f"/ministry/quota/{y(w)}/labour-force/import/"),
    # allocation: approval and publication (Rules p.17-19)
    "allocation.publication_forms.ApproveForm": Target(
        "approver", lambda w: f"/ministry/quota/{y(w)}/distribution/{w.distribution().pk}/approve/"),
    "allocation.publication_forms.DeclineForm": Target(
        "approver", lambda w: f"/ministry/quota/{y(w)}/distribution/{w.distribution().pk}/decline/"),
    "allocation.publication_forms.RevisionForm": Target(
        "analyst", lambda w: f"/ministry/quota/{y(w)}/distribution/{w.distribution().pk}/withdraw/"),
    # allocation: redistribution and permits used (Rules p.20-21)
    "allocation.redistribution_forms.RedistributionForm": Target(
        "akimat_officer", lambda w: (w.published(), "/allocation/redistributions/new/")[1],
        extra=("campaign", "from_region", "to_region")),
    "allocation.redistribution_forms.RevisionForm": Target(
        "akimat_officer", lambda w: f"/allocation/redistributions/{w.redistribution().pk}/withdraw/"),
    "allocation.redistribution_forms.DeclineForm": Target(
        "analyst", lambda w: f"/allocation/redistributions/{w.redistribution().pk}/decline/"),
    "allocation.redistribution_forms.PermitForm": Target(
        "akimat_officer", lambda w: (w.published(), "/allocation/permits/")[1], extra=("campaign",)),
    "allocation.redistribution_forms.PermitImportForm": Target(
        "akimat_officer", lambda w: (w.published(), "/allocation/permits/import/")[1], extra=("campaign",)),
    # allocation: the akimat's annexes 2-4 (Rules p.12)
    # The base of the submission's forms (no view posts it alone): through the covering letter's view.
    "allocation.submission_forms.RevisionForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/covering/", warm=submission_page),
    "allocation.submission_forms.CoveringForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/covering/", warm=submission_page),
    "allocation.submission_forms.ExclusionForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/exclude/", warm=submission_page),
    "allocation.submission_forms.LabourImmigrantsForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/labour-immigrants/", warm=submission_page),
    "allocation.submission_forms.CountryForecastForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/countries/", warm=submission_page),
    "allocation.submission_forms.SendForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/send/", warm=submission_page),
    "allocation.submission_forms.FileRequestForm": Target(
        "akimat_officer", lambda w: f"/allocation/submissions/{y(w)}/v{w.submission_version().number}/files/",
        warm=submission_page, refusal=404),
    # core: accounts
    "quota_portal.core.accounts_forms.SignupForm": Target(None, lambda w: "/accounts/signup/"),
    "quota_portal.core.accounts_forms.InvitedSignupForm": Target(
        None, lambda w: "/accounts/invitation/", client=lambda w: w.invitation_client()),
    "quota_portal.core.accounts_forms.ConfirmAccountForm": Target(
        None, lambda w: "/accounts/confirm/", client=lambda w: w.confirm_client(choose_password=False)),
    "quota_portal.core.accounts_forms.ChoosePasswordForm": Target(
        None, lambda w: "/accounts/confirm/", client=lambda w: w.confirm_client(choose_password=True)),
    "quota_portal.core.accounts_forms.OrganizationForm": Target("outsider",
                                                                lambda w: "/accounts/organization/new/"),
    "quota_portal.core.accounts_forms.InviteForm": Target("employer", lambda w: "/accounts/members/"),
    "quota_portal.core.accounts_forms.RoleForm": Target(
        "employer", lambda w: f"/accounts/members/{w.cast.employer_viewer.memberships.get().pk}/role/"),
    # core: login, the Ministry's settings, operations
    "quota_portal.core.forms.EmailAuthenticationForm": Target(None, lambda w: "/accounts/login/"),
    "quota_portal.core.forms.LocalizedPasswordResetForm": Target(None, lambda w: "/accounts/password-reset/"),
    "quota_portal.core.forms.CampaignForm": Target("analyst",
                                                   lambda w: f"/ministry/campaigns/{w.cast.next_campaign.year}/"),
    "quota_portal.core.forms.CalendarExceptionForm": Target("analyst", lambda w: "/ministry/calendar/"),
    "quota_portal.core.forms.CountryTreatyForm": Target("analyst", lambda w: "/ministry/countries/UZ/"),
    "quota_portal.core.forms.CampaignOpenForm": Target("analyst", lambda w: "/ministry/campaigns/open/"),
    "quota_portal.core.forms.OutageForm": Target("analyst", lambda w: "/ministry/operations/outages/"),
    "quota_portal.core.forms.ExtensionForm": Target(
        "analyst", lambda w: f"/ministry/operations/outages/{w.outage().pk}/extend/", extra=("choice", "days")),
    "quota_portal.core.forms.PortalPasswordChangeForm": Target("employer", lambda w: "/accounts/password-change/"),
    # the second factor (the set-up's confirming code and the login's code are one form)
    "quota_portal.core.two_factor_views.CodeForm": Target(
        "employer", lambda w: "/accounts/two-factor/setup/", overrides={"QP_2FA_FAILURE_LIMIT": 10**6}),
}

# Forms read from the query string (searches): driven by GET, which must never change a row.
GET_TARGETS: dict[str, Target] = {
    "quota_portal.core.two_factor_views.ResetSearchForm": Target("analyst", lambda w: "/accounts/two-factor/reset/"),
}


def project_forms() -> dict[str, type]:
    """Every forms.Form / ModelForm subclass defined in the project's application modules."""
    found = {}
    for package in PACKAGES:
        pkg = importlib.import_module(package)
        for info in pkgutil.walk_packages(pkg.__path__, package + "."):
            if any(part in info.name for part in (".migrations", ".management", ".tests")):
                continue
            module = importlib.import_module(info.name)
            for _name, obj in inspect.getmembers(module, inspect.isclass):
                if obj.__module__ == module.__name__ and issubclass(obj, forms.BaseForm) \
                        and not issubclass(obj, forms.BaseFormSet):
                    found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return found


FORMS = project_forms()


def test_every_form_of_the_project_has_a_target():
    assert len(FORMS) >= 60
    missing = sorted(set(FORMS) - set(TARGETS) - set(GET_TARGETS))
    assert not missing, f"forms without a hostile-input target (add them to TARGETS): {missing}"
    assert not (set(TARGETS) | set(GET_TARGETS)) - set(FORMS), "TARGETS names a form that is gone"


# --- what "persisted nothing" means -----------------------------------------------------------------

def project_models():
    labels = {"applications", "commissions", "allocation", "core"}
    return [m for m in apps.get_models() if m._meta.app_label in labels and not m._meta.proxy]


def snapshot() -> dict[str, int]:
    """The row count of every model of the project (audit events included), in one query."""
    from django.db import connection

    models = project_models()
    sql = "SELECT " + ", ".join(f"(SELECT count(*) FROM {connection.ops.quote_name(m._meta.db_table)})"
                                for m in models)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return {m._meta.label: n for m, n in zip(models, row, strict=True)}


CYRILLIC = re.compile("[а-яёәғқңөұүһі]", re.IGNORECASE)


def field_names(form_class, target: Target) -> list[str]:
    names = list(form_class.base_fields) + list(target.extra)
    prefix = f"{target.prefix}-" if target.prefix else ""
    return [prefix + n for n in names]


def bound_forms(response, form_class):
    """The bound, invalid instances of form_class the view rendered."""
    out = []
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            for item in (value.values() if isinstance(value, dict) else []):
                candidates = item if isinstance(item, list | tuple) else [item]
                if isinstance(item, forms.BaseFormSet):
                    candidates = list(item.forms)
                for f in candidates:
                    if isinstance(f, form_class) and f.is_bound and f.errors and f not in out:
                        out.append(f)
    return out


# Totals the module reports at the end (forms fuzzed, examples run, answers seen).
RUN = {"forms": set(), "examples": 0, "statuses": {}}


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    if RUN["examples"]:
        sys.stdout.write(f"\nhostile forms: {len(RUN['forms'])} forms fuzzed, {RUN['examples']} examples, "
                         f"statuses {dict(sorted(RUN['statuses'].items()))}\n")


@pytest.fixture
def _language_restored():
    from django.utils import translation

    with translation.override(translation.get_language()):
        yield


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_a_hostile_post_to_the_form_is_refused_without_a_trace(name, cast, occupations, _language_restored):
    from quota_portal.core.models import Country

    Country.objects.get_or_create(alpha2="UZ", defaults={"name_ru": "Узбекистан", "name_kk": "Өзбекстан",
                                                         "name_en": "Uzbekistan"})
    form_class, target = FORMS[name], TARGETS[name]
    world = World(cast, occupations)
    path = target.path(world)
    client = target.client(world) if target.client else cast.client(getattr(cast, target.who) if target.who
                                                                     else None)
    client.cookies["qp_language"] = "ru"
    names = field_names(form_class, target)
    client.get(target.warm(world) if target.warm else path)
    reached = []

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values=st.fixed_dictionaries({n: hostile_value() for n in names}))
    def post(values):
        data = dict(values)
        if target.formset:
            data |= {f"{target.formset}-TOTAL_FORMS": "1", f"{target.formset}-INITIAL_FORMS": "0"}
        before = snapshot()
        response = client.post(path, data)
        status = response.status_code
        RUN["examples"] += 1
        RUN["statuses"][status] = RUN["statuses"].get(status, 0) + 1
        assert status < 500, (name, path, status)
        if status in (200, 400, 409, 422):
            assert snapshot() == before, (name, "a refused post changed rows", data)
        shown = bound_forms(response, form_class)
        if status == 302 or shown or status == target.refusal:
            reached.append(status)
        for form in shown:
            body = response.content.decode()
            for field, errors in form.errors.items():
                for error in errors:
                    assert CYRILLIC.search(error), (name, field, error, "untranslated error")
                if field != "__all__" and field in form.fields and not form.fields[field].widget.is_hidden:
                    label = str(form.fields[field].label or field)
                    assert label in body or form[field].id_for_label in body, (name, field, "not named")

    with override_settings(**(target.overrides or {})):
        post()
    RUN["forms"].add(name)
    assert reached, f"{name}: {path} never reached the form (no redirect, no form re-shown)"


@pytest.mark.parametrize("name", sorted(GET_TARGETS))
def test_a_hostile_search_changes_nothing_and_names_the_field(name, cast, occupations, _language_restored):
    form_class, target = FORMS[name], GET_TARGETS[name]
    path = target.path(World(cast, occupations))
    client = cast.client(getattr(cast, target.who))
    client.cookies["qp_language"] = "ru"
    names = field_names(form_class, target)
    reached = []

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(values=st.fixed_dictionaries({n: hostile_value() for n in names}))
    def search(values):
        before = snapshot()
        response = client.get(path, values)
        RUN["examples"] += 1
        assert response.status_code < 500, (name, path, response.status_code)
        assert snapshot() == before, (name, "a search changed rows", values)
        for form in bound_forms(response, form_class):
            reached.append(form)
            for field, errors in form.errors.items():
                for error in errors:
                    assert CYRILLIC.search(error), (name, field, error, "untranslated error")

    search()
    RUN["forms"].add(name)
    assert reached, f"{name}: {path} never showed the form bound to the query"


def test_a_refused_exclusion_of_an_application_not_on_the_page_is_shown_in_the_error_summary(cast, occupations):
    """Found by the fuzz: the submission page re-showed a refused form only in its application's
    or country's row, so a crafted id (no such row) got a 400 page that said nothing."""
    client = cast.client(cast.akimat_officer)
    client.cookies["qp_language"] = "ru"
    client.get(f"/allocation/submissions/{cast.campaign.year}/")
    before = snapshot()
    for path, data in (("exclude", {"application": "999999", "reason": ""}),
                       ("countries", {"country": "٣", "revision": "x"})):
        response = client.post(f"/allocation/submissions/{cast.campaign.year}/{path}/", data)
        assert response.status_code == 400
        summary = response.content.decode().split('data-testid="error-summary"', 1)
        assert len(summary) == 2 and CYRILLIC.search(summary[1].split("</div>", 1)[0]), path
    assert snapshot() == before
