"""Kept filter options: the page is the page with options read afresh, a committed write shows at
once, another language gets its own names, and a kept option still filters."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from conftest import make_person
from faro.accounts.models import User
from faro.directory import services
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db
PEOPLE = reverse("directory:people")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def page(client: Client, params: dict[str, str] | None = None) -> str:
    response = client.get(PEOPLE, params or {})
    assert response.status_code == 200
    return TOKEN.sub("", response.content.decode())


def test_the_page_with_kept_options_is_the_page_read_afresh(
    settings: Settings, client: Client, staff: User, partner_institution: Institution
) -> None:
    client.force_login(staff)
    settings.PAGE_CACHE_SECONDS = 0
    fresh = page(client)
    settings.PAGE_CACHE_SECONDS = 30
    assert page(client) == fresh  # reads and keeps
    assert page(client) == fresh  # from what was kept


def test_an_institution_added_shows_in_the_filter_at_once(
    settings: Settings,
    client: Client,
    staff: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    settings.PAGE_CACHE_SECONDS = 30
    client.force_login(staff)
    assert "Puerto Nuevo" not in page(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_institution(acting_user=staff, name="Puerto Nuevo", kind="port_operator", country_code="CL")
    assert "Puerto Nuevo" in page(client)


def test_each_language_gets_its_own_names(settings: Settings, staff: User) -> None:
    settings.PAGE_CACHE_SECONDS = 30
    english, spanish = Client(HTTP_ACCEPT_LANGUAGE="en"), Client(HTTP_ACCEPT_LANGUAGE="es")
    english.force_login(staff)
    spanish.force_login(staff)
    assert ">Brazil</option>" in page(english)
    assert ">Brasil</option>" in page(spanish)
    assert ">Brazil</option>" in page(english)


def test_a_kept_option_still_filters(
    settings: Settings, client: Client, staff: User, partner_institution: Institution
) -> None:
    settings.PAGE_CACHE_SECONDS = 30
    make_person("Rosa", "Quispe", "PE", email="rosa@apn.example.pe", institution=partner_institution)
    make_person("Lee", "Brown", "JM", email="lee@port.example.jm")
    client.force_login(staff)
    page(client)
    chosen = page(client, {"institution": str(partner_institution.pk)})
    assert "Quispe" in chosen and "Brown" not in chosen
    assert f'<option value="{partner_institution.pk}" selected>' in chosen
