"""The bench's gunicorn (bench/server.py, `make bench`): production settings, DEBUG off, Redis
cache, on plain HTTP over loopback. Only what plain HTTP needs differs from production: cookies
without the Secure flag (a client over http:// would not send them back), no HTTPS redirect or
HSTS. QP_PRODUCTION stays True: seed_scale refuses to run here too."""
import os

os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
os.environ.setdefault("SECURE_HSTS_SECONDS", "0")

from .production import *  # noqa: E402,F401,F403

SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
