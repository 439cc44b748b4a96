"""Celery application. With no CELERY_BROKER_URL, tasks run synchronously (see settings)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")

app = Celery("faro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
