"""What Django's technical error page (DEBUG only, `make dev`) may show.

Django hides settings whose names look like API|TOKEN|KEY|SECRET|PASS|SIGNATURE; the portal's
credentials also travel in URLs (DATABASE_URL, REDIS_URL, CELERY_BROKER_URL, the cache LOCATION),
and runserver copies the whole environment into request.META. Those are hidden too, and so is any
value that carries `user:password@` in a URL, whatever its name.
"""
from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter

_CREDENTIALS_IN_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s@]*:[^/\s@]*@", re.IGNORECASE)


class PortalExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|URI|DSN|BROKER|DATABASE|LOCATION",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        if isinstance(value, str) and _CREDENTIALS_IN_URL.search(value):
            return self.cleansed_substitute
        return value
