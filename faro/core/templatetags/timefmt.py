"""`{% load timefmt %}` — every deadline and start time on a page or in a mail, written one way.

`{{ deadline|moment }}` (the viewer's zone), `{{ deadline|moment_for:person }}` (a mail's
recipient's zone, UTC beside it), `{{ start|moment_in:"America/Lima" }}`; for a start and end
`{% moment_span start end %}`, `{% moment_span start end person=person %}`, `… zone="…" %}`.
"""

import datetime

from django import template

from faro.core.timefmt import HasZone, format_moment, format_span, zone_for, zone_name

register = template.Library()


@register.filter
def moment(value: datetime.datetime | None) -> str:
    return format_moment(value)


@register.filter
def moment_for(value: datetime.datetime | None, person: HasZone | None) -> str:
    return format_moment(value, zone_for(person), with_utc=True)


@register.filter
def moment_in(value: datetime.datetime | None, zone: str) -> str:
    return format_moment(value, zone or None)


@register.filter
def zone_label(zone: datetime.tzinfo | str) -> str:
    return zone_name(zone)


@register.simple_tag
def moment_span(start: datetime.datetime, end: datetime.datetime, person: HasZone | None = None, zone: str = "") -> str:
    if person is not None:
        return format_span(start, end, zone_for(person), with_utc=True)
    return format_span(start, end, zone or None)
