"""What is waiting for the signed-in user, gathered from every app, for "My page".

Each Faro app may have a `todo.py` with `items(user) -> list[Todo]` (discovered like the demo's
`demo.py`, so no app imports another); each decides from the user's scope what is theirs to do.
Everything is counted from records on each visit.
"""

import datetime
import importlib
from dataclasses import dataclass
from typing import Any

from django.apps import apps


@dataclass(frozen=True)
class Todo:
    text: str
    url: str
    due: datetime.datetime | datetime.date | None = None

    @property
    def due_day(self) -> datetime.date:
        if isinstance(self.due, datetime.datetime):
            return self.due.date()
        return self.due or datetime.date.max


def todo_for(user: Any) -> list[Todo]:
    """Every app's items for `user`, the most pressing (earliest due) first."""
    found: list[Todo] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("faro.") or f"{config.name}.todo" == __name__:
            continue
        try:
            module = importlib.import_module(f"{config.name}.todo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.todo":
                raise
            continue
        found += module.items(user)
    return sorted(found, key=lambda item: (item.due_day, item.text))
