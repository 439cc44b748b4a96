"""Faro: the CIP's training and capacity-building platform."""

from faro.celery import app as celery_app

__all__ = ["celery_app"]
