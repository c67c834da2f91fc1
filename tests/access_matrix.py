"""The access-matrix runner (issue 13): one implementation for every matrix of the suite.

A matrix is a table `url name -> Row`; a `Row` says, per method, the status each role gets; a role
not named gets the row's `other` (404: "not yours" and "does not exist" look the same) and
anonymous the login page. `run()` tries every (url, method, role) against one world, each URL in a
savepoint rolled back afterwards (each allowed request in one of its own, so that no role meets what
another role's request changed), the refused requests of a method first: they must leave the whole
database as it was (`fingerprint()`: every table's rows hashed, the audit and pghistory events
included) and no response may carry a secret planted for other readers.

Object URLs are tried twice, on tenant A's objects and on tenant B's: the B expectations are the A
ones with the roles of the two tenants swapped (`SWAP`), unless the row gives its own `b`.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import translation

LOGIN = 1302  # a 302 to /accounts/login/
ADMIN_LOGIN = 2302  # a 302 to /admin/login/
REFUSED = {400, 403, 404, 405, LOGIN, ADMIN_LOGIN}

# Tenant A (Astana, the first employer, the first central body) <-> tenant B (Atyrau, the second).
PAIRS = (("employer", "employer2"), ("employer_editor", "employer2_editor"), ("employer_viewer", "employer2_viewer"),
         ("akimat_officer", "akimat_officer_atyrau"), ("secretary", "secretary_atyrau"), ("chair", "chair_atyrau"),
         ("member", "member_atyrau"), ("central_officer", "central_officer2"))
SWAP = {**dict(PAIRS), **{b: a for a, b in PAIRS}}
ROLES = (*(r for pair in PAIRS for r in pair), "analyst", "approver", "outsider", "anonymous")
# Tables a refused request may still touch: the login session, the lockout log.
IGNORED_TABLES = ("django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog")


@dataclass(frozen=True)
class Row:
    """Expected statuses: `get`/`post` name roles; every other role gets `other`, anonymous LOGIN
    unless named. `b`: the statuses on tenant B's objects when they are not the swapped A ones."""

    get: dict = field(default_factory=dict)
    post: dict = field(default_factory=dict)
    other: int = 404
    b: Row | None = None
    roles: tuple[str, ...] | None = None  # only these roles are tried (the admin's compact rule)

    def want(self, method: str, role: str) -> int:
        codes = self.get if method == "get" else self.post
        if role in codes:
            return codes[role]
        return LOGIN if role == "anonymous" else self.other


def both(codes: dict, **kw) -> Row:
    return Row(get=codes, post=codes, **kw)


def swapped(row: Row) -> Row:
    if row.b is not None:
        return row.b
    return Row(get={SWAP.get(r, r): c for r, c in row.get.items()},
               post={SWAP.get(r, r): c for r, c in row.post.items()}, other=row.other, roles=row.roles)


# --- the URLs ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Pattern:
    name: str  # "namespace:name", or the route when the pattern has no name
    route: str
    callback: Callable


def patterns(resolver=None, prefix: str = "", route: str = "") -> list[Pattern]:
    """Every URL pattern of the project, admin included, in resolver order."""
    out = []
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            out += patterns(p, ns, route + str(p.pattern))
        elif isinstance(p, URLPattern):
            out.append(Pattern(prefix + p.name if p.name else route + str(p.pattern), route + str(p.pattern),
                               p.callback))
    return out


def missing_and_stale(table: Iterable[str], names: Iterable[str]) -> tuple[list[str], list[str]]:
    table, names = set(table), set(names)
    return sorted(names - table), sorted(table - names)


# --- nothing changed --------------------------------------------------------------------------------

_FINGERPRINT_SQL: str | None = None


def fingerprint() -> str:
    """One hash of every row of every table (bar the session and lockout logs): the audit events
    and pghistory's event tables are tables like the others, so an unaudited write shows too."""
    global _FINGERPRINT_SQL
    if _FINGERPRINT_SQL is None:
        with connection.cursor() as cursor:
            tables = [t for t in connection.introspection.table_names(cursor) if t not in IGNORED_TABLES]
        q = connection.ops.quote_name
        parts = [f"SELECT '{t}:' || count(*) || ':' || coalesce(md5(string_agg(x::text, ',' ORDER BY x::text)), '') "
                 f"AS h FROM {q(t)} x" for t in tables]
        _FINGERPRINT_SQL = "SELECT md5(string_agg(h, '|' ORDER BY h)) FROM (" + " UNION ALL ".join(parts) + ") s"
    with connection.cursor() as cursor:
        cursor.execute(_FINGERPRINT_SQL)
        return cursor.fetchone()[0]


