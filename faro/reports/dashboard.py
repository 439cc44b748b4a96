"""The dashboard's figures for one request: every value, the chosen breakdown and the reach by
member state, kept in the shared cache until any audited write commits.

Computing them costs a score of aggregate queries; reading them back costs one cache hit. The key
holds everything the figures depend on — the site version (`faro.core.pagecache.site_version`,
bumped when any audited write commits, so a change shows at once), the period, whose programmes
(the audience's institutions and member states), whether small numbers are suppressed, the
breakdown and the language of the labels — so one audience's figures are never served to
another. Time alone changes none of them, but an entry lives at most `PAGE_CACHE_SECONDS`, as
public pages do (0 turns both off). Only numbers and their text (labels, formatted numbers) are kept, never HTML.
"""

import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.template.defaultfilters import floatformat
from django.utils import translation
from django.utils.formats import localize

from faro.core import pagecache
from faro.reports.audience import Audience
from faro.reports.dimensions import Row
from faro.reports.exports import OTHERS
from faro.reports.figures import Value, figure_breakdown, state_rows, values_for
from faro.reports.periods import Period
from faro.reports.wording import protected_rows

DEFAULT_BREAKDOWN = ("people_reached", "member_state")


Cell = tuple[str, str, str]  # a row of a chart's table as text: label, number, share


@dataclass(frozen=True)
class DashboardFigures:
    values: dict[str, Value]
    rows: list[Row]  # the chosen figure by the chosen dimension
    reach_rows: list[Row]  # the people reached by member state
    cells: list[Cell]  # `rows` as the table under the chart shows them
    reach_cells: list[Cell]  # `reach_rows` as the table under the map shows them


def dashboard_figures(period: Period, audience: Audience, key: str, dimension: str, *, exact: bool) -> DashboardFigures:
    """The figures of the period for the audience, from the cache when nothing was written since."""
    version = pagecache.site_version() if settings.PAGE_CACHE_SECONDS else None
    if version is None:
        return computed_figures(period, audience, key, dimension, exact=exact)
    entry_key = figures_key(version, period, audience, key, dimension, exact=exact)
    found = cache.get(entry_key)
    if isinstance(found, DashboardFigures):
        return found
    figures = computed_figures(period, audience, key, dimension, exact=exact)
    cache.set(entry_key, figures, timeout=settings.PAGE_CACHE_SECONDS)
    return figures


def figures_key(version: int, period: Period, audience: Audience, key: str, dimension: str, *, exact: bool) -> str:
    """Everything the figures depend on; the audience by its ids (its label is not a figure)."""
    whose = [sorted(ids) if ids is not None else None for ids in (audience.institution_ids, audience.member_state_ids)]
    parts = [version, period.start, period.end, whose, exact, key, dimension, translation.get_language()]
    return "faro:reports:dashboard:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def computed_figures(period: Period, audience: Audience, key: str, dimension: str, *, exact: bool) -> DashboardFigures:
    """The figures counted now; small numbers suppressed unless `exact`."""
    reach: dict[str | None, int] = {}
    known: dict[str, dict[str, list[Row]]] = {}
    same = (key, dimension) == DEFAULT_BREAKDOWN  # the default: count it once
    values = values_for(period, audience, reach=reach, breakdowns=None if same else known)
    reach_rows = state_rows(reach)
    if same:
        rows = reach_rows
    elif dimension in known.get(key, {}):
        rows = known[key][dimension]
    else:
        rows = figure_breakdown(key, dimension, period, audience, total=int(values.get(key) or 0))
    if not exact:
        rows, reach_rows = protected_rows(rows, str(OTHERS)), protected_rows(reach_rows, str(OTHERS))
    return DashboardFigures(values, rows, reach_rows, table_cells(rows), table_cells(reach_rows))


def table_cells(rows: list[Row]) -> list[Cell]:
    """Rows as a chart's table shows them, formatted in the active language as the template's own
    filters would: a row with a text ("fewer than 5") shows it instead of its number, and no share."""
    return [
        (row.label, row.text, "—") if row.text else (row.label, localize(row.value), floatformat(row.share, "1"))
        for row in rows
    ]
