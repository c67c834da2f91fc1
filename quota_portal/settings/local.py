"""`make run` and `make dev`: console email, embedded servers if no URLs are set.

DEBUG is off unless asked for (`make dev`, or DEBUG=true): `make run` shows the portal as a user
sees it, with its own error pages; WhiteNoise serves the collected static files either way.
"""
import os

os.environ.setdefault("DEBUG", "false")

from quota_portal.devservers import ensure_services  # noqa: E402

ensure_services()  # embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are unset

from .base import *  # noqa: E402,F401,F403
