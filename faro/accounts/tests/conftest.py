"""Accounts test helpers."""

from collections.abc import Iterator
from typing import Any

import pytest
from allauth.core.context import request_context
from django.db import transaction
from django.test import Client


@pytest.fixture
def requests_commit(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test-client request commits when it ends, as it does in production (no ATOMIC_REQUESTS):
    what the request left for on-commit (allauth's mails through the outbox) runs before the response
    is returned, instead of waiting for the test's own transaction, which never commits."""
    original = Client.request

    def request(self: Client, **kwargs: Any) -> Any:
        connection = transaction.get_connection()
        start = len(connection.run_on_commit)
        response = original(self, **kwargs)
        with request_context(response.wsgi_request):  # as when autocommit runs them inside the view
            while len(connection.run_on_commit) > start:
                _savepoints, callback, _robust = connection.run_on_commit.pop(start)
                callback()
        return response

    monkeypatch.setattr(Client, "request", request)
    yield
