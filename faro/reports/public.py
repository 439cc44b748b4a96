"""What the public may see: the published years and a year's figures with small numbers suppressed.

The impact page, the public API (`reports/impact/`) and its workbook (`public_workbook`) all call
`public_report`, so the suppression rule is one rule (`wording.public_value`, `public_rows`).
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from faro.lib.xlsx import workbook_bytes
from faro.reports.audience import EVERYTHING
from faro.reports.dimensions import DIMENSIONS
from faro.reports.figures import figure_breakdown, latest_year, values_for
from faro.reports.models import PublishedYear
from faro.reports.periods import calendar_year
from faro.reports.wording import Shown, is_empty, public_headline, public_rows, public_value

TABLES = {
    "member_state": gettext_lazy("Other member states"),
    "region_m49": gettext_lazy("Other regions"),
    "gender": gettext_lazy("Other or not stated"),
}


@dataclass(frozen=True)
class PublicReport:
    year: int
    empty: bool
    headline: str
    shown: list[Shown]
    tables: list[tuple[str, list[tuple[str, str]]]]  # (dimension label, rows)


def default_year() -> int:
    """The last complete year with results (what the page shows before staff publish any)."""
    return latest_year(timezone.localdate().year - 1)


def published_years() -> list[int]:
    """The years the public may open, latest first: those staff published, else the default."""
    years = list(PublishedYear.objects.values_list("year", flat=True))
    return sorted(years, reverse=True) if years else [default_year()]


def public_year(asked: str | int | None) -> int:
    """The year asked for if it is published, else the latest published one."""
    years, text = published_years(), str(asked or "")
    return int(text) if text.isdigit() and int(text) in years else years[0]


def public_report(year: int) -> PublicReport:
    """A year's aggregates as the public may see them (suppressed under 5 people)."""
    period = calendar_year(year)
    values = values_for(period, EVERYTHING)
    reached = int(values.get("people_reached") or 0)
    tables = [
        (
            str(DIMENSIONS[d].label),
            public_rows(figure_breakdown("people_reached", d, period, EVERYTHING, total=reached), str(other)),
        )
        for d, other in TABLES.items()
    ]
    shown = [public_value(k, v, values) for k, v in values.items()]
    return PublicReport(year, is_empty(values), public_headline(values), shown, tables)


def public_workbook(report: PublicReport) -> bytes:
    """The impact page as a workbook: the same suppressed figures and tables, nothing more."""
    figures = (_("Figures"), [_("Figure"), _("Value")], [(item.label, item.text) for item in report.shown])
    tables = [(label, [label, _("People reached")], rows) for label, rows in report.tables]
    return workbook_bytes([figures, *tables])
