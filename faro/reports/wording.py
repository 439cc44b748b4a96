"""Turning figures into words: formatted values, the headline sentence, small-number suppression."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from faro.reports.dimensions import Row
from faro.reports.figures import FIGURES, Figure, Value

SMALL = 5  # the public page never describes fewer people than this


def format_value(figure: Figure, value: Value) -> str:
    """A value as people read it in the active language: 3,012 · 41.5% · 4.3 / 5 · —."""
    if value is None:
        return "—"
    if figure.kind == "share":
        return _("%(percent)s%%") % {"percent": number_format(round(100 * value, 1), 1)}
    if figure.kind == "average":
        return _("%(average)s / 5") % {"average": number_format(round(value, 1), 1)}
    return number_format(value, force_grouping=True)


def _n(value: Value) -> str:
    return number_format(value or 0, force_grouping=True)


def headline(values: Mapping[str, Value]) -> str:
    """'401 scholarships to officials from 29 member states for 12 courses; 14 webinars reaching
    3,012 port officers from 27 member states.' — from the figures, in the active language."""
    parts = []
    awarded = int(values.get("scholarships_awarded") or 0)
    if awarded:
        states, courses = int(values.get("scholarship_member_states") or 0), int(values.get("courses") or 0)
        parts.append(
            _("%(scholarships)s to officials from %(states)s for %(courses)s")
            % {
                "scholarships": ngettext("%(n)s scholarship", "%(n)s scholarships", awarded) % {"n": _n(awarded)},
                "states": ngettext("%(n)s member state", "%(n)s member states", states) % {"n": _n(states)},
                "courses": ngettext("%(n)s course", "%(n)s courses", courses) % {"n": _n(courses)},
            }
        )
    held = int(values.get("webinars") or 0)
    if held:
        people, states = int(values.get("webinar_unique_attendees") or 0), int(values.get("webinar_member_states") or 0)
        parts.append(
            _("%(webinars)s reaching %(officers)s from %(states)s")
            % {
                "webinars": ngettext("%(n)s webinar", "%(n)s webinars", held) % {"n": _n(held)},
                "officers": ngettext("%(n)s port officer", "%(n)s port officers", people) % {"n": _n(people)},
                "states": ngettext("%(n)s member state", "%(n)s member states", states) % {"n": _n(states)},
            }
        )
    if not parts:
        return _("No scholarships were awarded and no webinars were held in this period.")
    return _("%(parts)s.") % {"parts": _("; ").join(parts)}


def public_headline(values: Mapping[str, Value]) -> str:
    """The headline, unless it would describe fewer than 5 people (then nothing)."""
    people = [values.get("scholarships_awarded"), values.get("webinar_unique_attendees")]
    if is_empty(values) or any(0 < int(v or 0) < SMALL for v in people):
        return ""
    return headline(values)


def is_empty(values: Mapping[str, Value]) -> bool:
    return all(not v for v in values.values())


@dataclass(frozen=True)
class Shown:
    """A figure as the public page may show it: its text, or 'fewer than 5'."""

    key: str
    label: str
    text: str
    suppressed: bool


def public_value(key: str, value: Value, values: Mapping[str, Value]) -> Shown:
    """Suppress any figure that would describe fewer than 5 people (shares: of fewer than 5)."""
    figure = FIGURES[key]
    base = value
    if figure.kind == "share":
        base = values.get("people_reached")
    elif figure.kind == "average":
        base = values.get("webinar_unique_attendees")
    small = figure.people or figure.kind != "count"
    if small and base is not None and 0 < int(base) < SMALL:
        return Shown(key, str(figure.label), _("fewer than %(n)s") % {"n": SMALL}, True)
    if small and figure.kind == "share" and value is not None and base:
        part = round(float(value) * int(base))
        if 0 < part < SMALL or 0 < int(base) - part < SMALL:
            return Shown(key, str(figure.label), _("fewer than %(n)s") % {"n": SMALL}, True)
    return Shown(key, str(figure.label), format_value(figure, value), False)


def fewer() -> str:
    return _("fewer than %(n)s") % {"n": SMALL}


def _split(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """(shown, hidden): every row under 5 is hidden, and while the hidden rows hold fewer than 5
    people or are a single row, the smallest shown row joins them (secondary suppression)."""
    ordered = sorted((row for row in rows if row.value), key=lambda row: (-row.value, str(row.label)))
    shown = [row for row in ordered if row.value >= SMALL]
    hidden = [row for row in ordered if row.value < SMALL]
    while hidden and shown and (sum(r.value for r in hidden) < SMALL or len(hidden) < 2):
        hidden.append(shown.pop())
    return shown, hidden


def protected_rows(rows: list[Row], other: str) -> list[Row]:
    """Rows safe to publish: the shown rows, then one `other` row (no key) for all hidden ones,
    which never says how many rows it holds. So no suppressed cell can be worked out from the
    total, from the other rows or from how many rows there are."""
    shown, hidden = _split(rows)
    if not hidden:
        return shown
    together = sum(row.value for row in hidden)
    if together < SMALL:  # every row is small: only that there were some
        return [*shown, Row(None, other, 0, 0.0, text=fewer())]
    return [*shown, Row(None, other, together, together / (together + sum(row.value for row in shown)))]


def public_rows(rows: list[Row], other: str) -> list[tuple[str, str]]:
    """(label, value) rows safe to publish (`protected_rows` as text)."""
    return [(row.label, row.text or _n(row.value)) for row in protected_rows(rows, other)]


def protected_table(table: list[list[Any]], other: str) -> list[list[Any]]:
    """A breakdown table (header, then [label, count per figure…]) safe to publish: each column
    suppressed as `protected_rows` does; a hidden cell is left blank (as an absent one is), a row
    hidden in every column is left out, and one `other` row holds each column's hidden total."""
    header, *body = table
    hidden: set[tuple[int, int]] = set()
    others: list[Any] = [None] * (len(header) - 1)
    for column in range(len(header) - 1):
        column_rows = [Row(index, str(row[0]), int(row[column + 1] or 0), 0.0) for index, row in enumerate(body)]
        _shown, small = _split(column_rows)
        hidden |= {(int(row.key), column) for row in small}
        if small:
            together = sum(row.value for row in small)
            others[column] = together if together >= SMALL else fewer()
    kept = []
    for index, row in enumerate(body):
        cells = [None if (index, column) in hidden else cell for column, cell in enumerate(row[1:])]
        if any(cells):
            kept.append([row[0], *cells])
    return [header, *kept, *([[other, *others]] if any(c is not None for c in others) else [])]
