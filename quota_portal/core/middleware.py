"""Per-request language and tenant resolution; refusing input no view can take."""
from __future__ import annotations

from django.conf import settings
from django.http import HttpResponseBadRequest
from django.utils import translation

from .scoping import PUBLIC, SYSTEM, activate

SESSION_MEMBERSHIP_KEY = "qp_membership_id"


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
            get_resolver().url_patterns

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


def _nul_in(request) -> bool:
    if "\x00" in request.path_info:
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
    """400 with the portal's error page: `400.html` when the project has one, else a short page."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template
    from django.utils.translation import gettext as _

    message = _("The request contains a character that is not allowed (a NUL byte). "
                "Remove it and try again.")
    try:
        template = get_template("400.html")
    except TemplateDoesNotExist:
        template = get_template("core/bad_request.html")
    return HttpResponseBadRequest(template.render({"message": message}, request))


class RejectNulMiddleware:
    """Answer 400 when the path, a query or form key or value, or an uploaded file's name carries
    U+0000: PostgreSQL refuses NUL in text, so it must never reach a view. (File contents are not
    inspected; each upload check reads its own.) Runs after TenantMiddleware, so that the error
    page shows the header of the person acting."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _nul_in(request):
            return bad_request(request)
        return self.get_response(request)
