"""The dashboard's fast paths give what the slow ones gave: the chart tables formatted in Python as
the template's filters format them, the bars without format_html, the legend by bisection."""

import random

import pytest
from django.template import engines
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from faro.reports.charts import SHADES, bar_chart, legend, shade
from faro.reports.dashboard import table_cells
from faro.reports.dimensions import Row

ROW_TEMPLATE = (
    '{% for row in rows %}<th scope="row">{{ row.label }}</th>'
    "<td>{% if row.text %}{{ row.text }}{% else %}{{ row.value }}{% endif %}</td>"
    '<td>{% if row.text %}—{% else %}{{ row.share|floatformat:"1" }}{% endif %}</td>{% endfor %}'
)
CELL_TEMPLATE = (
    '{% for label, number, share in cells %}<th scope="row">{{ label }}</th>'
    "<td>{{ number }}</td><td>{{ share }}</td>{% endfor %}"
)
ROWS = [
    Row("JM", "Jamaica", 12345, 0.4567),
    Row("BR", "Brasil & <Co>", 7, 0.05),
    Row("MX", "México", 1, 0.25),
    Row("PE", "Perú", 3, 0.149999),
    Row("", "Not stated", 0, 0.0),
    Row(None, "Others together", 0, 0.0, text="fewer than 5"),
    Row(None, "Others together", 9, 0.0999),
]


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_the_table_cells_read_as_the_templates_filters_wrote_them(language: str) -> None:
    engine = engines["django"]
    with translation.override(language):
        slow = engine.from_string(ROW_TEMPLATE).render({"rows": ROWS})
        fast = engine.from_string(CELL_TEMPLATE).render({"cells": table_cells(ROWS)})
    assert fast == slow


def test_the_legend_is_the_walk_over_every_value() -> None:
    def walked(top: int) -> list[tuple[str, int, int]]:
        classes: dict[str, list[int]] = {}
        for value in range(1, top + 1):
            classes.setdefault(shade(value, top), []).append(value)
        return [(colour, values[0], values[-1]) for colour, values in classes.items()]

    tops = [*range(0, 300), 999, 1000, 1001, 4999, 5000, 12345, *random.Random(17).sample(range(300, 200_000), 40)]
    for top in tops:
        assert legend(top) == walked(top), top


def _bars_with_format_html(rows: list[tuple[str, int]], *, title: str, chart_id: str) -> SafeString:
    """The bar chart as it was written with format_html (the reference)."""
    width, label_width, bar_height, gap = 640, 220, 18, 6
    top = max((value for _label, value in rows), default=0) or 1
    height = max(len(rows), 1) * (bar_height + gap)
    parts = [
        format_html(
            '<svg class="chart" role="img" aria-labelledby="{0}-title" viewBox="0 0 {1} {2}" '
            'xmlns="http://www.w3.org/2000/svg"><title id="{0}-title">{3}</title>',
            chart_id,
            width,
            height,
            title,
        )
    ]
    for index, (label, value) in enumerate(rows):
        y = index * (bar_height + gap)
        length = round((width - label_width - 60) * value / top, 1)
        parts.append(
            format_html(
                '<g><title>{0}: {1}</title><text x="{2}" y="{3}" text-anchor="end" font-size="12">{4}</text>'
                '<rect x="{5}" y="{6}" width="{7}" height="{8}" fill="{9}"></rect>'
                '<text x="{10}" y="{3}" font-size="12">{1}</text></g>',
                label,
                value,
                label_width - 6,
                y + bar_height - 4,
                label[:32],
                label_width,
                y,
                length,
                bar_height,
                SHADES[3],
                label_width + length + 4,
            )
        )
    return mark_safe("".join([*parts, "</svg>"]))


def test_the_bars_are_those_format_html_wrote() -> None:
    labels = ["Jamaica", "<Ports & Cities>", 'Said "hi"', "São Tomé — Ñandú", "x" * 50, "", mark_safe("<b>b</b>")]
    pick = random.Random(17)
    for _ in range(200):
        rows = [(pick.choice(labels), pick.randint(0, 5000)) for _ in range(pick.randint(0, 40))]
        fast = bar_chart(rows, title="Attendees & <others>", chart_id="breakdown")
        assert fast == _bars_with_format_html(rows, title="Attendees & <others>", chart_id="breakdown")
