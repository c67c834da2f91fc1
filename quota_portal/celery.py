"""The Celery application. Every periodic schedule lives in settings.CELERY_BEAT_SCHEDULE."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quota_portal.settings.local")

app = Celery("quota_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