# --- the run ----------------------------------------------------------------------------------------

@dataclass
class Result:
    tried: int = 0
    urls: set = field(default_factory=set)
    refused: int = 0
    failures: list = field(default_factory=list)
    observed: dict = field(default_factory=dict)  # (name, variant, method, role) -> code
    seen: dict = field(default_factory=dict)  # secret -> roles whose responses carried it
    fingerprints: int = 0
    seconds: dict = field(default_factory=dict)  # name -> seconds spent on it (to find the slow URLs)


def status(response) -> int:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith("/accounts/login/"):
            return LOGIN
    return response.status_code


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def run(*, table: dict[str, Row], target: Callable, users: dict, secrets: dict[str, set[str]],
        roles: Iterable[str] = ROLES, names: Iterable[str] | None = None, language: str = "ru") -> Result:
    """Try every name of `table` (or `names`): `target(name, variant)` gives (url, post data) or
    None when the URL has no object of that variant ("b"); `users[role]` is a user or None."""
    result = Result()
    roles = tuple(roles)
    clients = {role: _client(users.get(role)) for role in roles}
    for name in sorted(names or table):
        for variant in ("a", "b"):
            got = target(name, variant)
            if got is None:
                continue
            row = table[name] if variant == "a" else swapped(table[name])
            started = time.monotonic()
            with transaction.atomic():
                _try(result, name, variant, row, target, clients, roles, secrets, language)
                transaction.set_rollback(True)
            result.seconds[name] = result.seconds.get(name, 0) + time.monotonic() - started
            # A client logged out (by the logout URL) logs in again, outside the rolled-back savepoint.
            for role, client in clients.items():
                cookie = client.cookies.get(settings.SESSION_COOKIE_NAME)
                if users.get(role) is not None and (cookie is None or not cookie.value):
                    clients[role] = _client(users[role])
    return result


def _client(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _try(result, name, variant, row, target, clients, roles, secrets, language):
    result.urls.add((name, variant))
    roles = row.roles or roles
    for method in ("get", "post"):
        refused = [r for r in roles if row.want(method, r) in REFUSED]
        allowed = [r for r in roles if r not in refused]
        for batch, is_refused in ((refused, True), (allowed, False)):
            before = fingerprint() if is_refused else None
            for role in batch:
                url, data = target(name, variant)
                client = clients[role]
                # An allowed request's changes are rolled back at once: the next role meets the world
                # as it was (the refused ones are not: a change they made must show in the fingerprint).
                with transaction.atomic(), translation.override(language):
                    response = client.get(url) if method == "get" else client.post(url, data)
                    content = body(response)
                    transaction.set_rollback(not is_refused)
                code, want = status(response), row.want(method, role)
                result.tried += 1
                result.observed[(name, variant, method, role)] = code
                if code != want:
                    result.failures.append(f"{name}[{variant}] {method.upper()} {role}: {code}, expected {want}")
                if is_refused:
                    result.refused += 1
                for secret, readers in secrets.items():
                    if secret.encode() in content:
                        result.seen.setdefault(secret, set()).add(role)
                        if role not in readers:
                            result.failures.append(f"{name}[{variant}] {method.upper()} {role}: leaks {secret!r}")
            if is_refused:
                result.fingerprints += 1
            if is_refused and batch and fingerprint() != before:
                result.failures.append(f"{name}[{variant}] {method.upper()}: a refused request changed the database "
                                       f"(one of {', '.join(batch)})")


def as_rows(result: Result) -> str:
    """The observed statuses as table rows (to write a new row, or to read what changed)."""
    lines = []
    for name in sorted({k[0] for k in result.observed}):
        methods = {}
        for method in ("get", "post"):
            codes = {r: c for (n, v, m, r), c in result.observed.items() if n == name and v == "a" and m == method}
            methods[method] = {r: c for r, c in codes.items()
                               if c != (LOGIN if r == "anonymous" else 404)}
        lines.append(f"    {name!r}: Row(get={methods['get']!r}, post={methods['post']!r}),")
    return "\n".join(lines)
