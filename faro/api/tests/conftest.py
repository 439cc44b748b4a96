from typing import Any

import pytest
from rest_framework.test import APIClient

from faro.api import services


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def bearer(user: Any, *, scope: str = "read", expires_at: Any = None) -> dict[str, str]:
    _token, plain = services.create_api_token(user, acting_user=user, name="test", scope=scope, expires_at=expires_at)
    return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}


@pytest.fixture
def allow_local_webhooks(settings: Any) -> None:
    """Let webhooks reach a receiver on 127.0.0.1 over http, as only a development set-up may."""
    settings.DEBUG = True
    settings.FARO_WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
