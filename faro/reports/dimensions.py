"""The ways every figure can be broken down, and the database aggregation that does it.

A breakdown groups the rows of a figure's queryset by one path and counts distinct people
(or activities) in the database: no Python loop over rows. Person dimensions are reached
through the figure's path to Person (e.g. "person__" for webinar attendance); activity
dimensions (priority area, topic, partner) through the figure's own paths.
"""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from faro.directory.models import Institution, MemberState, Person, PriorityArea, Region, Topic
from faro.lib.collation import collation_key

NOT_STATED = _("Not stated")


@dataclass(frozen=True)
class Dimension:
    key: str
    label: Promise
    person_path: str | None = None  # path from Person; None for activity dimensions
    scheme: str | None = None  # region scheme, for region dimensions

    @property
    def is_person(self) -> bool:
        return self.person_path is not None


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in [
        Dimension("member_state", _("Member state"), "member_state__code"),
        Dimension("region_m49", _("Region (UN M49)"), "member_state__regions__code", scheme="m49"),
        Dimension("region_cip", _("Region (CIP groupings)"), "member_state__regions__code", scheme="cip"),
        Dimension("gender", _("Gender"), "gender"),
        Dimension("institution_kind", _("Institution kind"), "institution__kind"),
        Dimension("position_level", _("Position level"), "position_level"),
        Dimension("priority_area", _("Priority area")),
        Dimension("topic", _("Topic")),
        Dimension("partner", _("Partner")),
    ]
}


@dataclass(frozen=True)
class Row:
    key: Any
    label: str
    value: int
    share: float  # of the figure's total, 0–1
    text: str = ""  # shown instead of the value when set ("fewer than 5": small numbers suppressed)


def breakdown(
    queryset: QuerySet[Model],
    dimension: Dimension,
    *,
    count: str,
    person_prefix: str = "person__",
    activity_paths: dict[str, str] | None = None,
    total: int | None = None,
    distinct: bool = True,
) -> list[Row]:
    """Count distinct `count` values in `queryset`, grouped by `dimension`, biggest first.

    Pass `total` (the figure's value) when it is known, to save counting it again for the shares,
    and `distinct=False` when each group meets a row at most once (people grouped by a person
    dimension): PostgreSQL then hashes the groups instead of sorting every row."""
    if dimension.is_person:
        path = person_prefix + str(dimension.person_path)
    else:
        path = (activity_paths or {}).get(dimension.key, "")
        if not path:
            return []
    rows = queryset
    if dimension.scheme:
        rows = rows.filter(Q(**{person_prefix + "member_state__regions__scheme__code": dimension.scheme}))
    grouped = rows.order_by().values(path).annotate(n=Count(count, distinct=distinct)).order_by("-n", path)
    if total is None:
        total = queryset.order_by().aggregate(n=Count(count, distinct=distinct))["n"] or 0
    labels = _labels(dimension, [g[path] for g in grouped])
    return [
        Row(key=g[path], label=labels.get(g[path], str(g[path])), value=g["n"], share=g["n"] / total if total else 0.0)
        for g in grouped
    ]


# The person dimensions read off the person (the regions come through the member state).
PERSON_KEYS = {d.key: str(d.person_path) for d in DIMENSIONS.values() if d.is_person and not d.scheme}


def person_groups(queryset: QuerySet[Model], *, person_prefix: str, **aggregates: Any) -> list[dict[str, Any]]:
    """The aggregates of `queryset` grouped by every key in PERSON_KEYS (named by dimension)."""
    paths = {key: person_prefix + path for key, path in PERSON_KEYS.items()}
    grouped = queryset.order_by().values(*paths.values()).annotate(**aggregates)
    return [{key: g[path] for key, path in paths.items()} | {name: g[name] for name in aggregates} for g in grouped]


def state_regions() -> dict[tuple[str, str], list[str]]:
    """(region scheme code, member state code) → the codes of the state's regions in that scheme."""
    regions: dict[tuple[str, str], list[str]] = {}
    for scheme, region, state in Region.objects.values_list("scheme__code", "code", "member_states__code"):
        if state:
            regions.setdefault((scheme, state), []).append(region)
    return regions


def tally(
    groups: list[dict[str, Any]],
    *,
    count: str,
    total: int,
    states: bool = False,
    regions: dict[tuple[str, str], list[str]] | None = None,
) -> dict[str, list[Row]]:
    """Every person dimension from `person_groups` of rows that each reach one person (so each is
    counted once per group): the groups' `count` add up to each dimension's, a region's are those
    of its member states (`state_regions`). With `states`, the member states among them are
    counted instead (COUNT(DISTINCT country)). Biggest first."""
    regions = state_regions() if regions is None else regions
    # dimension → its value → member state code → rows
    tallies: dict[str, dict[Any, Counter[str | None]]] = {key: {} for key, d in DIMENSIONS.items() if d.is_person}
    for group in groups:
        state = group["member_state"]
        keys = {key: [group[key]] for key in PERSON_KEYS}
        keys |= {d.key: regions.get((str(d.scheme), state), []) for d in DIMENSIONS.values() if d.scheme}
        for key, values in keys.items():
            for value in values:
                tallies[key].setdefault(value, Counter())[state] += group[count]
    counts = {
        key: {value: sum(1 for s, n in by.items() if s and n) if states else by.total() for value, by in found.items()}
        for key, found in tallies.items()
    }
    return {key: _rows(DIMENSIONS[key], found, total) for key, found in counts.items()}


def person_breakdowns(
    queryset: QuerySet[Model], *, person_prefix: str, total: int, states: bool = False
) -> dict[str, list[Row]]:
    """Every person dimension of rows that each reach one person, from one grouped query."""
    groups = person_groups(queryset, person_prefix=person_prefix, n=Count("*"))
    return tally(groups, count="n", total=total, states=states)


def _rows(dimension: Dimension, counts: dict[Any, int], total: int) -> list[Row]:
    labels = _labels(dimension, list(counts))
    ordered = sorted(
        ((k, n) for k, n in counts.items() if n),
        key=lambda item: (-item[1], collation_key(labels.get(item[0], str(item[0])))),
    )
    return [Row(k, labels.get(k, str(k)), n, n / total if total else 0.0) for k, n in ordered]


def _labels(dimension: Dimension, keys: list[Any]) -> dict[Any, str]:
    """Human labels, in the active language, for the keys of one breakdown."""
    present = [k for k in keys if k not in (None, "")]
    labels: dict[Any, str] = {None: str(NOT_STATED), "": str(NOT_STATED)}
    if dimension.key == "member_state":
        labels.update({s.code: s.name for s in MemberState.objects.filter(code__in=present)})
    elif dimension.scheme:
        regions = Region.objects.filter(scheme__code=dimension.scheme, code__in=present)
        labels.update({r.code: str(r.name) for r in regions})
    elif dimension.key == "gender":
        labels.update({k: str(v) for k, v in Person.Gender.choices})
    elif dimension.key == "position_level":
        labels.update({k: str(v) for k, v in Person.Level.choices})
    elif dimension.key == "institution_kind":
        labels.update({k: str(v) for k, v in Institution.Kind.choices})
    elif dimension.key == "priority_area":
        labels.update({a.pk: str(a.name) for a in PriorityArea.objects.filter(pk__in=present)})
    elif dimension.key == "topic":
        labels.update({t.pk: str(t.name) for t in Topic.objects.filter(pk__in=present)})
    elif dimension.key == "partner":
        labels.update({i.pk: str(i) for i in Institution.objects.filter(pk__in=present)})
    return labels
