"""Absolute links for mails: always the portal's configured address (settings.SITE_URL).

A mail is read outside the request that caused it, so its links never come from the request's
Host header (a forged `Host: 127.0.0.1:6666` would otherwise put that address into the link).
"""
from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """`path` (from reverse(), starting with "/") on the portal's public address."""
    if not path.startswith("/"):
        raise ValueError(f"absolute_url wants a path starting with '/', not {path!r}")
    return settings.SITE_URL.rstrip("/") + path
