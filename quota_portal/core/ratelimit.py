"""Request limits for the pages that send mail to an address someone types (sign-up, password reset).

Counted in Django's cache (Redis in production, shared by every worker) in fixed windows, per
email address and per client address, so that nobody can flood one mailbox or make the portal
send mail in bulk. The limits are settings: RATE_LIMIT_PER_EMAIL and RATE_LIMIT_PER_CLIENT, each
(requests, seconds); the client's address is the connection's, or behind TRUSTED_PROXIES the one
they forwarded.
"""
from __future__ import annotations

import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import ngettext


class RateLimited(Exception):
    """Too many requests; `retry_after` seconds until the window ends, `message` translated."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, math.ceil(retry_after / 60))
        self.message = ngettext(
            "Too many requests from you or for this email address. Try again in %(minutes)s minute.",
            "Too many requests from you or for this email address. Try again in %(minutes)s minutes.",
            minutes) % {"minutes": minutes}
        super().__init__(self.message)


def _ip(value: str):
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's IP address: the connection's (REMOTE_ADDR), never a header the client may set.

    Behind a reverse proxy every connection comes from the proxy, and all clients would share one
    limit; TRUSTED_PROXIES names the proxies' addresses. Only when the connection comes from one of
    them is X-Forwarded-For read, from the right (the hop the trusted proxy added) leftwards,
    skipping trusted proxies: the first other address is the client. Anything further left was
    written by the client and is never read. django-axes takes the address from here too
    (AXES_CLIENT_IP_CALLABLE); None when the request has none (a test client's forced login).
    """
    remote = _ip(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return None
    trusted = settings.TRUSTED_PROXIES
    if not any(remote in network for network in trusted):
        return str(remote)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _ip(hop)
        if address is None:
            break  # a malformed hop: nothing to its left can be trusted either
        if not any(address in network for network in trusted):
            return str(address)
    return str(remote)


def client_address(request) -> str:
    return client_ip(request) or "unknown"


def _hit(kind: str, value: str, limit: int, window: int, now: float) -> int:
    """Count one request; return 0 if within the limit, else the seconds until the window ends."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]  # no address in the cache keys
    key = f"ratelimit:{kind}:{digest}:{int(now // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        return int(window - now % window) + 1
    return 0


def check(scope: str, *, request, email: str) -> None:
    """Count one `scope` request (e.g. "signup") for `email` and the client; raise RateLimited."""
    now = time.time()
    email_limit, email_window = settings.RATE_LIMIT_PER_EMAIL
    client_limit, client_window = settings.RATE_LIMIT_PER_CLIENT
    waits = [
        _hit(f"{scope}:email", email.strip().lower(), email_limit, email_window, now),
        _hit(f"{scope}:client", client_address(request), client_limit, client_window, now),
    ]
    if any(waits):
        raise RateLimited(max(waits))
