"""`make run` and `make dev`: mails as files under var/mail/, embedded servers if no URLs are set.

DEBUG is off unless asked for (`make dev`, or DEBUG=true): `make run` shows the portal as a user
sees it, with its own error pages; WhiteNoise serves the collected static files either way.
"""
import os

os.environ.setdefault("DEBUG", "false")

from quota_portal.devservers import ensure_services  # noqa: E402

ensure_services()  # embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are unset

from .base import *  # noqa: E402,F401,F403

# `make run` creates a local test key and certificate here (manage.py make_signing_cert) and signs
# with them unless QP_SIGNING_KEY is set.
if not os.environ.get("QP_SIGNING_KEY"):
    from quota_portal.core.signing_certs import SigningFiles  # noqa: E402

    _signing = SigningFiles.in_dir(VAR_DIR / "signing")  # noqa: F405
    QP_SIGNING_KEY, QP_SIGNING_CERT, QP_SIGNING_CA_CERTS = (
        str(_signing.key), str(_signing.cert), [str(_signing.ca)])
