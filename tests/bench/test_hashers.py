"""The password hasher (issue 14): PBKDF2 at the configured cost, hashes of another cost still
verify and are re-hashed on login, and the machine-wide gate holds a hash back while its slots
are taken."""
from __future__ import annotations

import threading

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, make_password
from django.test import override_settings

from quota_portal.core.hashers import hash_slot
from tests.conftest import make_user

PORTAL = ["quota_portal.core.hashers.PortalPBKDF2PasswordHasher"]


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


def test_the_gate_holds_a_hash_while_its_only_slot_is_taken(portal_hasher):
    done = threading.Event()

    def hash_one():
        make_password("gated")
        done.set()

    with hash_slot():
        worker = threading.Thread(target=hash_one)
        worker.start()
        assert not done.wait(0.5)  # waiting for the slot, not hashing
    assert done.wait(10)
    worker.join()


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
