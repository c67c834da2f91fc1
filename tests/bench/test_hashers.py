"""The password hashers (issue 14): Argon2id (the production default) or PBKDF2 at the configured
cost, hashes of the other hasher or of another cost still verify and are re-hashed on login, and the
machine-wide gate holds a hash back while its slots are taken."""
from __future__ import annotations

import threading

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.test import override_settings

from quota_portal.core.hashers import hash_slot
from tests.conftest import make_user

PORTAL = ["quota_portal.core.hashers.PortalPBKDF2PasswordHasher"]
ARGON2_FIRST = ["quota_portal.core.hashers.PortalArgon2PasswordHasher",
                "quota_portal.core.hashers.PortalPBKDF2PasswordHasher"]


@pytest.fixture
def portal_hasher(settings, tmp_path):
    settings.PASSWORD_HASHERS = PORTAL
    settings.PASSWORD_PBKDF2_ITERATIONS = 1200
    settings.PASSWORD_HASH_CONCURRENCY = 1
    settings.PASSWORD_HASH_LOCK_DIR = tmp_path / "slots"
    return settings


def test_it_hashes_at_the_configured_cost(portal_hasher):
    encoded = make_password("correct horse")
    assert encoded.startswith("pbkdf2_sha256$1200$")
    assert check_password("correct horse", encoded)
    assert not check_password("wrong horse", encoded)


def test_a_hash_of_another_cost_logs_in_and_is_rehashed_at_the_configured_one(portal_hasher, db, client):
    user = make_user("old.hash@example.kz")
    user.password = PBKDF2PasswordHasher().encode("old-pass-2026", "somesalt123456", iterations=2000)
    user.save(update_fields=["password"])
    response = client.post("/accounts/login/", {"username": "old.hash@example.kz", "password": "old-pass-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$1200$")
    assert user.check_password("old-pass-2026")


def assert_waits_for_the_gate(hashing) -> None:
    """`hashing` run in another thread does not finish while this thread holds the only slot, and
    finishes once it is free."""
    done = threading.Event()

    def run():
        hashing()
        done.set()

    with hash_slot():
        worker = threading.Thread(target=run)
        worker.start()
        assert not done.wait(0.5)  # waiting for the slot, not hashing
    assert done.wait(10)
    worker.join()


def test_the_gate_holds_a_hash_while_its_only_slot_is_taken(portal_hasher):
    assert_waits_for_the_gate(lambda: make_password("gated"))


def test_without_a_gate_hashes_run_at_once(portal_hasher):
    with override_settings(PASSWORD_HASH_CONCURRENCY=0), hash_slot():
        assert make_password("free").startswith("pbkdf2_sha256$")


def test_a_login_over_the_process_bound_is_answered_at_once_and_keeps_the_email(portal_hasher, db, client):
    from quota_portal.core.hashers import login_admission

    user = make_user("busy@example.kz")
    user.set_password("busy-pass-2026")
    user.save()
    portal_hasher.LOGIN_CONCURRENCY_PER_PROCESS = 1
    form = {"username": "busy@example.kz", "password": "busy-pass-2026"}
    with login_admission() as admitted:  # another thread of this worker is logging in
        assert admitted
        response = client.post("/accounts/login/", form)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    text = response.content.decode()
    from django.utils import translation

    with translation.override("ru"):  # the page is Russian (no language chosen)
        busy = translation.gettext("Many people are logging in right now. Please try again in a few seconds.")
    assert busy in text
    assert 'value="busy@example.kz"' in text
    assert "_auth_user_id" not in client.session
    assert client.post("/accounts/login/", form).status_code == 302  # the slot is free again


@pytest.fixture
def argon2_hasher(portal_hasher):
    portal_hasher.PASSWORD_HASHERS = ARGON2_FIRST
    portal_hasher.PASSWORD_ARGON2_MEMORY_KIB = 1024
    portal_hasher.PASSWORD_ARGON2_TIME_COST = 1
    return portal_hasher


def test_the_production_settings_choose_argon2id_at_owasps_cost():
    from django.conf import settings as live

    from quota_portal.settings import base

    assert base.PASSWORD_HASHER == "argon2" and base.PASSWORD_HASHERS[0].endswith("PortalArgon2PasswordHasher")
    assert (base.PASSWORD_ARGON2_MEMORY_KIB, base.PASSWORD_ARGON2_TIME_COST) == (19456, 2)
    assert live.PASSWORD_HASHERS != base.PASSWORD_HASHERS  # the tests hash with MD5 for speed


def test_argon2id_hashes_at_the_configured_cost(argon2_hasher):
    encoded = make_password("correct horse")
    assert encoded.startswith("argon2$argon2id$v=19$m=1024,t=1,p=1$")
    assert check_password("correct horse", encoded)
    assert not check_password("wrong horse", encoded)


def test_a_pbkdf2_hash_logs_in_and_is_rehashed_as_argon2id(argon2_hasher, db, client):
    user = make_user("pbkdf2.user@example.kz")
    user.password = PBKDF2PasswordHasher().encode("old-pass-2026", "somesalt123456", iterations=2000)
    user.save(update_fields=["password"])
    wrong = client.post("/accounts/login/", {"username": "pbkdf2.user@example.kz", "password": "bad-pass-2026"})
    assert wrong.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$2000$")  # a wrong password changes nothing
    response = client.post("/accounts/login/", {"username": "pbkdf2.user@example.kz", "password": "old-pass-2026"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=1024,t=1,p=1$")
    assert user.check_password("old-pass-2026")


def test_an_argon2_hash_of_another_cost_is_rehashed_at_the_configured_one(argon2_hasher, db, client):
    user = make_user("argon.user@example.kz")
    with override_settings(PASSWORD_ARGON2_MEMORY_KIB=2048):
        user.set_password("argon-pass-2026")
    user.save(update_fields=["password"])
    assert "$m=2048," in user.password
    assert client.post("/accounts/login/", {"username": "argon.user@example.kz",
                                            "password": "argon-pass-2026"}).status_code == 302
    user.refresh_from_db()
    assert "$m=1024,t=1,p=1$" in user.password


def test_an_argon2_check_waits_for_the_gate_too(argon2_hasher):
    encoded = make_password("gated")
    checked = []
    assert_waits_for_the_gate(lambda: checked.append(check_password("gated", encoded)))
    assert checked == [True]


def test_an_unknown_hasher_setting_is_refused_at_start():
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {**os.environ, "PASSWORD_HASHER": "md4"}
    result = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                            text=True, timeout=60, cwd=Path(__file__).resolve().parents[2])
    assert result.returncode != 0 and "PASSWORD_HASHER must be one of ['argon2', 'pbkdf2']" in result.stderr
