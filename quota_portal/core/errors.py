"""Domain errors raised by services, with translated messages a view can show as they are."""
from __future__ import annotations

from django.utils.formats import date_format
from django.utils.translation import gettext as _


class DomainError(Exception):
    """A refused action. `message` is already translated; `field` names the form field if any."""

    def __init__(self, message: str, *, field: str | None = None, code: str = "refused"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code


class DeadlinePassed(DomainError):
    """The action's deadline has closed on the server clock."""

    def __init__(self, campaign, name: str, point: str):
        from django.utils import timezone

        closes = timezone.localtime(campaign.closes_at(name))
        message = _(
            "The deadline has passed: %(what)s closed on %(when)s (Asia/Almaty time), "
            "Rules p.%(point)s."
        ) % {
            "what": _deadline_label(name),
            "when": date_format(closes, "DATETIME_FORMAT"),
            "point": point,
        }
        super().__init__(message, code="deadline_passed")
        self.deadline = name


class FieldErrors(DomainError):
    """Several fields refused at once, so that a form reports every error in one response (the
    GOV.UK error pattern): `errors` is [(field, message), ...] in the form's order."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors[0][1], field=errors[0][0])
        self.errors = errors


def raise_collected(errors: list[tuple[str, str]]) -> None:
    """Raise FieldErrors when `errors` is not empty."""
    if errors:
        raise FieldErrors(errors)


class ConcurrentUpdate(DomainError):
    """Someone else saved the same record first."""

    def __init__(self):
        super().__init__(
            _("Someone else has changed this record since you opened it. Reload the page and try again."),
            code="concurrent_update",
        )


def _deadline_label(name: str) -> str:
    from .models import DEADLINES

    for field, _point, _kind, label in DEADLINES:
        if field == name:
            return str(label).lower()
    return name


def ensure_open(campaign, name: str, point: str) -> None:
    """Refuse (raise DeadlinePassed) when deadline `name` of `campaign` has closed. Server clock."""
    if not campaign.is_open(name):
        raise DeadlinePassed(campaign, name, point)
