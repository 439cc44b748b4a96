"""One way to write a moment: every deadline and start time on pages, in mails, calendar files and PDFs.

`format_moment(value, zone)` writes the date and time in a zone with the zone's name as people
say it in their language ("10 de julio de 2020 a las 07:00, hora de Jamaica (UTC−5)"); with
`with_utc=True` it adds the time in UTC beside it ("· 12:00 UTC"), which mails always do. `zone_for(person)` is the
zone a mail to that person uses: their profile's, else their member state's capital's, else UTC.
The template filters in `faro.core.templatetags.timefmt` call these.

Mails are rendered when the write commits, inside the request of whoever caused them (a staff
member publishing results); formatting in "the current time zone" there wrote the staff
member's time under the recipient's name. Everything here takes the zone explicitly.
"""

import contextlib
import datetime
import functools
import zoneinfo
from collections.abc import Mapping
from typing import Protocol

from babel.core import get_global
from babel.dates import get_timezone_location
from django.utils import timezone, translation
from django.utils.formats import date_format

UTC = zoneinfo.ZoneInfo("UTC")
MINUS = "\u2212"

# The zone of each OAS member state's capital (ISO 3166 code → IANA zone).
CAPITAL_ZONES: dict[str, str] = {
    "AG": "America/Antigua",
    "AR": "America/Argentina/Buenos_Aires",
    "BS": "America/Nassau",
    "BB": "America/Barbados",
    "BZ": "America/Belize",
    "BO": "America/La_Paz",
    "BR": "America/Sao_Paulo",
    "CA": "America/Toronto",
    "CL": "America/Santiago",
    "CO": "America/Bogota",
    "CR": "America/Costa_Rica",
    "CU": "America/Havana",
    "DM": "America/Dominica",
    "DO": "America/Santo_Domingo",
    "EC": "America/Guayaquil",
    "SV": "America/El_Salvador",
    "GD": "America/Grenada",
    "GT": "America/Guatemala",
    "GY": "America/Guyana",
    "HT": "America/Port-au-Prince",
    "HN": "America/Tegucigalpa",
    "JM": "America/Jamaica",
    "MX": "America/Mexico_City",
    "NI": "America/Managua",
    "PA": "America/Panama",
    "PY": "America/Asuncion",
    "PE": "America/Lima",
    "KN": "America/St_Kitts",
    "LC": "America/St_Lucia",
    "VC": "America/St_Vincent",
    "SR": "America/Paramaribo",
    "TT": "America/Port_of_Spain",
    "US": "America/New_York",
    "UY": "America/Montevideo",
    "VE": "America/Caracas",
}


class Country(Protocol):
    @property
    def code(self) -> str: ...


class HasZone(Protocol):
    """A person (as `faro.directory.models.Person`): a profile zone and a member state."""

    @property
    def timezone(self) -> str: ...

    @property
    def member_state(self) -> Country | None: ...


@functools.cache
def _known() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@functools.cache
def canonical_zones() -> tuple[str, ...]:
    """The zones CLDR names a territory for (no deprecated aliases, no Etc/…), sorted."""
    territories: Mapping[str, str] = get_global("zone_territories")
    return tuple(sorted(z for z in territories if z in _known() and "/" in z and not z.startswith("Etc/")))


def canonical(name: str | None) -> str | None:
    """The canonical zone for a name a browser or profile gives (an alias becomes its zone), or None."""
    if not name:
        return None
    if name == "UTC":
        return name
    name = get_global("zone_aliases").get(name, name)
    return name if name in _known() else None


def zone_for(person: HasZone | None) -> zoneinfo.ZoneInfo:
    """A person's zone: their profile's, else their member state's capital's, else UTC."""
    name = canonical(getattr(person, "timezone", "") or None)
    country = getattr(person, "member_state", None)
    name = name or CAPITAL_ZONES.get(getattr(country, "code", "") or "")
    return zoneinfo.ZoneInfo(name) if name else UTC


def _locale(language: str | None = None) -> str:
    code = language or translation.get_language() or "en"
    return "pt_BR" if code.lower().startswith("pt") else translation.to_locale(code)


