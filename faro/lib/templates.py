"""Django's template backend, with each tag library imported by the first template that loads it.

Django's backend imports every installed app's `templatetags` modules when it starts, to learn
their names. REST framework's library imports its renderers and with them requests, PyYAML and
Pygments, several MiB in every web worker for pages (the browsable API's) that Faro's visitors do
not open. This backend learns the names from the packages' files instead and imports a library
at its first `{% load %}`; every library answers to the same name as before.
"""

import pkgutil
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.template import Library
from django.template.backends.django import DjangoTemplates
from django.template.library import import_library


class LazyLibraries(dict[str, Library]):
    """Tag libraries by their `{% load %}` name, each imported when it is first asked for."""

    def __init__(self, paths: dict[str, str], loaded: dict[str, Library]) -> None:
        super().__init__(loaded)
        self.paths = paths

    def __missing__(self, name: str) -> Library:
        library = self[name] = import_library(self.paths[name])  # KeyError for an unknown name, as before
        return library


def installed_library_paths() -> dict[str, str]:
    """`{% load %}` names and module paths of Django's and every installed app's tag modules, found
    without importing them (Django's own discovery imports each one)."""
    packages = ["django.templatetags", *(f"{config.name}.templatetags" for config in apps.get_app_configs())]
    paths: dict[str, str] = {}
    for package in packages:
        spec = find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            continue
        for module in pkgutil.walk_packages(spec.submodule_search_locations, f"{package}."):
            paths[module.name.removeprefix(f"{package}.")] = module.name
    return paths


class LazyLibraryTemplates(DjangoTemplates):
    """`django.template.backends.django.DjangoTemplates` whose tag libraries load on first use."""

    def __init__(self, params: dict[str, Any]) -> None:
        super().__init__(params)
        paths = {**installed_library_paths(), **self.engine.libraries}  # OPTIONS' libraries win, as in Django
        self.engine.libraries = paths
        self.engine.template_libraries = LazyLibraries(paths, self.engine.template_libraries)

    def get_templatetag_libraries(self, custom_libraries: dict[str, str]) -> dict[str, str]:
        return custom_libraries  # the engine imports these at once; the installed ones join in __init__
