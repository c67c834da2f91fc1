"""System checks of the portal's own configuration (`manage.py check`, run by migrate/runserver)."""
from __future__ import annotations

from django.conf import settings
from django.core import checks

from quota_portal.core.signing import SigningNotConfigured, load_signing_material, signing_problems


@checks.register("signing")
def check_signing_key(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """qp.E001 where signing is required (production: a published decision must be signed),
    qp.W001 elsewhere, when PDF documents could not be signed with the configured key."""
    try:
        problems = signing_problems(load_signing_material())
    except SigningNotConfigured as exc:
        problems = [str(exc)]
    if not problems:
        return []
    hint = ("Set QP_SIGNING_KEY and QP_SIGNING_CERT (PEM files; QP_SIGNING_KEY_PASSWORD if the key "
            "is encrypted, QP_SIGNING_CA_CERTS for the issuing CA); see README, Configuration. "
            "For development: python manage.py make_signing_cert.")
    if settings.QP_SIGNING_REQUIRED:
        return [checks.Error(problem, hint=hint, id="qp.E001") for problem in problems]
    return [checks.Warning(problem, hint=hint, id="qp.W001") for problem in problems]
