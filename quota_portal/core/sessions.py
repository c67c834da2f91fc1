"""The session engine: Django's database sessions, reading only a well-formed session key.

Django's keys are 32 characters of a-z and 0-9. The cookie parser unquotes octal escapes, so a
cookie `sessionid="abc\\000..."` (plain ASCII on the wire) reaches the engine with a NUL in it,
which PostgreSQL refuses: the lookup answered 500 before any middleware could look at the request.
Any other key is treated as no session, as a missing or expired one is.
"""
from __future__ import annotations

import re

from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore

_SESSION_KEY = re.compile(r"[a-z0-9]{8,40}", re.ASCII)


class SessionStore(DatabaseSessionStore):
    def _validate_session_key(self, key):
        return bool(key) and isinstance(key, str) and _SESSION_KEY.fullmatch(key) is not None
