"""What is waiting for the signed-in user, gathered from every app, for "My page".

Each Faro app may have a `todo.py` with `items(user) -> list[Todo]` (discovered like the demo's
`demo.py`, so no app imports another); each decides from the user's scope what is theirs to do.
Everything is counted from records on each visit.
"""

import datetime
import functools
from dataclasses import dataclass
from types import ModuleType

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from faro.core.discovery import app_modules


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


@functools.cache
def _providers() -> list[ModuleType]:
    """The apps' `todo` modules, looked up once per process (not on every visit to My page)."""
    return [module for config, module in app_modules("todo") if f"{config.name}.todo" != __name__]


def todo_for(user: AbstractBaseUser | AnonymousUser | None) -> list[Todo]:
    """Every app's items for `user`, the most pressing (earliest due) first."""
    found = [item for module in _providers() for item in module.items(user)]
    return sorted(found, key=lambda item: (item.due_day, item.text))
