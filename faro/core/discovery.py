"""Finding each Faro app's module of a given name (`demo`, `todo` …) without any app importing another."""

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import AppConfig, apps


def app_modules(name: str) -> Iterator[tuple[AppConfig, ModuleType]]:
    """(app, its `<app>.<name>` module) for every Faro app that has one, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("faro."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.{name}":
                raise
            continue
        yield config, module
