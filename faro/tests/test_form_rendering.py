"""Faro's form renderer gives the same HTML as Django's template renderer, on every form of every app.

Each form class (found as `test_choice_collation.py` finds them) is built unbound, bound with valid
looking data, bound with bad data and bound with nothing (required errors, plus a form-wide error), in
each of Faro's languages, once with `faro.lib.form_renderer.FormRenderer` and once with Django's
`DjangoTemplates`; every bound field (widget, field group, label, errors) and the whole form must come
out byte for byte the same, and the fast renderer must not have handed any of its templates back to
the engine (a divergence cannot hide in the fallback).
"""

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from allauth.core.context import request_context
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.middleware import SessionMiddleware
from django.forms.renderers import get_default_renderer
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation

from faro.accounts.models import User
from faro.lib.form_renderer import FormRenderer
from faro.tests.test_choice_collation import _form_classes, _kwargs, institutions  # noqa: F401 — a fixture

DJANGO = "django.forms.renderers.DjangoTemplates"
FARO = "faro.tests.test_form_rendering.RecordingRenderer"
TRICKY = 'O\'Brien & <Co> "Ltd"'


class RecordingRenderer(FormRenderer):
    """Faro's renderer, noting each of its fast templates that went to the engine after all."""

    fell_back: list[str] = []

    def render_with_engine(self, template_name: str, context: dict[str, Any], request: Any) -> str:
        if template_name in self.fast_templates:
            self.fell_back.append(template_name)
        return super().render_with_engine(template_name, context, request)


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    yield
    translation.deactivate()


def _request() -> HttpRequest:
    request = RequestFactory().post("/")
    SessionMiddleware(lambda _request: HttpResponse()).process_request(request)
    request.user = AnonymousUser()
    return request


def _factories(staff: User) -> dict[str, Callable[[], dict[str, Any]]]:
    """The collation test's constructor arguments, and those allauth's forms need to validate."""

    return {
        **_kwargs(staff),
        "accounts.AddEmailForm": lambda: {"user": staff},
        "accounts.LoginForm": lambda: {"request": _request()},
    }


def _good_value(field: forms.Field) -> Any:
    """A value the field would likely accept, with characters that need escaping where it takes text."""
    choices: Any = getattr(field, "choices", [])
    if isinstance(field, forms.ModelMultipleChoiceField | forms.MultipleChoiceField):
        return [str(value) for value, _label in list(choices)[:3] if value not in ("", None)]
    if isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in choices if value not in ("", None)]
        return values[-1] if values else ""
    if isinstance(field, forms.BooleanField):
        return "on"
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "3"
    if isinstance(field, forms.DateTimeField):
        return "2026-12-03 10:30"
    if isinstance(field, forms.DateField):
        return "2026-12-03"
    if isinstance(field, forms.TimeField):
        return "10:30"
    if isinstance(field, forms.EmailField):
        return "o'brien+x@example.org"
    if isinstance(field, forms.URLField):
        return "https://example.org/?a=1&b=<2>"
    return TRICKY


