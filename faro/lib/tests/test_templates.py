"""The template backend imports each tag library at its first `{% load %}`; every name still loads."""

import pytest
from django.template import TemplateSyntaxError, engines
from django.template.backends.django import get_installed_libraries

from faro.lib.form_renderer import FormRenderer
from faro.lib.templates import LazyLibraryTemplates, installed_library_paths


def test_every_library_django_finds_has_the_same_name_and_module() -> None:
    found = installed_library_paths()
    assert {name: found.get(name) for name in get_installed_libraries()} == get_installed_libraries()


def test_a_library_loads_by_name_on_first_use() -> None:
    template = engines["django"].from_string("{% load rest_framework %}{{ 'a b'|add_class:'x' }}")
    assert template.render({}) == "a b"
    assert "rest_framework" in engines["django"].engine.template_libraries  # type: ignore[attr-defined]


def test_an_unknown_library_is_still_an_error() -> None:
    with pytest.raises(TemplateSyntaxError, match="not a registered tag library"):
        engines["django"].from_string("{% load no_such_library %}")


def test_the_form_renderer_uses_the_same_backend() -> None:
    assert isinstance(FormRenderer().engine, LazyLibraryTemplates)
