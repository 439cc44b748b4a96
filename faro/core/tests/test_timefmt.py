"""One way to write a moment, in zones people recognise."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

from faro.core.middleware import TIMEZONE_COOKIE, viewer_time_zone
from faro.core.timefmt import (
    CAPITAL_ZONES,
    canonical,
    format_moment,
    format_span,
    time_zone_choices,
    zone_for,
    zone_name,
)

NOON = datetime.datetime(2020, 7, 10, 12, 0, tzinfo=datetime.UTC)


def person(zone: str = "", code: str | None = None) -> SimpleNamespace:
    return SimpleNamespace(timezone=zone, member_state=SimpleNamespace(code=code) if code else None)


def test_a_persons_zone_is_their_profiles_else_their_capitals_else_utc() -> None:
    assert zone_for(person("America/Santiago", "JM")).key == "America/Santiago"
    assert zone_for(person("", "JM")).key == "America/Jamaica"
    assert zone_for(person("Not/AZone", "PE")).key == "America/Lima"
    assert zone_for(person()).key == "UTC"
    assert zone_for(None).key == "UTC"
    assert len(CAPITAL_ZONES) == 35


def test_mails_write_the_recipients_time_with_utc_beside_it_in_their_language() -> None:
    text = format_moment(NOON, zone_for(person("", "JM")), with_utc=True, language="es")
    assert text == "10 de julio de 2020 a las 07:00, hora de Jamaica (UTC\u22125) · 12:00 UTC"
    assert format_moment(NOON, "UTC", with_utc=True, language="es") == "10 de julio de 2020 a las 12:00, UTC"
    assert format_moment(None) == ""


def test_a_span_names_its_zone_once() -> None:
    end = NOON + datetime.timedelta(minutes=90)
    text = format_span(NOON, end, "America/Lima", with_utc=True, language="en")
    assert text == "July 10, 2020, 7 a.m. – 8:30 a.m., Peru Time (UTC\u22125) · noon UTC"


def test_zone_names_are_as_people_say_them() -> None:
    assert zone_name("America/Jamaica", NOON, "es") == "hora de Jamaica (UTC\u22125)"
    assert zone_name("Asia/Kolkata", NOON, "en") == "India Time (UTC+5:30)"
    assert zone_name("UTC") == "UTC"


def test_the_setting_offers_member_states_zones_first_and_no_aliases() -> None:
    with translation.override("es"):
        choices = time_zone_choices()
    zones = [zone for zone, _label in choices]
    assert zones[0] == "UTC"
    assert "America/Buenos_Aires" not in zones  # a deprecated alias of America/Argentina/Buenos_Aires
    assert "America/Argentina/Buenos_Aires" in zones
    assert not [z for z in zones if z.startswith(("Etc/", "US/", "SystemV/"))]
    members = zones.index("America/Jamaica")
    assert members < zones.index("Europe/Madrid")
    assert dict(choices)["America/Jamaica"] == zone_name("America/Jamaica", language="es")
    assert len(zones) == len(set(zones))


def test_a_zone_the_browser_reports_that_faro_does_not_list_is_handled(client: Client) -> None:
    request = RequestFactory().get("/", HTTP_COOKIE=f"{TIMEZONE_COOKIE}=America/Buenos_Aires")
    assert viewer_time_zone(request) == "America/Argentina/Buenos_Aires"
    request = RequestFactory().get("/", HTTP_COOKIE=f"{TIMEZONE_COOKIE}=Mars/Olympus_Mons")
    assert viewer_time_zone(request) is None
    assert canonical("Mars/Olympus_Mons") is None


@pytest.mark.django_db
def test_a_page_with_an_unknown_browser_zone_shows_utc(client: Client) -> None:
    client.cookies[TIMEZONE_COOKIE] = "Mars/Olympus_Mons"
    assert client.get("/").status_code == 200
