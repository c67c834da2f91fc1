"""Portal-wide pages: landing, dashboard, language and membership switch, inbox, health."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .middleware import SESSION_MEMBERSHIP_KEY
from .models import Campaign, Heartbeat, Outbox


def home(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    campaigns = Campaign.objects.all()[:3]
    return render(request, "core/home.html", {"campaigns": campaigns})


@login_required
def dashboard(request):
    """One dashboard, its panels chosen by the acting role; the timeline with the next deadline."""
    campaigns = list(Campaign.objects.all()[:2])
    context = {"campaigns": campaigns, "now": timezone.now(), "panels": []}
    membership = request.membership
    # Each app contributes its own panel: <app>.selectors.dashboard_panel(request) -> (template, ctx)
    from importlib import import_module

    for app in DASHBOARD_APPS.get(_role_group(membership), ()):
        panel = import_module(f"{app}.selectors").dashboard_panel(request)
        if panel:
            context["panels"].append(panel)
    return render(request, "core/dashboard.html", context)


DASHBOARD_APPS = {
    "employer": ("applications",),
    "akimat": ("commissions", "allocation"),
    "central": ("allocation",),
    "ministry": ("allocation", "commissions"),
}


def _role_group(membership) -> str:
    if membership is None:
        return ""
    if membership.is_employer:
        return "employer"
    if membership.is_akimat:
        return "akimat"
    if membership.is_central:
        return "central"
    return "ministry"


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True


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
    try:
        pk = int(request.POST.get("membership", ""))
    except ValueError:
        pk = None
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
    status = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        status["database"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["database"] = f"error: {exc}"
    try:
        import redis

        redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        status["redis"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["redis"] = f"error: {exc}"
    try:
        beat = Heartbeat.objects.filter(name="beat").first()
        if beat is None:
            status["beat"] = "error: no heartbeat yet"
        elif (timezone.now() - beat.at).total_seconds() > settings.BEAT_HEARTBEAT_MAX_AGE:
            status["beat"] = f"error: last heartbeat at {beat.at.isoformat()}"
        else:
            status["beat"] = "ok"
    except Exception as exc:  # noqa: BLE001
        status["beat"] = f"error: {exc}"
    ok = all(v == "ok" for v in status.values())
    return JsonResponse(status, status=200 if ok else 503)
