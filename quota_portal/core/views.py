"""Portal-wide pages: landing, dashboard, language and membership switch, inbox, health."""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import ratelimit, registry, services
from .access import get_scoped_or_404, ministry_required
from .audit import history_for, history_for_model
from .campaign_switch import chosen_campaign
from .errors import DomainError
from .forms import (
    CalendarExceptionForm,
    CampaignForm,
    CampaignOpenForm,
    CountryTreatyForm,
    EmailAuthenticationForm,
    LocalizedPasswordResetForm,
    PortalPasswordChangeForm,
    add_domain_error,
)
from .hashers import login_admission
from .health import health_status
from .middleware import SESSION_MEMBERSHIP_KEY
from .models import AKIMAT_ROLES, CalendarException, Campaign, Country, Outbox, Role
from .overdue import overdue_by_region
from .parsing import parse_id
from .selectors import current_campaigns

logger = logging.getLogger(__name__)


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    campaigns = current_campaigns()
    # The blocks other apps add for everyone (the published quotas).
    return render(request, "core/home.html", {"campaigns": campaigns,
                                              "blocks": registry.page_blocks("home", request, None)})


@login_required
def dashboard(request):
    """One dashboard: the panels the apps registered for the acting role; the timeline with the
    next deadline."""
    campaigns = current_campaigns()
    membership = request.membership
    deadline_campaigns = campaigns
    if membership is not None and membership.role in AKIMAT_ROLES:
        # The akimat's counts are for the quota year of its year switch: so is its countdown.
        chosen = chosen_campaign(request)[0]
        deadline_campaigns = [chosen] if chosen is not None else []
    return render(request, "core/dashboard.html", {
        "campaigns": campaigns, "now": timezone.now(), "panels": registry.dashboard_panels(request),
        "next_deadline": next_deadline(membership, deadline_campaigns),
    })


# The deadlines that concern each role, for the dashboard's countdown.
ROLE_DEADLINES = {
    Role.EMPLOYER_OWNER: ("filing",), Role.EMPLOYER_EDITOR: ("filing",), Role.EMPLOYER_VIEWER: ("filing",),
    Role.AKIMAT_OFFICER: ("generalization", "labour_immigrants", "commission", "submission"),
    Role.COMMISSION_SECRETARY: ("commission",), Role.COMMISSION_MEMBER: ("commission",),
    Role.CENTRAL_OFFICER: ("proposals",),
    Role.MINISTRY_ANALYST: ("distribution",), Role.MINISTRY_APPROVER: ("distribution",),
}


def next_deadline(membership, campaigns) -> dict | None:
    """The earliest still-open deadline that the acting role has to meet, across the campaigns."""
    if membership is None:
        return None
    names = ROLE_DEADLINES.get(membership.role, ())
    upcoming = [
        {**row, "campaign": campaign}
        for campaign in campaigns for row in campaign.deadlines()
        if row["name"] in names and not row["passed"]
    ]
    return min(upcoming, key=lambda row: row["closes_at"], default=None)


class LoginView(auth_views.LoginView):
    """Login by email; the interface then switches to the user's own language."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        # A wave of logins must not take every thread from the pages (core/hashers.py, issue 14).
        with login_admission() as admitted:
            if admitted:
                return super().post(request, *args, **kwargs)
        messages.error(request, _("Many people are logging in right now. Please try again in a few seconds."))
        form = self.form_class(request=request, initial={"username": request.POST.get("username", "")[:254]})
        response = self.render_to_response(self.get_context_data(form=form), status=503)
        response["Retry-After"] = "5"
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        lang = form.get_user().language or settings.LANGUAGE_CODE
        translation.activate(lang)
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite="Lax", secure=self.request.is_secure())
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    """The logged-in user's own password, under the password policy (AUTH_PASSWORD_VALIDATORS)."""

    success_url = "/dashboard/"
    form_class = PortalPasswordChangeForm

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is changed."))
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Same answer whether or not the email has an account; limited per address and per client."""

    form_class = LocalizedPasswordResetForm

    def form_valid(self, form):
        try:
            ratelimit.check("password_reset", request=self.request, email=form.cleaned_data["email"])
        except ratelimit.RateLimited as exc:
            form.add_error(None, exc.message)
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(exc.retry_after)
            return response
        return super().form_valid(form)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a form sent without a valid token (an old page, or another site's form)."""
    return render(request, "403_csrf.html", status=403)


@require_POST
def set_language(request):
    """Store the chosen language on the user and in the cookie; no language prefix in URLs."""
    lang = request.POST.get("language", "")
    if lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    nxt = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        nxt = "/"
    if request.user.is_authenticated and request.user.language != lang:
        request.user.language = lang
        request.user.save(update_fields=["language"])
    translation.activate(lang)
    response = HttpResponseRedirect(nxt)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=settings.LANGUAGE_COOKIE_AGE,
                        samesite="Lax", secure=request.is_secure())
    return response


@login_required
@require_POST
def switch_membership(request):
    """Choose whom the user acts for (only among their own memberships)."""
    pk = parse_id(request.POST.get("membership"))
    if any(m.pk == pk for m in request.memberships):
        request.session[SESSION_MEMBERSHIP_KEY] = pk
    return redirect("dashboard")


@login_required
def inbox(request):
    rows = Outbox.objects.filter(recipient=request.user, channel=Outbox.Channel.INBOX)[:200]
    return render(request, "core/inbox.html", {"rows": rows})


