"""The password hashers: Argon2id (or PBKDF2-SHA256) at a cost chosen by setting, behind a
machine-wide gate.

Logging in is the deadline rush's hidden cost (issue 14): one hash at Django 5.2's default cost
(1,000,000 iterations) takes about 0.19 s of one core here, and a wave of logins used to take every
gunicorn worker, so that pages of users already logged in waited seconds behind it.

- The hasher is PASSWORD_HASHER (argon2, the default, or pbkdf2), its cost
  PASSWORD_ARGON2_MEMORY_KIB and PASSWORD_ARGON2_TIME_COST, or PASSWORD_PBKDF2_ITERATIONS
  (settings/base.py; README, "Passwords"). Existing hashes stay verifiable whichever of the two made
  them and at whatever cost (both are stored in each hash), and Django re-hashes a password with the
  chosen hasher at its cost on the next successful login.
- At most PASSWORD_HASH_CONCURRENCY hashes run at once on the machine (lock files in
  PASSWORD_HASH_LOCK_DIR, shared by every gunicorn worker and thread): a login beyond that waits,
  asleep, instead of taking the last core from the pages. bench/logins.py measures both.
- At most LOGIN_CONCURRENCY_PER_PROCESS logins are in progress in one process (`login_admission`,
  used by the login view): a waiting login holds a gunicorn thread, and without this bound a wave
  would hold them all and the pages would queue behind it again. A login over the bound is
  answered at once (503, "try again in a few seconds"), keeping the email typed.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher, PBKDF2PasswordHasher


@contextlib.contextmanager
def hash_slot():
    """Hold one of the machine's PASSWORD_HASH_CONCURRENCY slots while hashing (0: no gate)."""
    slots = int(getattr(settings, "PASSWORD_HASH_CONCURRENCY", 0) or 0)
    if slots <= 0:
        yield
        return
    folder = Path(settings.PASSWORD_HASH_LOCK_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    fds = []
    try:
        held = None
        for attempt in range(slots):
            fd = os.open(folder / f"hash-slot-{attempt}.lock", os.O_RDWR | os.O_CREAT, 0o600)
            fds.append(fd)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue
            held = fd
            break
        if held is None:
            # Every slot busy: sleep on one of them (no CPU used while waiting).
            held = fds[(os.getpid() + int(time.monotonic() * 1000)) % slots]
            fcntl.flock(held, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(held, fcntl.LOCK_UN)
    finally:
        for fd in fds:
            os.close(fd)


class PortalPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    """Django's PBKDF2-SHA256 (same algorithm name, so every stored hash still verifies) at the
    cost of PASSWORD_PBKDF2_ITERATIONS, each hash run inside the machine-wide gate."""

    @property
    def iterations(self) -> int:
        return int(getattr(settings, "PASSWORD_PBKDF2_ITERATIONS", PBKDF2PasswordHasher.iterations))

    def encode(self, password, salt, iterations=None):
        with hash_slot():
            return super().encode(password, salt, iterations)


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id (same algorithm name, so every stored argon2 hash still verifies) at the
    cost of PASSWORD_ARGON2_MEMORY_KIB and PASSWORD_ARGON2_TIME_COST with one lane, each hash run
    inside the machine-wide gate. A hash made at another cost is re-hashed on the next login."""

    parallelism = 1

    @property
    def time_cost(self) -> int:
        return int(getattr(settings, "PASSWORD_ARGON2_TIME_COST", Argon2PasswordHasher.time_cost))

    @property
    def memory_cost(self) -> int:
        return int(getattr(settings, "PASSWORD_ARGON2_MEMORY_KIB", Argon2PasswordHasher.memory_cost))

    def encode(self, password, salt):
        with hash_slot():
            return super().encode(password, salt)

    def verify(self, password, encoded):
        with hash_slot():
            return super().verify(password, encoded)


_admission: dict[int, threading.BoundedSemaphore] = {}
_admission_lock = threading.Lock()


@contextlib.contextmanager
def login_admission():
    """Yield True when this process may take one more login now (at most
    LOGIN_CONCURRENCY_PER_PROCESS at once; 0: no bound), False when it is full."""
    limit = int(getattr(settings, "LOGIN_CONCURRENCY_PER_PROCESS", 0) or 0)
    if limit <= 0:
        yield True
        return
    with _admission_lock:
        semaphore = _admission.setdefault(limit, threading.BoundedSemaphore(limit))
    admitted = semaphore.acquire(blocking=False)
    try:
        yield admitted
    finally:
        if admitted:
            semaphore.release()
