"""The test suite: real PostgreSQL, Celery eager, fast hashing, no throttling surprises."""
import datetime as dt

from quota_portal.core.signing_certs import generate_signing_cert
from quota_portal.devservers import ensure_services  # noqa: E402

ensure_services()  # embedded PostgreSQL/Redis when DATABASE_URL/REDIS_URL are unset

from .base import *  # noqa: E402,F401,F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# PDF signatures: a test CA and key made once, by the same code as `make_signing_cert`, valid
# from 2000 to 2100 because tests freeze the clock on dates of their own.
_signing, _ = generate_signing_cert(
    VAR_DIR / "test-signing",  # noqa: F405
    valid_from=dt.datetime(2000, 1, 1, tzinfo=dt.UTC),
    valid_until=dt.datetime(2100, 1, 1, tzinfo=dt.UTC),
)
QP_SIGNING_KEY, QP_SIGNING_CERT, QP_SIGNING_CA_CERTS = (
    str(_signing.key), str(_signing.cert), [str(_signing.ca)])
QP_SIGNING_KEY_PASSWORD = None
