"""The annual report as files: an XLSX workbook (one sheet per breakdown) and a printable PDF.

Both are built from `values_for` and `figure_breakdown`, in the active language; callers wrap
them in `translation.override(language)`.
"""

import io
from collections.abc import Sequence
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faro.lib.xlsx import workbook_bytes
from faro.reports.audience import Audience
from faro.reports.dimensions import DIMENSIONS, Row
from faro.reports.figures import FIGURES, Value, available_figures, figure_breakdowns, values_for
from faro.reports.periods import Period
from faro.reports.wording import format_value, headline, protected_table, public_headline, public_value

OTHERS = gettext_lazy("Others together")  # the row of a suppressed table that holds its small rows

# The figures a breakdown table shows in the PDF (the workbook has every figure).
PDF_COLUMNS = ("people_reached", "scholarships_awarded", "webinar_unique_attendees", "meeting_participants")
# The breakdowns the PDF also draws, as a bar chart of the people reached (its first column).
PDF_CHARTS = ("member_state", "region_cip")


def title(period: Period, audience: Audience) -> str:
    if audience.is_everything:
        return _("The year in numbers: %(period)s") % {"period": period.label}
    return _("The year in numbers: %(period)s — %(audience)s") % {"period": period.label, "audience": audience.label}


def breakdown_tables(
    keys: Sequence[str],
    period: Period,
    audience: Audience,
    values: dict[str, Value],
    known: dict[str, dict[str, list[Row]]],
) -> dict[str, list[list[Any]]]:
    """For each dimension, one row per value and one column per figure (counts; blank when
    absent). `values` and `known` come from `values_for`: the breakdowns need not count them again."""
    found = {k: figure_breakdowns(k, period, audience, total=int(values[k] or 0), known=known.get(k)) for k in keys}
    return {d: _table(d, [(k, found[k][d]) for k in keys if d in found[k]]) for d in DIMENSIONS}


def _summary(values: dict[str, Value], exact: bool) -> tuple[str, list[tuple[str, Any, str]]]:
    """The headline and (label, value, shown text) per figure; suppressed unless `exact`."""
    if exact:
        return headline(values), [(k, _raw(k, v), format_value(FIGURES[k], v)) for k, v in values.items()]
    shown = [public_value(k, v, values) for k, v in values.items()]
    return public_headline(values), [
        (s.key, s.text if s.suppressed else _raw(s.key, values[s.key]), s.text) for s in shown
    ]


def _tables(
    keys: Sequence[str], period: Period, audience: Audience, values: dict[str, Value], known: Any, exact: bool
) -> dict[str, list[list[Any]]]:
    tables = breakdown_tables(keys, period, audience, values, known)
    return tables if exact else {d: protected_table(t, str(OTHERS)) for d, t in tables.items()}


def _table(dimension: str, columns: list[tuple[str, list[Row]]]) -> list[list[Any]]:
    table: dict[Any, list[Any]] = {}
    labels: dict[Any, str] = {}
    for index, (_key, rows) in enumerate(columns):
        for row in rows:
            labels[row.key] = row.label
            table.setdefault(row.key, [None] * len(columns))[index] = row.value
    header = [str(DIMENSIONS[dimension].label), *[str(FIGURES[k].label) for k, _rows in columns]]
    body = sorted(([labels[k], *cells] for k, cells in table.items()), key=lambda r: str(r[0]))
    return [header, *body]


def _raw(key: str, value: Value) -> Any:
    if value is None:
        return None
    return round(100 * value, 1) if FIGURES[key].kind == "share" else value


