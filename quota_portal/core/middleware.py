"""Per-request work: language and tenant, the audit context, caching headers, error pages,
refusing input no view can take."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.http import Http404, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation
from django.views.defaults import page_not_found
from pghistory.middleware import HistoryMiddleware as PghistoryMiddleware

from .redact import redact
from .scoping import PUBLIC, SYSTEM, activate

SESSION_MEMBERSHIP_KEY = "qp_membership_id"


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The interface is Russian (LANGUAGE_CODE) unless the user picked a language (the cookie, or the
    account's setting applied by TenantMiddleware): the browser's Accept-Language is not a choice the
    user made here, and a Kazakh or English browser must not switch the portal on its own."""

    def process_request(self, request):
        accept = request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        try:
            super().process_request(request)
        finally:
            if accept is not None:
                request.META["HTTP_ACCEPT_LANGUAGE"] = accept


class TenantMiddleware:
    """Resolve the acting membership once per request and activate its tenant scope.

    `request.membership` is the acting Membership (or None); `request.tenant` the scope. Staff in
    the admin act in the system scope; anonymous visitors in the public scope.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        # Import every URLconf, view and form now, outside any tenant: a queryset built at import
        # time (a form field's) must not be filtered once and for all by the first request's tenant.
        from django.urls import get_resolver

        with activate(None):
            get_resolver().url_patterns  # noqa: B018 - reading it imports every URLconf

    def __call__(self, request):
        from .models import Membership

        request.membership = None
        request.memberships = []
        user = request.user
        tenant = PUBLIC
        if user.is_authenticated:
            if user.language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            memberships = list(
                Membership.objects.filter(user=user).select_related(
                    "organization", "authority", "authority__region"
                )
            )
            request.memberships = memberships
            chosen = request.session.get(SESSION_MEMBERSHIP_KEY)
            membership = next((m for m in memberships if m.pk == chosen), None)
            if membership is None and memberships:
                membership = memberships[0]
            request.membership = membership
            if membership is not None:
                tenant = membership.tenant()
            if request.path.startswith("/admin/") and user.is_staff:
                tenant = SYSTEM
        request.tenant = tenant
        with activate(tenant):
            response = self.get_response(request)
        return response


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every page shown to a logged-in user and on every download.

    A shared or back-button cache must never keep a private page or file. A response that already
    says how it may be cached (a future public page under /public/) keeps its own header.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.has_header("Cache-Control"):
            return response
        user = getattr(request, "user", None)
        download = response.has_header("Content-Disposition") or getattr(response, "streaming", False)
        if download or (user is not None and user.is_authenticated):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


class ErrorPagesMiddleware:
    """The portal's own 404 page for a view's Http404, also when DEBUG is on.

    With DEBUG Django answers Http404 with its technical page (every URL pattern, the reason the
    view gave); a user, and `make dev` shown to one, sees the portal's page, which never says
    whether the object exists. A URL that matches no pattern still gets the technical page under
    DEBUG (a developer's typo), and without DEBUG the same portal page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return page_not_found(request, exception)
        return None


class HistoryMiddleware(PghistoryMiddleware):
    """pghistory's middleware: who, which URL and method, and a request id on every audit record of
    the request, with the token of a confirmation, invitation or reset link removed from the URL.

    The request id is the proxy's X-Request-ID when it sends one (so an audit record leads to the
    access log line), else a fresh one: every record written by one request shares it."""

    def get_context(self, request):
        context = super().get_context(request)
        context["url"] = redact(context.get("url", ""))
        context["method"] = request.method
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        context["request_id"] = given[:64] if given.isascii() and given.isprintable() and given else uuid.uuid4().hex
        return context


def _nul_in(request) -> bool:
    if "\x00" in request.path_info:
        return True
    # Headers and cookies too: django-axes writes the User-Agent and Accept of every login into
    # its tables, and a cookie's octal escape ("\000") arrives as a NUL.
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str) and "\x00" in value:
            return True
    if any("\x00" in key or "\x00" in value for key, value in request.COOKIES.items()):
        return True
    data = [request.GET]
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        data += [request.POST, request.FILES]
    for query in data:
        for key, values in query.lists():
            if "\x00" in key:
                return True
            for value in values:
                name = value if isinstance(value, str) else getattr(value, "name", "") or ""
                if "\x00" in name:
                    return True
    return False


def bad_request(request):
    """400 with the portal's error page, saying which character was refused."""
    from django.template.loader import get_template
    from django.utils.translation import gettext as _

    message = _("The request contains a character that is not allowed (a NUL byte). "
                "Remove it and try again.")
    return HttpResponseBadRequest(get_template("400.html").render({"message": message}, request))


class RejectNulMiddleware:
    """Answer 400 when the path, a header, a cookie, a query or form key or value, or an uploaded
    file's name carries U+0000: PostgreSQL refuses NUL in text, so it must never reach a view.
    (File contents are not inspected; each upload check reads its own.) Runs after
    TenantMiddleware, so that the error page shows the header of the person acting; the session
    engine (core/sessions.py) has already refused a session key with a NUL."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _nul_in(request):
            return bad_request(request)
        return self.get_response(request)
