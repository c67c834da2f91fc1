"""Per-request language and tenant resolution."""
from __future__ import annotations

from django.conf import settings
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
