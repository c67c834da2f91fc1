"""Every setting lives here; local/test/production only override.

Environment variables are parsed strictly: a malformed value stops start-up with a message.
"""
import ipaddress
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from quota_portal.devservers import celery_broker_url

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("QP_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in ("1", "true", "yes", "on"):
        return True
    if raw.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "insecure-development-key-never-in-production")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The portal's public address: every link in a mail is built on it (core/links.py), never on the
# Host header of the request that sent the mail. `make run` sets it to the address it serves.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "csp",
    "quota_portal.core",
    "applications",
    "commissions",
    "allocation",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "quota_portal.core.middleware.LocaleMiddleware",  # Russian unless the user picked a language
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",  # request.user.is_verified(): the second factor of this session
    "csp.middleware.CSPMiddleware",
    "quota_portal.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "quota_portal.core.two_factor.TwoFactorMiddleware",  # authority roles: no page before the second step
    "quota_portal.core.middleware.TenantMiddleware",
    "quota_portal.core.middleware.RejectNulMiddleware",
    "quota_portal.core.middleware.HistoryMiddleware",  # pghistory's, the URL's tokens redacted
    "quota_portal.core.middleware.ErrorPagesMiddleware",
]

ROOT_URLCONF = "quota_portal.urls"
WSGI_APPLICATION = "quota_portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "quota_portal.core.context_processors.portal",
            ],
        },
    },
]

# Database: DATABASE_URL, or the embedded server started by `make run`/`make test`
# (quota_portal/devservers.py writes its URL into the environment before Django starts).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    raise ImproperlyConfigured(
        "DATABASE_URL is not set. Use `make run` / `make test`, which start an embedded "
        "PostgreSQL when it is missing, or export DATABASE_URL=postgres://..."
    )
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
# A password with URL-special characters (@ : / ? #) breaks DATABASE_URL unless percent-encoded;
# DATABASE_PASSWORD, when set, is used as is instead of the URL's password.
if os.environ.get("DATABASE_PASSWORD"):
    DATABASES["default"]["PASSWORD"] = os.environ["DATABASE_PASSWORD"]
if not DATABASES["default"]["ENGINE"].endswith("postgresql"):
    raise ImproperlyConfigured("Quota Portal runs on PostgreSQL only (audit triggers).")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# True in quota_portal.settings.production and every settings module built on it: commands that
# write made-up data (seed_scale) refuse to run there.
QP_PRODUCTION = False

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# The password policy (README, "Passwords"): at least 12 characters, not like the email or the
# name, not one of Django's 20,000 common passwords, not digits alone.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
     "OPTIONS": {"user_attributes": ("email", "full_name")}},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Passwords (README, "Passwords"; measured by bench/logins.py): Argon2id at OWASP's first
# configuration (Password Storage Cheat Sheet: m = 19 MiB, t = 2, p = 1). On this project's 2-core
# machine one hash takes about 0.06 s of one core, against 0.34 s for PBKDF2-SHA256 at OWASP's
# 600,000 iterations and 0.55 s at Django 5.2's 1,000,000: a core checks five times as many logins,
# and the hash is memory-hard (a GPU guessing it needs 19 MiB per guess). PASSWORD_HASHER=pbkdf2
# chooses PBKDF2-SHA256 at PASSWORD_PBKDF2_ITERATIONS instead. Hashes made by either, or at another
# cost, still verify and are re-hashed with the chosen one on the next login. At most
# PASSWORD_HASH_CONCURRENCY hashes run at once on the machine (the others wait asleep): a wave of
# logins keeps the other cores for the pages of users already in.
PASSWORD_HASHER = os.environ.get("PASSWORD_HASHER", "argon2")
PASSWORD_HASHERS_BY_CHOICE = {
    "argon2": ["quota_portal.core.hashers.PortalArgon2PasswordHasher",
               "quota_portal.core.hashers.PortalPBKDF2PasswordHasher"],
    "pbkdf2": ["quota_portal.core.hashers.PortalPBKDF2PasswordHasher",
               "quota_portal.core.hashers.PortalArgon2PasswordHasher"],
}
if PASSWORD_HASHER not in PASSWORD_HASHERS_BY_CHOICE:
    raise ImproperlyConfigured(f"PASSWORD_HASHER must be one of {sorted(PASSWORD_HASHERS_BY_CHOICE)}, "
                               f"not {PASSWORD_HASHER!r}.")
