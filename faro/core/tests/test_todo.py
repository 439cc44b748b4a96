"""todo_for gathers every app's items and puts the most pressing first."""

import datetime
import functools
import types
from typing import Any

import pytest

from faro.core import discovery, todo
from faro.core.todo import Todo, todo_for


def test_items_from_every_app_earliest_due_first_undated_last(monkeypatch: pytest.MonkeyPatch) -> None:
    when = datetime.datetime(2026, 12, 6, 12, tzinfo=datetime.UTC)
    modules = {
        "faro.scholarships.todo": [Todo("Endorse", "/e/", when), Todo("Review", "/r/")],
        "faro.meetings.todo": [Todo("Delegation", "/d/", datetime.date(2026, 12, 1))],
    }

    def fake_import(name: str) -> Any:
        if name not in modules:
            raise ModuleNotFoundError(name=name)
        return types.SimpleNamespace(items=lambda user: modules[name])

    monkeypatch.setattr(discovery, "importlib", types.SimpleNamespace(import_module=fake_import))
    todo._providers.cache_clear()  # looked up once per process: look again with the fakes, and after
    monkeypatch.setattr(todo, "_providers", functools.cache(todo._providers.__wrapped__))
    assert [item.text for item in todo_for(None)] == ["Delegation", "Endorse", "Review"]
