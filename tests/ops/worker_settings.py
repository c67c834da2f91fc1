"""Settings of the real Celery worker the fault tests start (tests/ops/test_exactly_once.py): the
test settings, with the test database, a file mail backend that can be slowed down, and short
timeouts so that what production recovers in minutes is recovered here in seconds."""
import os

from celery.signals import worker_ready

from quota_portal.settings.test import *  # noqa: F401,F403
from quota_portal.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["QP_FAULT_DB_NAME"]
DATABASES["default"]["CONN_MAX_AGE"] = 0
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
EMAIL_BACKEND = "tests.ops.slowmail.SlowFileBackend"
MAIL_DIR = os.environ["QP_FAULT_MAIL_DIR"]
# A mail left SENDING by a killed worker is taken over after 2 s (production: 15 minutes) and an
# unacknowledged message is handed out again after 4 s (production: an hour).
QP_OUTBOX_CLAIM_SECONDS = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 4, "unacked_restore_interval": 1,
                                   "unacked_restore_throttle": 1}
# Only beat's delivery, every 2 s (production: every minute), for the test that runs beat (-B).
CELERY_BEAT_SCHEDULE = {"deliver-outbox": {"task": "core.deliver_outbox", "schedule": 2.0}}
CELERY_BROKER_CONNECTION_MAX_RETRIES = None


@worker_ready.connect
def _ready(**kwargs):
    ready = os.environ.get("QP_FAULT_READY_FILE")
    if ready:
        with open(ready, "w") as f:
            f.write("ready")
