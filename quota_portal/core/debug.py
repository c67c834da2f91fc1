"""What Django's technical error page (DEBUG only, `make dev`) may show.

Django hides settings whose names look like API|TOKEN|KEY|SECRET|PASS|SIGNATURE; the portal's
credentials also travel in URLs (DATABASE_URL, REDIS_URL, CELERY_BROKER_URL, the cache LOCATION),
and runserver copies the whole environment into request.META. Those are hidden too, and so is any
value that carries `user:password@` in a URL or `password=` in a connection string, whatever its
name, in the settings, request.META and the variables of every frame of the traceback.
"""
from __future__ import annotations

import re

from django.views.debug import SafeExceptionReporterFilter

_CREDENTIALS_IN_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s@]*:[^/\s@]*@", re.IGNORECASE)
# libpq's connection string ("dbname=... password=..."), as psycopg's frames hold it.
_PASSWORD_IN_CONNINFO = re.compile(r"\bpassword\s*=", re.IGNORECASE)


class PortalExceptionReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(
        "API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|URL|URI|DSN|BROKER|DATABASE|LOCATION",
        flags=re.IGNORECASE,
    )

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        if isinstance(value, str) and (_CREDENTIALS_IN_URL.search(value) or _PASSWORD_IN_CONNINFO.search(value)):
            return self.cleansed_substitute
        return value

    def get_traceback_frame_variables(self, request, tb_frame):
        """The frames' variables cleansed like the settings: with the database unreachable, the
        connection's frames (Django's conn_params, psycopg's kwargs, conninfo, attempts) hold its
        password, which Django shows unless the function is marked @sensitive_variables."""
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, self.cleanse_setting(name, value)) for name, value in variables]