def _data(form: forms.BaseForm, value: Callable[[forms.Field], Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, field in form.fields.items():
        key = form.add_prefix(name)
        if isinstance(field.widget, forms.MultiWidget):
            for index, _sub in enumerate(field.widget.widgets):
                data[f"{key}_{index}"] = TRICKY if value is _bad_value else f"{TRICKY} {index}"
        elif not isinstance(field, forms.FileField):
            data[key] = value(field)
    return data


def _bad_value(field: forms.Field) -> Any:
    return ["<bad & 'value'>"] if isinstance(field, forms.MultipleChoiceField) else "<bad & 'value'>"


def _states(build: Callable[..., forms.BaseForm]) -> dict[str, forms.BaseForm]:
    unbound = build()
    good = build(data=_data(unbound, _good_value))
    bad = build(data=_data(unbound, _bad_value))
    empty = build(data={})
    for form in (good, bad, empty):
        form.is_valid()
    empty.add_error(None, f"A form-wide problem: {TRICKY}")
    return {"unbound": unbound, "good": good, "bad": bad, "empty": empty}


def _html(form: forms.BaseForm) -> list[str]:
    """What Faro's templates render of a form: each field's widget, group, label and errors, and the form."""
    parts = [str(form.non_field_errors()), form.as_div()]
    for field in form:
        parts += [str(field), field.as_field_group(), field.label_tag(), field.legend_tag(), str(field.errors)]
    return parts


def _builders(staff: User) -> Iterator[tuple[str, Callable[..., forms.BaseForm]]]:
    """Each concrete form class, as a function building it with the data given."""
    factories = _factories(staff)
    for form_name, cls in _form_classes():
        if getattr(cls, "_meta", None) is not None and cls._meta.model is None:  # type: ignore[attr-defined]
            continue  # an abstract model form: its subclasses are walked
        kwargs = factories.get(form_name, dict)

        def build(
            cls: type[forms.BaseForm] = cls, kwargs: Callable[[], dict[str, Any]] = kwargs, **data: Any
        ) -> forms.BaseForm:
            return cls(**data, **kwargs())

        yield form_name, build


def _rendered(renderer: str, build: Callable[..., forms.BaseForm]) -> dict[str, list[str]]:
    with override_settings(FORM_RENDERER=renderer):
        assert type(get_default_renderer()).__module__ + "." + type(get_default_renderer()).__name__ == renderer
        return {state: _html(form) for state, form in _states(build).items()}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_every_form_renders_the_same_with_faros_renderer(language: str, staff: User, institutions: None) -> None:  # noqa: F811
    RecordingRenderer.fell_back = []
    walked, differences = 0, []
    with translation.override(language), request_context(_request()):  # allauth's forms read the request
        for form_name, build in _builders(staff):
            slow, fast = _rendered(DJANGO, build), _rendered(FARO, build)
            walked += 1
            for state, html in slow.items():
                differences += [
                    f"{form_name} {state}: {a!r} != {b!r}" for a, b in zip(html, fast[state], strict=True) if a != b
                ]
    assert walked > 40
    assert differences == []
    assert RecordingRenderer.fell_back == []


def _without_csrf(html: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_the_registration_page_is_the_same_with_either_renderer(client: Client, language: str) -> None:
    from faro.webinars.tests.conftest import make_webinar

    webinar = make_webinar()
    client.cookies["faro_language"] = language
    url = reverse("webinars:registration_create", args=[webinar.pk])
    RecordingRenderer.fell_back = []
    pages = {}
    for renderer in (DJANGO, FARO):
        with override_settings(FORM_RENDERER=renderer):
            pages[renderer] = [
                _without_csrf(client.get(url).content),
                _without_csrf(client.post(url, {"email": TRICKY, "last_name": TRICKY}).content),
            ]
    assert 'name="member_state"' in pages[DJANGO][0]
    assert "errorlist" in pages[DJANGO][1]
    assert pages[FARO] == pages[DJANGO]
    assert RecordingRenderer.fell_back == []


STAFF_FORM_PAGES = [
    "directory:people",
    "reports:dashboard",
    "directory:person_create",
    "directory:institution_create",
    "courses:course_create",
    "webinars:webinar_create",
    "meetings:meeting_create",
    "accounts:invitation_create",
    "certificates:template_create",
]


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_staff_form_pages_are_the_same_with_either_renderer(client: Client, staff: User, language: str) -> None:
    """Filters, the dashboard's period fields and staff forms (translated fields among them), whole pages."""
    client.force_login(staff)
    client.cookies["faro_language"] = language
    RecordingRenderer.fell_back = []
    pages: dict[str, list[str]] = {}
    for renderer in (DJANGO, FARO):
        with override_settings(FORM_RENDERER=renderer):
            responses = [client.get(reverse(name)) for name in STAFF_FORM_PAGES]
        assert [response.status_code for response in responses] == [200] * len(STAFF_FORM_PAGES)
        pages[renderer] = [_without_csrf(response.content) for response in responses]
    assert all("<select" in page or "<input" in page for page in pages[DJANGO])
    assert pages[FARO] == pages[DJANGO]
    assert RecordingRenderer.fell_back == []