def xlsx_bytes(period: Period, audience: Audience, *, exact: bool = True) -> bytes:
    """A sheet with every figure, then one sheet per breakdown (every figure that applies); small
    numbers suppressed unless `exact` (see `audience.sees_exact_figures`)."""
    known: dict[str, dict[str, list[Row]]] = {}
    values = values_for(period, audience, breakdowns=known)
    sentence, figures = _summary(values, exact)
    summary = [[str(FIGURES[k].label), raw, str(FIGURES[k].definition)] for k, raw, _text in figures]
    sheets: list[tuple[str, Sequence[Any], list[list[Any]]]] = [
        (_("Figures"), [_("Figure"), _("Value (shares in %)"), _("Definition")], summary),
        (_("Headline"), [title(period, audience)], [[sentence]]),
    ]
    keys = [f.key for f in available_figures() if f.breakable]
    tables = _tables(keys, period, audience, values, known, exact)
    for dimension in DIMENSIONS.values():
        header, *rows = tables[dimension.key]
        sheets.append((str(dimension.label), header, rows))
    return workbook_bytes(sheets)


def pdf_bytes(period: Period, audience: Audience, *, exact: bool = True) -> bytes:
    """A printable A4 report: title, headline sentence, every figure, then the breakdowns (small
    numbers suppressed unless `exact`)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    styles = getSampleStyleSheet()
    known: dict[str, dict[str, list[Row]]] = {}
    values = values_for(period, audience, breakdowns=known)
    sentence, figures = _summary(values, exact)
    grid = TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#deebf7")),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
    )

    def table(rows: list[list[Any]], widths: list[float] | None = None) -> Table:
        cells = [[Paragraph(_text(c), styles["BodyText"]) if isinstance(c, str) else _text(c) for c in r] for r in rows]
        result = Table(cells, colWidths=widths, repeatRows=1)
        result.setStyle(grid)
        return result

    story: list[Any] = [
        Paragraph(_escape(title(period, audience)), styles["Title"]),
        Paragraph(_escape(sentence), styles["Heading3"]),
        Spacer(1, 4 * mm),
        table(
            [[_("Figure"), _("Value")]] + [[str(FIGURES[k].label), text] for k, _raw, text in figures],
            [110 * mm, 50 * mm],
        ),
    ]
    tables = _tables([k for k in PDF_COLUMNS if k in values], period, audience, values, known, exact)
    for dimension in DIMENSIONS.values():
        rows = tables[dimension.key]
        story += [Paragraph(_escape(str(dimension.label)), styles["Heading2"])]
        bars = [(str(r[0]), r[1]) for r in rows[1:] if isinstance(r[1], int) and r[1]]
        if dimension.key in PDF_CHARTS and bars and "people_reached" in values:
            about = {"figure": FIGURES["people_reached"].label, "dimension": dimension.label}
            story += [Paragraph(_escape(_("%(figure)s by %(dimension)s") % about), styles["Heading4"])]
            story += [bar_drawing(sorted(bars, key=lambda bar: -bar[1]), width=170 * mm)]
        story += [
            table(rows) if len(rows) > 1 else Paragraph(_escape(_("No records in this period.")), styles["BodyText"])
        ]
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=A4, title=title(period, audience), author="CIP · OAS", leftMargin=18 * mm, rightMargin=18 * mm
    )
    document.build(story)
    return buffer.getvalue()


def bar_drawing(bars: list[tuple[str, int]], *, width: float) -> Any:
    """Horizontal bars, one per (label, value), first at the top: reportlab's own graphics, so
    the chart is vector drawing in the PDF (it prints sharply and its labels are text)."""
    from reportlab.graphics.charts.barcharts import HorizontalBarChart
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib import colors

    bar_height, label_width = 11, width * 0.3
    drawing = Drawing(width, bar_height * len(bars) + 24)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 14
    chart.width, chart.height = width - label_width - 10, bar_height * len(bars)
    chart.data = [[value for _label, value in reversed(bars)]]  # drawn from the bottom up
    chart.categoryAxis.categoryNames = [label[:40] for label, _value in reversed(bars)]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labels.fontSize = 7
    chart.bars[0].fillColor = colors.HexColor("#3182bd")
    chart.bars.strokeColor = None
    drawing.add(chart)
    return drawing


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, int):
        return number_format(value, force_grouping=True)
    return _escape(str(value))
