"""The signed-in person's own records, gathered from every app, for "My page".

Each Faro app may have a `mine.py` with `sections(user) -> list[MySection]` (discovered like `todo.py`,
so no app imports another); each lists the user's own records with its own querysets and rules and
links to its own pages (join, cancel, details).
"""

import functools
from dataclasses import dataclass, field
from types import ModuleType

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from faro.core.discovery import app_modules


@dataclass(frozen=True)
class MyItem:
    text: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class MySection:
    title: str
    items: list[MyItem] = field(default_factory=list)
    empty: str = ""


@functools.cache
def _providers() -> list[ModuleType]:
    return [module for config, module in app_modules("mine") if f"{config.name}.mine" != __name__]


def sections_for(user: AbstractBaseUser | AnonymousUser | None) -> list[MySection]:
    """Every app's sections for `user`, in INSTALLED_APPS order; nothing for a user without a Person."""
    if not getattr(user, "person_id", None):
        return []
    return [section for module in _providers() for section in module.sections(user)]
