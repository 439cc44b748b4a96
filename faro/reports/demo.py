"""Demo: nothing to load — print the 2020 headline, computed from the programmes' demo records."""

from collections.abc import Callable

from faro.reports.audience import EVERYTHING
from faro.reports.figures import values_for
from faro.reports.periods import calendar_year
from faro.reports.wording import headline


def load(out: Callable[[str], None]) -> None:
    out(f"Reports: 2020 — {headline(values_for(calendar_year(2020), EVERYTHING))}")
