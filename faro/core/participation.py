"""A person's participation across programmes (the directory's 360° view), gathered from every app.

Each programme app may have a `participation.py` with `sections(person, user) -> list[Section]`
(discovered like `todo.py`, so the directory imports no programme). Each app reads its own
records through its own `for_user(user)` querysets, so a viewer sees only what they may see, and
states its own rules (attended, completed, awarded) in its own words.
"""

import datetime
import functools
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from faro.core.discovery import app_modules


@dataclass(frozen=True)
class Line:
    """One record: what it is, where it stands, and its page when the viewer may open it."""

    text: str
    status: str = ""
    url: str = ""
    when: datetime.date | None = None


@dataclass(frozen=True)
class Section:
    """One programme's records of the person (applications, enrolments, registrations …)."""

    title: str
    lines: list[Line] = field(default_factory=list)


@functools.cache
def _providers() -> list[ModuleType]:
    return [module for config, module in app_modules("participation") if f"{config.name}.participation" != __name__]


def participation_of(person: Any, user: AbstractBaseUser | AnonymousUser | None) -> list[Section]:
    """Every app's sections about `person`, as `user` may see them, in INSTALLED_APPS order."""
    return [section for module in _providers() for section in module.sections(person, user)]
