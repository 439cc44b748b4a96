"""Charts and the map as server-rendered SVG: no script, no request to another host, prints well.

Every chart comes with a table alternative in the template (`reports/_chart.html`); the SVG
itself is `role="img"` with a title, and each bar or state carries its own <title>.
"""

import json
from functools import cache
from pathlib import Path
from typing import Any

from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe

from faro.directory.models import country_name

# Sequential palette (light → dark), readable in greyscale print.
SHADES = ["#deebf7", "#9ecae1", "#6baed6", "#3182bd", "#08519c"]
EMPTY = "#f0f0f0"
MAP_FILE = Path(__file__).parent / "data" / "americas.json"


def bar_chart(rows: list[tuple[str, int]], *, title: str, chart_id: str) -> SafeString:
    """Horizontal bars, one per (label, value), scaled to the largest value."""
    width, label_width, bar_height, gap = 640, 220, 18, 6
    top = max((value for _label, value in rows), default=0) or 1
    height = max(len(rows), 1) * (bar_height + gap)
    parts: list[str] = [
        format_html(
            '<svg class="chart" role="img" aria-labelledby="{0}-title" viewBox="0 0 {1} {2}" '
            'xmlns="http://www.w3.org/2000/svg"><title id="{0}-title">{3}</title>',
            chart_id,
            width,
            height,
            title,
        )
    ]
    for index, (label, value) in enumerate(rows):  # f-strings: format_html per bar costs 10× more
        y, name, short = index * (bar_height + gap), conditional_escape(label), conditional_escape(label[:32])
        length = round((width - label_width - 60) * value / top, 1)
        parts.append(
            f'<g><title>{name}: {value}</title><text x="{label_width - 6}" y="{y + bar_height - 4}" '
            f'text-anchor="end" font-size="12">{short}</text><rect x="{label_width}" y="{y}" width="{length}" '
            f'height="{bar_height}" fill="{SHADES[3]}"></rect>'
            f'<text x="{label_width + length + 4}" y="{y + bar_height - 4}" font-size="12">{value}</text></g>'
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


@cache
def _map_data() -> dict[str, Any]:
    shapes: dict[str, Any] = json.loads(MAP_FILE.read_text())
    return shapes


def shade(value: int, top: int) -> str:
    if not value or not top:
        return EMPTY
    return SHADES[min(len(SHADES) - 1, int(len(SHADES) * value / (top + 1)))]


def reach_map(values: dict[str, int], *, title: str, map_id: str = "reach-map", unshown: str = "") -> SafeString:
    """The 35 member states shaded by `values` (ISO code → count); small islands as dots. With
    `unshown`, a state missing from `values` is labelled so (its count suppressed), not 0."""
    data = _map_data()
    top = max(values.values(), default=0)
    parts: list[str] = [
        format_html(
            '<svg class="map" role="img" aria-labelledby="{0}-title" viewBox="0 0 {1} {2}" '
            'xmlns="http://www.w3.org/2000/svg"><title id="{0}-title">{3}</title>'
            '<path d="{4}" fill="#e6e6e6" stroke="#fff" stroke-width=".5"></path>',
            map_id,
            data["width"],
            data["height"],
            title,
            data["other"],
        )
    ]
    for code, state in sorted(data["states"].items()):
        value = values.get(code, 0)
        label = f"{country_name(code)}: {unshown if unshown and code not in values else value}"
        fill = shade(value, top)
        shape = escape(state["d"])
        if state["d"]:
            parts.append(
                f'<path d="{shape}" fill="{fill}" stroke="#555" stroke-width=".4"><title>{escape(label)}</title></path>'
            )
        if state["small"]:
            parts.append(
                f'<circle cx="{state["cx"]}" cy="{state["cy"]}" r="4" fill="{fill}" stroke="#333" stroke-width=".6">'
                f"<title>{escape(label)}</title></circle>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def legend(top: int) -> list[tuple[str, int, int]]:
    """(colour, from, to) for each shade used by `shade` at this maximum. `shade` grows with the
    value, so each colour holds one run of values: its last is found by bisection, not by a walk."""
    classes: list[tuple[str, int, int]] = []
    low = 1
    while low <= top:
        colour, high, beyond = shade(low, top), low, top + 1
        while beyond - high > 1:  # shade(high) is colour; shade(beyond) is not (or beyond > top)
            middle = (high + beyond) // 2
            high, beyond = (middle, beyond) if shade(middle, top) == colour else (high, middle)
        classes.append((colour, low, high))
        low = high + 1
    return classes