@login_required
def inbox_message(request, pk: int):
    row = get_object_or_404(Outbox, pk=pk, recipient=request.user, channel=Outbox.Channel.INBOX)
    if row.read_at is None:
        Outbox.objects.filter(pk=row.pk).update(read_at=timezone.now())
    if row.url:
        return redirect(row.url)
    return render(request, "core/inbox_message.html", {"row": row})


def healthz(request):
    """Liveness of the parts the portal needs: database, Redis, Celery beat. 503 if any fails."""
    status = health_status()
    ok = all(v == "ok" for v in status.values())
    return JsonResponse(status, status=200 if ok else 503)


# --- Ministry: campaigns, calendar, countries of origin ----------------------------------------

@ministry_required
def ministry_campaigns(request):
    campaigns = list(Campaign.objects.prefetch_related("extensions"))
    next_year = (campaigns[0].year + 1) if campaigns else timezone.localdate().year + 1
    return render(request, "core/ministry_campaigns.html", {
        "campaigns": campaigns, "next_year": next_year,
        "open_form": CampaignOpenForm(initial={"year": next_year}),
        "may_open": request.membership.role == Role.MINISTRY_ANALYST,
        "history": history_for_model("core.CampaignEvent"),
    })


@ministry_required
@require_POST
def ministry_campaign_open(request):
    """Open the quota campaign for year Y with the Rules' default dates; the analyst then edits them."""
    form = CampaignOpenForm(request.POST)
    if form.is_valid():
        try:
            campaign = services.campaign_open(actor=request.user, year=form.cleaned_data["year"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(campaign)s is open with the Rules' default dates: check them before "
                                        "filing opens.") % {"campaign": campaign})
            return redirect("ministry_campaign_edit", year=campaign.year)
    campaigns = list(Campaign.objects.prefetch_related("extensions"))
    return render(request, "core/ministry_campaigns.html", {
        "campaigns": campaigns, "open_form": form,
        "may_open": request.membership.role == Role.MINISTRY_ANALYST,
        "history": history_for_model("core.CampaignEvent"),
    }, status=400)


@ministry_required
def ministry_campaign_edit(request, year: int):
    campaign = get_scoped_or_404(Campaign, year=year)
    form = CampaignForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, values=form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The deadlines of %(campaign)s are saved.") % {"campaign": campaign})
            return redirect("ministry_campaign_edit", year=year)
    return render(request, "core/ministry_campaign_edit.html",
                  {"campaign": campaign, "form": form, "history": history_for(campaign)})


@ministry_required
def ministry_calendar(request):
    form = CalendarExceptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_exception_add(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("The calendar exception is added."))
            return redirect("ministry_calendar")
    return render(request, "core/ministry_calendar.html", {
        "form": form, "exceptions": CalendarException.objects.all(),
        "history": history_for_model("core.CalendarExceptionEvent"),
    })


@ministry_required
@require_POST
def ministry_calendar_remove(request, pk: int):
    exception = get_scoped_or_404(CalendarException, pk=pk)
    services.calendar_exception_remove(actor=request.user, exception=exception)
    messages.success(request, _("The calendar exception is removed."))
    return redirect("ministry_calendar")


@ministry_required
def ministry_countries(request):
    query = request.GET.get("q", "").strip()
    countries = Country.objects.all()
    if query:
        countries = countries.filter(Q(name_ru__icontains=query) | Q(name_kk__icontains=query)
                                     | Q(name_en__icontains=query) | Q(alpha2__iexact=query))
    if request.GET.get("treaty"):
        countries = countries.filter(has_ratified_treaty=True)
    return render(request, "core/ministry_countries.html", {"countries": countries, "query": query})


@ministry_required
def ministry_country_edit(request, alpha2: str):
    country = get_scoped_or_404(Country, alpha2=alpha2.upper())
    form = CountryTreatyForm(request.POST or None, instance=Country.objects.get(pk=country.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.country_set_treaty(actor=request.user, country=country, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("%(country)s is saved.") % {"country": country})
            return redirect("ministry_countries")
    return render(request, "core/ministry_country_edit.html",
                  {"country": country, "form": form, "history": history_for(country)})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; resolved per request, so that the
    hashed name of the manifest storage is only looked up once static files are collected."""
    from django.templatetags.static import static

    return HttpResponsePermanentRedirect(static("favicon.svg"))


@ministry_required
def ministry_overdue(request):
    """What is overdue at the cycle's deadlines, by region, with its age (core/overdue.py)."""
    return render(request, "core/ministry_overdue.html", {"groups": overdue_by_region()})


def overdue_panel(request):
    """The Ministry's dashboard: regions with something overdue, their count and oldest age."""
    groups = overdue_by_region()
    return "core/_overdue_panel.html", {"groups": groups, "total": sum(g["count"] for g in groups)}


@login_required
def reminders(request):
    """The user's reminder types, each received unless muted; legal notices listed as always sent."""
    from .reminders import muted_kinds, reminders_mute_set, types_for

    types = types_for(request.user)
    if request.method == "POST":
        receive = set(request.POST.getlist("receive"))
        try:
            reminders_mute_set(actor=request.user, muted={t.key for t in types} - receive)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your reminder settings are saved."))
            return redirect("reminders")
    muted = muted_kinds(request.user)
    rows = [{"key": t.key, "label": t.label, "schedule": t.schedule() if callable(t.schedule) else t.schedule,
             "on": t.key not in muted} for t in types]
    return render(request, "core/reminders.html", {"rows": rows})
