import datetime
from typing import TypedDict

import pytest
from pytest_django.fixtures import Settings
from rest_framework.test import APIClient

from faro.accounts.models import User
from faro.api import services


@pytest.fixture
def api() -> APIClient:
    return APIClient()


class Bearer(TypedDict, total=False):  # empty for an anonymous caller
    HTTP_AUTHORIZATION: str


def bearer(user: User, *, scope: str = "read", expires_at: datetime.datetime | None = None) -> Bearer:
    _token, plain = services.create_api_token(user, acting_user=user, name="test", scope=scope, expires_at=expires_at)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def allow_local_webhooks(settings: Settings) -> None:
    """Let webhooks reach a receiver on 127.0.0.1 over http, as only a development set-up may."""
    settings.DEBUG = True
    settings.FARO_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