def utc_offset(zone: datetime.tzinfo, moment: datetime.datetime | None = None) -> str:
    """ "UTC−5", "UTC+5:30", "UTC" — the offset at that moment (with the real minus sign)."""
    offset = (moment or timezone.now()).astimezone(zone).utcoffset() or datetime.timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    if not minutes:
        return "UTC"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{MINUS if minutes < 0 else '+'}{hours}" + (f":{rest:02d}" if rest else "")


def zone_name(zone: datetime.tzinfo | str, moment: datetime.datetime | None = None, language: str | None = None) -> str:
    """The zone as people say it, with its offset: "hora de Jamaica (UTC−5)"; "UTC" for UTC."""
    zone = zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone
    key = getattr(zone, "key", "UTC")
    if key in ("UTC", "Etc/UTC"):
        return "UTC"
    try:
        place = get_timezone_location(key, locale=_locale(language))
    except LookupError:
        place = key.replace("_", " ")
    return f"{place} ({utc_offset(zone, moment)})"


def format_moment(
    value: datetime.datetime | None,
    zone: datetime.tzinfo | str | None = None,
    *,
    with_utc: bool = False,
    language: str | None = None,
) -> str:
    """The one way Faro writes a date and time: in `zone` (default: the viewer's current zone),
    followed by the zone's name; `with_utc` adds the same moment in UTC (mails)."""
    if value is None:
        return ""
    zone = zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone or timezone.get_current_timezone()
    with translation.override(language) if language else contextlib.nullcontext():
        here, utc = value.astimezone(zone), value.astimezone(UTC)
        text = f"{date_format(here, 'DATETIME_FORMAT')}, {zone_name(zone, value)}"
        if not with_utc or utc_offset(zone, value) == "UTC":
            return text
        beside = date_format(utc, "TIME_FORMAT" if utc.date() == here.date() else "DATETIME_FORMAT")
        return f"{text} · {beside} UTC"


def format_span(
    start: datetime.datetime,
    end: datetime.datetime,
    zone: datetime.tzinfo | str | None = None,
    *,
    with_utc: bool = False,
    language: str | None = None,
) -> str:
    """A start and end the same way: "3 June 2020, 10:00 – 11:30, hora de Perú (UTC−5) · 15:00 UTC"."""
    zone = zoneinfo.ZoneInfo(zone) if isinstance(zone, str) else zone or timezone.get_current_timezone()
    with translation.override(language) if language else contextlib.nullcontext():
        return _span(start, end, zone, with_utc, translation.get_language())


@functools.lru_cache(maxsize=256)
def _span(
    start: datetime.datetime, end: datetime.datetime, zone: datetime.tzinfo, with_utc: bool, language: str | None
) -> str:
    """`format_span` in the active `language`, written once per process for each webinar, zone and
    language: every registrant's mail about a webinar carries the same lines."""
    here, until = start.astimezone(zone), end.astimezone(zone)
    ends = date_format(until, "TIME_FORMAT" if until.date() == here.date() else "DATETIME_FORMAT")
    text = f"{date_format(here, 'DATETIME_FORMAT')} – {ends}, {zone_name(zone, start)}"
    if not with_utc or utc_offset(zone, start) == "UTC":
        return text
    return f"{text} · {date_format(start.astimezone(UTC), 'TIME_FORMAT')} UTC"


def time_zone_choices(language: str | None = None) -> list[tuple[str, str]]:
    """(zone, label) for the time-zone setting: UTC, then the member states' zones by name in the
    viewer's language, then every other canonical zone."""
    return list(_choices(language or translation.get_language() or "en", timezone.now().date()))


@functools.lru_cache(maxsize=16)
def _choices(language: str, day: datetime.date) -> tuple[tuple[str, str], ...]:  # offsets change with DST
    territories: Mapping[str, str] = get_global("zone_territories")
    zones = canonical_zones()
    members = [z for z in zones if territories.get(z) in CAPITAL_ZONES]
    others = [z for z in zones if z not in set(members)]

    def labelled(names: list[str]) -> list[tuple[str, str]]:
        return sorted(((z, zone_name(z, language=language)) for z in names), key=lambda pair: pair[1].casefold())

    return (("UTC", "UTC"), *labelled(members), *labelled(others))