PASSWORD_HASHERS = [
    *PASSWORD_HASHERS_BY_CHOICE[PASSWORD_HASHER],
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
PASSWORD_ARGON2_MEMORY_KIB = int(os.environ.get("PASSWORD_ARGON2_MEMORY_KIB", "19456"))
PASSWORD_ARGON2_TIME_COST = int(os.environ.get("PASSWORD_ARGON2_TIME_COST", "2"))
PASSWORD_PBKDF2_ITERATIONS = int(os.environ.get("PASSWORD_PBKDF2_ITERATIONS", "600000"))
PASSWORD_HASH_CONCURRENCY = int(os.environ.get("PASSWORD_HASH_CONCURRENCY", str(max(1, (os.cpu_count() or 2) - 1))))
# Logins in progress at once in one process (gunicorn worker): the rest of its threads stay free for
# the pages; a login over the bound gets "try again in a few seconds" (503) at once.
LOGIN_CONCURRENCY_PER_PROCESS = int(os.environ.get("LOGIN_CONCURRENCY_PER_PROCESS", "2"))
PASSWORD_HASH_LOCK_DIR = Path(os.environ.get("PASSWORD_HASH_LOCK_DIR", "/tmp/quota-portal-hash-slots"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Failed-login throttling: 5 failures for one email (any capitalisation, from any address) lock
# that email for 15 minutes. No separate per-IP lock: akimat and ministry offices reach the portal
# through one shared address, and a per-IP lock at the same limit would lock out a whole office.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.25
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "quota_portal.core.forms.login_email"
# axes.W006 warns that a lock without the IP can be dodged by rotating User-Agent or cookies; our
# key is the email alone, which neither changes, so the warning does not apply.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# Two-factor login (core/two_factor.py, django-otp): a user holding any of these roles must, after
# the password, enroll a TOTP app or enter its code (or a recovery code) before any page opens.
# Empty here, so the demo logins of `make run` and the tests need the password alone; production
# settings list every authority and ministry role. Employers may turn it on for themselves.
QP_2FA_REQUIRED_ROLES: list[str] = []
# Wrong second-factor codes: this many for one user lock its code entry for QP_2FA_LOCK_SECONDS.
QP_2FA_FAILURE_LIMIT = 5
QP_2FA_LOCK_SECONDS = 15 * 60
QP_2FA_RECOVERY_CODES = 10
OTP_TOTP_ISSUER = "Quota Portal"
# django-otp's own growing delays after a wrong code are off: the lock above is the throttle.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

# Sign-up and password-reset requests each send a mail to the address typed in: at most this many
# (requests, seconds) per email address and per client address (core/ratelimit.py). Counted in
# the cache: Redis in production, shared by every worker; one process's memory elsewhere.
RATE_LIMIT_PER_EMAIL = (3, 3600)
RATE_LIMIT_PER_CLIENT = (20, 3600)
# The reverse proxies in front of the portal (comma-separated addresses or networks, e.g.
# "172.18.0.0/16"): only a connection from one of them has its X-Forwarded-For read for the
# client's address (core/ratelimit.py). Empty: the connection's own address, whatever the headers
# say. Behind a proxy without it, every client shares the proxy's address and one limit.
TRUSTED_PROXIES = []
for _proxy in env_list("TRUSTED_PROXIES", []):
    try:
        TRUSTED_PROXIES.append(ipaddress.ip_network(_proxy, strict=False))
    except ValueError:
        raise ImproperlyConfigured(f"TRUSTED_PROXIES: {_proxy!r} is not an IP address or network") from None
AXES_CLIENT_IP_CALLABLE = "quota_portal.core.ratelimit.client_ip"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Languages: no prefix in URLs; the user's choice (stored on the user and in a cookie).
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("kk", _("Kazakh")), ("en", _("English"))]
# QP_LOCALE_DIR lets tools/i18n.py extract messages into a scratch folder.
LOCALE_PATHS = [Path(os.environ.get("QP_LOCALE_DIR", BASE_DIR / "quota_portal" / "locale"))]
LANGUAGE_COOKIE_NAME = "qp_language"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
USE_I18N = True

# Our own date formats for kk (Django ships none) and en (day.month.year, 24 h); ru uses Django's.
FORMAT_MODULE_PATH = ["quota_portal.formats"]

TIME_ZONE = "Asia/Almaty"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/bootstrap-icons", BASE_DIR / "node_modules" / "bootstrap-icons" / "font"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Attachments are never served from MEDIA_URL: they go through an access-checked view.
MEDIA_URL = "/media-not-served/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Database sessions whose engine reads only a well-formed key (core/sessions.py): a crafted cookie
# is no session, never a query PostgreSQL refuses.
SESSION_ENGINE = "quota_portal.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
# A form sent without a valid CSRF token gets the portal's own translated page.
CSRF_FAILURE_VIEW = "quota_portal.core.views.csrf_failure"
# Django's technical error page (DEBUG, `make dev`) hides the settings that carry credentials.
DEFAULT_EXCEPTION_REPORTER_FILTER = "quota_portal.core.debug.PortalExceptionReporterFilter"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Content-Security-Policy (django-csp) on every response: scripts, styles and images from the
# portal's own origin only; no inline script, style="" or on*= handler in a web template
# (tests/core/test_security.py walks them). Bootstrap's CSS draws its icons as data: SVGs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
SECURE_REFERRER_POLICY = "same-origin"

# In development each mail is an .eml file under MAIL_DIR and one printed line (core/mailfiles.py),
# not the whole message with its PDFs in base64 on the terminal; production sends by SMTP.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "quota_portal.core.mailfiles.FileLineBackend")
MAIL_DIR = Path(os.environ.get("MAIL_DIR", str(VAR_DIR / "mail")))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Quota Portal <no-reply@quota.gov.kz>")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))

# Celery: broker in Redis, no result backend (tasks report through the database: Outbox, SweepRun).
# The same Redis, in kombu's spelling (a Unix socket is `redis+socket://` there, `unix://` in redis-py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or celery_broker_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
# JSON only: a message is data (ids), never a pickled object the worker would execute.
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# A task is acknowledged once it has finished, and a worker killed mid-task (kill -9, OOM) gives
# its message back to the queue: at-least-once execution, made exactly-once by the tasks
# themselves (the outbox's claimed rows, the sweeps' conditional updates).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per worker process: a killed worker holds back nothing but its own task.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A task that hangs (an SMTP server that never answers) is stopped: soft limit first (the task may
# record what it did), then the hard one kills the process.
CELERY_TASK_SOFT_TIME_LIMIT = int(os.environ.get("CELERY_TASK_SOFT_TIME_LIMIT", "240"))
CELERY_TASK_TIME_LIMIT = int(os.environ.get("CELERY_TASK_TIME_LIMIT", "300"))
# An unacknowledged message (its worker died) is handed out again after this many seconds: longer
# than the hard time limit, so a task still running is never run twice at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None  # a worker waits for Redis to come back, however long
# Sending a task while Redis is down gives up after about a second: the outbox row is already in
# PostgreSQL, and beat's deliver-outbox picks it up (notifications.enqueue_on_commit).
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 2, "interval_start": 0, "interval_step": 0.2,
                                    "interval_max": 0.5}

# Every periodic schedule of the portal, declared once. Exactly one beat process may run them
# (docker-compose.yml's `beat` service, `make run`'s one beat): two beats would send each task
# twice. The tasks are idempotent all the same, so a second beat wastes work but sends no notice twice.
CELERY_BEAT_SCHEDULE = {
    # Mail the outbox's pending rows; each notice also enqueues its own delivery when written,
    # so this catches what was written while Redis was down or left by a killed worker.
    "deliver-outbox": {"task": "core.deliver_outbox", "schedule": 60.0},
    # Beat's sign of life, read by /healthz (BEAT_HEARTBEAT_MAX_AGE).
    "beat-heartbeat": {"task": "core.beat_heartbeat", "schedule": 30.0},
    # Every registered deadline sweep (core/deadlines.py), each run recorded as a SweepRun.
    "deadline-sweep": {"task": "core.deadline_sweep", "schedule": crontab(minute="*/5")},
    # Probe the portal's health; a failure longer than QP_OUTAGE_MINUTES is recorded as an Outage.
    "probe-health": {"task": "core.probe_health", "schedule": 60.0},
}
# Reminders, in days before a deadline (core/reminders.py: the smallest N not yet past is sent, once
# per user and N): employers with drafts before filing closes (Rules p.6), and each authority before
# its own deadlines (p.7, 8, 11, 12-17, 19).
FILING_REMINDER_DAYS = (30, 7, 1)
AUTHORITY_REMINDER_DAYS = (7, 1)
# /healthz considers beat dead when its heartbeat is older than this many seconds.
BEAT_HEARTBEAT_MAX_AGE = 120
# The portal records an outage itself when its health probe has failed for longer than this.
QP_OUTAGE_MINUTES = int(os.environ.get("QP_OUTAGE_MINUTES", "10"))
# A mail claimed by a worker that died before finishing is handed to another after this long.
QP_OUTBOX_CLAIM_SECONDS = int(os.environ.get("QP_OUTBOX_CLAIM_SECONDS", "900"))

# The portal's key for PDF signatures (PAdES, quota_portal/core/signing.py): PEM files. The trust
# roots for verifying are the CA certificates, or the signing certificate itself without them.
QP_SIGNING_KEY = os.environ.get("QP_SIGNING_KEY", "")
QP_SIGNING_CERT = os.environ.get("QP_SIGNING_CERT", "")
QP_SIGNING_KEY_PASSWORD = os.environ.get("QP_SIGNING_KEY_PASSWORD") or None
QP_SIGNING_CA_CERTS = env_list("QP_SIGNING_CA_CERTS", [])  # comma-separated paths
# Production turns a missing or unusable key into an error (qp.E001) instead of a warning.
QP_SIGNING_REQUIRED = False

PGHISTORY_DEFAULT_TRACKERS = None  # each model names its trackers in its decorator

# Every handler redacts the tokens of emailed links (core/redact.py): runserver's access log
# (django.server), django.request's "Not Found: <path>", django-axes' login lines, the rest.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "quota_portal.core.redact.RedactTokens"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}",
                          "style": "{"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_tokens"]},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server",
                          "filters": ["redact_tokens"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "pgserver": {"level": "WARNING"},
    },
}
