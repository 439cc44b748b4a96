"""Faro: the CIP's training and capacity-building platform.

The Celery app lives in faro.celery; it is not imported here, so a web worker loads Celery only
when it first sends a task (faro.lib.tasks). `celery -A faro` finds it there.
"""
