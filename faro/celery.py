"""Celery application. With no CELERY_BROKER_URL, tasks run synchronously (see settings).

Web workers import this module only when they first send a task (see faro.lib.tasks); the worker
and beat (`celery -A faro …`) import it at start, then autodiscover each app's tasks module.
"""

import os

from celery import Celery

from faro.lib import tasks

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")

app = Celery("faro")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
tasks.register_all(app)
