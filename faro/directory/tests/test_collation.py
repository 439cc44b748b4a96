"""Member states and institutions come in the order a reader of the viewer's language expects."""

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faro.accounts.models import User
from faro.directory.models import Institution, MemberState
from faro.lib.collation import collation_key
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request in another language leaves that language active in this thread."""
    yield
    translation.activate("en")


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_member_states_come_in_collation_order_of_their_names(language: str) -> None:
    with translation.override(language):
        names = [state.name for state in MemberState.objects.all()]
    assert len(names) == 35
    assert names == sorted(names, key=lambda name: collation_key(name, language))


def test_english_files_st_kitts_under_saint_not_between_jamaica_and_mexico() -> None:
    with translation.override("en"):
        names = [state.name for state in MemberState.objects.all()]
    assert names.index("Mexico") < names.index("St. Kitts & Nevis") < names.index("Suriname")
    assert names[:3] == ["Antigua & Barbuda", "Argentina", "Bahamas"]


def test_spanish_files_san_cristobal_under_s_and_peru_with_its_accent() -> None:
    with translation.override("es"):
        names = [state.name for state in MemberState.objects.all()]
    assert names.index("Panamá") < names.index("Paraguay") < names.index("Perú")
    assert names.index("República Dominicana") < names.index("San Cristóbal y Nieves") < names.index("Surinam")


def test_french_files_etats_unis_under_e() -> None:
    with translation.override("fr"):
        names = [state.name for state in MemberState.objects.all()]
    assert names.index("Équateur") < names.index("États-Unis") < names.index("Grenade")


def test_an_explicit_order_is_kept() -> None:
    codes = list(MemberState.objects.order_by("code").values_list("code", flat=True))
    assert codes == sorted(codes)
    assert [s.code for s in MemberState.objects.order_by("code")] == sorted(codes)


def test_institutions_with_accents_and_apostrophes_in_order() -> None:
    for name in ["Zona Franca", "École nationale", "Autoridad Portuaria", "O'Higgins Port", "Ólafur"]:
        Institution.objects.create(name=name, kind=Institution.Kind.PORT_AUTHORITY, country_code="CL")
    names = [i.name for i in Institution.objects.filter(country_code="CL")]
    assert names == ["Autoridad Portuaria", "École nationale", "O'Higgins Port", "Ólafur", "Zona Franca"]


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_the_webinar_registration_form_lists_member_states_in_order(client: Client, language: str) -> None:
    webinar = make_webinar()
    client.cookies["faro_language"] = language
    html = client.get(reverse("webinars:register", args=[webinar.pk])).content.decode()
    with translation.override(language):
        expected = [s.name for s in MemberState.objects.all()]
    positions = [html.index(f">{name}</option>".replace("&", "&amp;")) for name in expected]
    assert positions == sorted(positions)


def test_the_people_filter_lists_member_states_in_order(client: Client, staff: User) -> None:
    client.force_login(staff)
    client.cookies["faro_language"] = "es"
    html = client.get(reverse("directory:people")).content.decode()
    assert html.index(">Bahamas<") < html.index(">Belice<") < html.index(">Brasil<")
