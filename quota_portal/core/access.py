"""Access helpers and permission decorators.

"Does not exist" and "not yours" give the same 404: every tenant-owned object is fetched through
the acting tenant's scope (see scoping.py). Views declare who may enter with one decorator.
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from .models import AKIMAT_ROLES, EMPLOYER_ROLES, MINISTRY_ROLES, Role

M = TypeVar("M", bound=models.Model)


def get_scoped_or_404(model_or_qs: type[M] | models.QuerySet, **lookup) -> M:
    """Fetch one object through the active tenant scope; 404 if missing or not the tenant's."""
    qs = model_or_qs._default_manager.all() if isinstance(model_or_qs, type) else model_or_qs
    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such object.") from None


def role_required(roles: Iterable[str]) -> Callable:
    """Allow the view only to a logged-in user whose acting membership has one of `roles`.

    Anyone else gets 404 (a logged-in user) or the login page (anonymous), so that the existence
    of a page belonging to another role is not revealed.
    """
    allowed = frozenset(roles)

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = request.membership
            if membership is None or membership.role not in allowed:
                raise Http404("Not available for your role.")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed
        return wrapper

    return decorator


employer_required = role_required(EMPLOYER_ROLES)
employer_editor_required = role_required({Role.EMPLOYER_OWNER, Role.EMPLOYER_EDITOR})
employer_owner_required = role_required({Role.EMPLOYER_OWNER})
akimat_required = role_required(AKIMAT_ROLES)
akimat_officer_required = role_required({Role.AKIMAT_OFFICER})
secretary_required = role_required({Role.COMMISSION_SECRETARY})
commission_required = role_required({Role.COMMISSION_SECRETARY, Role.COMMISSION_MEMBER, Role.AKIMAT_OFFICER})
central_required = role_required({Role.CENTRAL_OFFICER})
ministry_required = role_required(MINISTRY_ROLES)
ministry_approver_required = role_required({Role.MINISTRY_APPROVER})
authority_required = role_required(AKIMAT_ROLES | MINISTRY_ROLES)


def require(condition: bool, message: str = "") -> None:
    """Raise PermissionDenied when a business permission does not hold."""
    if not condition:
        raise PermissionDenied(message)
