"""Table cells written in Python as the template engine writes them, for the rows of staff lists.

A staff list shows 25 to 50 rows of five or six cells; through the template engine each cell is a
variable lookup, a filter and autoescaping, and the rows cost more than the rest of the page. A view
that writes its rows with these helpers gives the same bytes as its template did: `text` is
`{{ value }}`, `or_dash` is `{{ value|default:"—" }}` and `date_text` is `{{ value|date:format }}`, with
autoescaping on, localisation and the active time zone as the engine applies them. Each table keeps a
test that renders its old row template beside the Python rows (`faro/tests/test_python_rows.py`).
"""

import html
from typing import Any

from django.utils.formats import date_format, localize
from django.utils.html import conditional_escape
from django.utils.timezone import template_localtime  # type: ignore[attr-defined]  # not in django-stubs

DASH = "—"


def text(value: Any) -> str:
    """`{{ value }}`: in the active time zone, localised, turned into text and escaped unless safe."""
    if type(value) is str:
        return html.escape(value)
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)  # as the engine does: an object's own __html__ is not consulted
    return str(conditional_escape(value))


def or_dash(value: Any) -> str:
    """`{{ value|default:"—" }}`."""
    return text(value) if value else DASH


def date_text(value: Any, format_name: str) -> str:
    """`{{ value|date:"FORMAT" }}` for a date or datetime (empty for None), in the active time zone."""
    if value is None or value == "":
        return ""
    return html.escape(date_format(template_localtime(value), format_name))
