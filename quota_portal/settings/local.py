"""Development: `make run`. DEBUG on, console email, embedded servers if no URLs are set."""
import os

os.environ.setdefault("DEBUG", "true")

from quota_portal.devservers import ensure_services  # noqa: E402

ensure_services()  # embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are unset

from .base import *  # noqa: E402,F401,F403
