"""The scholarship allocation engine: who gets which seat, and why.

A pure module — the standard library and OR-Tools, no Django — so it runs the same on a real call
(`faro.scholarships.services` builds a `Problem` from the records) and on a JSON description of one
(`manage.py allocate --input problem.json --json`).

What is optimised
-----------------
Among the allocations that keep the rules —

* no more awards in an offering than it has seats;
* at most `country_cap` awards per member state per offering and `country_cap_total` per member
  state in the whole call;
* at most one award per applicant, only in an offering they listed, only if they are eligible and
  reviewed (an applicant without the reviews the call requires is left out, not judged) —

the engine picks the best by these criteria, each worth more than any amount of the next:

1. the number of member states with at least one award;
2. the sum of the merit of the awarded applicants;
3. the number of applicants placed in their first choice;
4. a tie-break: among applicants of one member state with equal merit, the better endorsement rank
   (then the smaller id), and seats are filled whenever that costs nothing above.

The output depends only on the content of the problem, not on the order of its lists.

How
---
The rules are exactly a network flow in which one unit is one award:

    source → member state → applicant → (member state, offering) → offering → sink
       cap country_cap_total    cap 1          cap country_cap         cap seats

so OR-Tools' min-cost flow finds the best allocation. The arc source → member state is split: one
arc of capacity 1 carrying a coverage bonus larger than all other profit together (criterion 1), and
one for the rest. Each arc applicant → (member state, offering) carries a profit that writes criteria
2–4 as the "digits" of one integer, each base wide enough that no total of a lower criterion can
outweigh one unit of a higher one (`_Weights`). A bypass arc source → sink lets seats stay empty.

Merit is compared on a grid of 10⁻⁶ of the highest merit in the problem, coarser (10⁻⁵, 10⁻⁴, 10⁻³)
only if the weights would not fit in the solver's 64-bit integers. Before solving, applicants who
cannot matter are left out: in each (member state, offering) group only the best `U` can be awarded
in some optimal allocation, `U` being the most awards the member state could get in the call (if
`U` better applicants of that group were all awarded, the member state would exceed `U`; so one of
them is free to take the seat instead, at no loss).

Reasons
-------
Every applicant gets a `Reason`: a code, its parameters (for translation) and an English text. A
waitlisted applicant's reason names the rule that keeps them out of their first choice and their
position on its waitlist. Because the allocation is optimal, one always does: a free seat within
the caps would otherwise have been given to them.
"""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from ortools.graph.python import min_cost_flow

# --- The interface ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OfferingSpec:
    """An offering (cohort) of the call and its number of seats."""

    id: str
    seats: int


@dataclass(frozen=True)
class ApplicantSpec:
    """An application: member state, merit, offerings in order of preference.

    `endorsement_rank` is the focal point's rank within the member state (1 is best; None sorts last).
    `eligible` is false when the application breaks the call's rules; `reviewed` is false when it
    lacks the reviews the call requires, so its merit is unknown: it is neither awarded nor
    waitlisted, and its reason says "not reviewed", never "not eligible".
    """

    id: str
    country: str
    merit: float
    preferences: tuple[str, ...]
    endorsement_rank: int | None = None
    eligible: bool = True
    reviewed: bool = True

    @property
    def allocatable(self) -> bool:
        """Whether the engine may award or waitlist this applicant: eligible and reviewed."""
        return self.eligible and self.reviewed


@dataclass(frozen=True)
class Problem:
    """A call to allocate. A cap of None means no cap."""

    offerings: tuple[OfferingSpec, ...]
    applicants: tuple[ApplicantSpec, ...]
    country_cap: int | None = None
    country_cap_total: int | None = None


@dataclass(frozen=True)
class Reason:
    """Why an applicant got their outcome: a code and parameters to translate, and English text."""

    code: str
    params: dict[str, Any]
    text: str


@dataclass
class Result:
    """The allocation. Every dict is ordered by id; `reasons` has every applicant."""

    assignments: dict[str, str]
    waitlists: dict[str, list[str]]
    objective: dict[str, float | int]
    reasons: dict[str, Reason]


class ProblemError(ValueError):
    """A malformed problem, or one infeasible as stated. `field` is the path of the culprit."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


# --- Reading and checking a problem ----------------------------------------------------------

_PROBLEM_KEYS = frozenset({"offerings", "applicants", "country_cap", "country_cap_total"})
_OFFERING_KEYS = frozenset({"id", "seats"})
_APPLICANT_KEYS = frozenset({"id", "country", "merit", "preferences", "endorsement_rank", "eligible", "reviewed"})


def parse_problem(data: Any) -> Problem:
    """The `Problem` described by decoded JSON, checked; `ProblemError` names the first bad field.

    Shape: {"offerings": [{"id", "seats"}], "country_cap", "country_cap_total",
    "applicants": [{"id", "country", "merit", "preferences", "endorsement_rank", "eligible", "reviewed"}]}.
    """
    if not isinstance(data, dict):
        raise ProblemError("problem", "must be a JSON object")
    root = _fields(data, "", _PROBLEM_KEYS, required=("offerings", "applicants"))
    offerings = _array(root["offerings"], "offerings")
    applicants = _array(root["applicants"], "applicants")
    problem = Problem(
        offerings=tuple(_parse_offering(item, f"offerings[{i}]") for i, item in enumerate(offerings)),
        applicants=tuple(_parse_applicant(item, f"applicants[{i}]") for i, item in enumerate(applicants)),
        country_cap=root.get("country_cap"),
        country_cap_total=root.get("country_cap_total"),
    )
    _check_problem(problem)
    return problem


def _parse_offering(data: Any, path: str) -> OfferingSpec:
    item = _fields(data, path, _OFFERING_KEYS, required=("id", "seats"))
    return OfferingSpec(id=item["id"], seats=item["seats"])


def _parse_applicant(data: Any, path: str) -> ApplicantSpec:
    item = _fields(data, path, _APPLICANT_KEYS, required=("id", "country", "merit", "preferences"))
    return ApplicantSpec(
        id=item["id"],
        country=item["country"],
        merit=item["merit"],
        preferences=tuple(_array(item["preferences"], f"{path}.preferences")),
        endorsement_rank=item.get("endorsement_rank"),
        eligible=item.get("eligible", True),
        reviewed=item.get("reviewed", True),
    )


def _fields(data: Any, path: str, allowed: frozenset[str], *, required: tuple[str, ...]) -> dict[str, Any]:
    """`data` as an object with only `allowed` keys (a typo is an error, not a silent default)."""
    if not isinstance(data, dict):
        raise ProblemError(path, "must be an object")
    for key in data:
        if key not in allowed:
            raise ProblemError(_join(path, str(key)), f"unknown field (expected one of {', '.join(sorted(allowed))})")
    for key in required:
        if key not in data:
            raise ProblemError(_join(path, key), "is required")
    return data


def _array(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise ProblemError(path, "must be a list")
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _check_problem(problem: Problem) -> None:
    """Raise `ProblemError` for a wrong value, or a rule that makes the problem infeasible as stated.

    Infeasible as stated: no offering, an offering with no seats, a cap of 0, or a cap per call
    below the cap per offering (the caps contradict each other). An empty allocation is never an
    error: a call without eligible applicants simply awards nothing.
    """
    _check_offerings(problem.offerings)
    _check_caps(problem.country_cap, problem.country_cap_total)
    offering_ids = {offering.id for offering in problem.offerings}
    seen: set[str] = set()
    for i, applicant in enumerate(problem.applicants):
        path = f"applicants[{i}]"
        if not isinstance(applicant, ApplicantSpec):
            raise ProblemError(path, "must be an ApplicantSpec")
        _check_applicant(applicant, path, offering_ids)
        if applicant.id in seen:
            raise ProblemError(f"{path}.id", f"duplicate applicant {applicant.id!r}")
        seen.add(applicant.id)


def _check_offerings(offerings: tuple[OfferingSpec, ...]) -> None:
    if not offerings:
        raise ProblemError("offerings", "infeasible as stated: there is no offering to allocate")
    seen: set[str] = set()
    for i, offering in enumerate(offerings):
        path = f"offerings[{i}]"
        if not isinstance(offering, OfferingSpec):
            raise ProblemError(path, "must be an OfferingSpec")
        _text(offering.id, f"{path}.id")
        if offering.id in seen:
            raise ProblemError(f"{path}.id", f"duplicate offering {offering.id!r}")
        seen.add(offering.id)
        _whole(offering.seats, f"{path}.seats")
        if offering.seats == 0:
            raise ProblemError(f"{path}.seats", f"infeasible as stated: offering {offering.id!r} has no seats")


def _check_caps(cap: Any, cap_total: Any) -> None:
    for name, value in (("country_cap", cap), ("country_cap_total", cap_total)):
        if value is not None:
            _whole(value, name)
            if value == 0:
                raise ProblemError(name, "infeasible as stated: a cap of 0 allows no award")
    if cap is not None and cap_total is not None and cap_total < cap:
        raise ProblemError(
            "country_cap_total",
            f"infeasible as stated: {cap_total} awards per member state in the call is below country_cap, "
            f"{cap} per offering; the caps contradict each other",
        )


def _check_applicant(applicant: ApplicantSpec, path: str, offering_ids: set[str]) -> None:
    _text(applicant.id, f"{path}.id")
    if not isinstance(applicant.country, str):
        raise ProblemError(f"{path}.country", "must be a string")
    merit = applicant.merit
    if isinstance(merit, bool) or not isinstance(merit, int | float) or not math.isfinite(merit):
        raise ProblemError(f"{path}.merit", "must be a number")
    if merit < 0:
        raise ProblemError(f"{path}.merit", "must not be negative")
    if applicant.endorsement_rank is not None:
        _whole(applicant.endorsement_rank, f"{path}.endorsement_rank")
    for flag in ("eligible", "reviewed"):
        if not isinstance(getattr(applicant, flag), bool):
            raise ProblemError(f"{path}.{flag}", "must be true or false")
    _check_preferences(applicant, path, offering_ids)
    if applicant.eligible and not applicant.country.strip():
        raise ProblemError(f"{path}.country", "an eligible applicant needs a member state")


def _check_preferences(applicant: ApplicantSpec, path: str, offering_ids: set[str]) -> None:
    if not isinstance(applicant.preferences, tuple | list):
        raise ProblemError(f"{path}.preferences", "must be a list")
    if applicant.eligible and not applicant.preferences:
        raise ProblemError(f"{path}.preferences", "an eligible applicant must list at least one offering")
    for j, offering in enumerate(applicant.preferences):
        if not isinstance(offering, str):
            raise ProblemError(f"{path}.preferences[{j}]", "must be an offering id")
        if offering not in offering_ids:
            raise ProblemError(f"{path}.preferences[{j}]", f"unknown offering {offering!r}")
        if offering in applicant.preferences[:j]:
            raise ProblemError(f"{path}.preferences[{j}]", f"offering {offering!r} is listed twice")


def _text(value: Any, path: str) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ProblemError(path, "must be a non-empty string")


def _whole(value: Any, path: str) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ProblemError(path, "must be a whole number")
    if value < 0:
        raise ProblemError(path, "must not be negative")


# --- Allocating ------------------------------------------------------------------------------


def allocate(problem: Problem) -> Result:
    """The optimal allocation of `problem`, its waitlists, objective and a reason for everyone."""
    _check_problem(problem)
    assignments = _build_network(problem).solve()
    assignments = dict(sorted(assignments.items()))
    waitlists = _waitlists(problem, assignments)
    return Result(
        assignments=assignments,
        waitlists=waitlists,
        objective=_objective(problem, assignments),
        reasons=_Explainer(problem, assignments, waitlists).reasons(),
    )


def merit_order(applicant: ApplicantSpec) -> tuple[float, float, str]:
    """Sort key, best first: higher merit, then better endorsement rank (none last), then id."""
    rank = math.inf if applicant.endorsement_rank is None else applicant.endorsement_rank
    return (-applicant.merit, rank, applicant.id)


def _objective(problem: Problem, assignments: dict[str, str]) -> dict[str, float | int]:
    by_id = {applicant.id: applicant for applicant in problem.applicants}
    awarded = [by_id[applicant_id] for applicant_id in assignments]
    return {
        "member_states": len({applicant.country for applicant in awarded}),
        "merit": round(math.fsum(applicant.merit for applicant in awarded), 6),
        "first_choice": sum(applicant.preferences[0] == assignments[applicant.id] for applicant in awarded),
    }


def _waitlists(problem: Problem, assignments: dict[str, str]) -> dict[str, list[str]]:
    """Per offering, the allocatable unplaced applicants who listed it, best first."""
    waiting = sorted(
        (a for a in problem.applicants if a.allocatable and a.id not in assignments),
        key=merit_order,
    )
    waitlists: dict[str, list[str]] = {offering.id: [] for offering in sorted(problem.offerings, key=lambda o: o.id)}
    for applicant in waiting:
        for offering_id in applicant.preferences:
            waitlists[offering_id].append(applicant.id)
    return waitlists


# --- The flow network ------------------------------------------------------------------------

# Merit grids tried, as digits below the highest merit: the finest whose weights fit is used.
_MERIT_DIGITS = (6, 5, 4, 3)
# OR-Tools multiplies costs by about twice the number of nodes; keep a further factor 2 spare.
_COST_ROOM = 2**61


class _Arc(NamedTuple):
    """A possible award: applicant → (member state, offering), with the choice it is (0 = first).

    Its fields up to `applicant_id` sort it best first by criteria 2, 3 and 4, the order of
    `_Weights.profit` (ids are unique, so comparison never goes further).
    """

    neg_merit: int  # minus the merit on the grid
    other_choice: bool
    rank: float  # endorsement rank, infinite when there is none
    applicant_id: str
    offering: str
    choice: int
    applicant: ApplicantSpec


@dataclass(frozen=True)
class _Weights:
    """Integer weights that make the lexicographic order exact.

    An award's profit is `merit · merit_unit + first_choice · first_choice_unit + tie`, tie in
    1..`tie_range`. With at most `awards` awards whose ties add up to at most `tie_total`, all ties
    together are worth less than first_choice_unit, criteria 3–4 together less than merit_unit,
    and all profit together less than `coverage`, the bonus for a member state's first award.
    """

    awards: int
    tie_range: int
    tie_total: int
    top_merit: int

    @property
    def first_choice_unit(self) -> int:
        return self.tie_total + 1

    @property
    def merit_unit(self) -> int:
        return self.awards * self.first_choice_unit + self.tie_total + 1

    @property
    def coverage(self) -> int:
        return self.awards * self.profit(self.top_merit, True, self.tie_range) + 1

    def profit(self, merit: int, first_choice: bool, tie: int) -> int:
        return merit * self.merit_unit + first_choice * self.first_choice_unit + tie


class _Network:
    """The min-cost flow for a problem on one merit grid: `fits()`, then `build()`, then `solve()`."""

    def __init__(self, problem: Problem, digits: int) -> None:
        self.seats = {offering.id: offering.seats for offering in problem.offerings}
        self.cap, self.cap_total = problem.country_cap, problem.country_cap_total
        eligible = sorted((a for a in problem.applicants if a.allocatable), key=lambda a: a.id)
        self.limits = self._country_limits(eligible)
        self.arcs = self._pruned_arcs(eligible, digits)
        self.countries = {arc.applicant_id: arc.applicant.country for arc in self.arcs}
        self.groups = sorted({(arc.applicant.country, arc.offering) for arc in self.arcs})
        self.ties = self._ties()
        self.weights = _Weights(
            awards=min(sum(self.seats.values()), sum(self.limits.values()), len(self.countries)),
            tie_range=max(self.ties.values(), default=1),
            tie_total=self._tie_total(),
            top_merit=-min((arc.neg_merit for arc in self.arcs), default=0),
        )
        self.flow = min_cost_flow.SimpleMinCostFlow()
        self.nodes: dict[tuple[str, ...], int] = {}
        self.pending: tuple[list[int], list[int], list[int], list[int]] = ([], [], [], [])
        self.award_arcs: list[int] = []  # the solver's index of each of `arcs`

    def _country_limits(self, eligible: list[ApplicantSpec]) -> dict[str, int]:
        """The most awards each member state could get: its applicants, the seats they chose, the caps."""
        applicants: Counter[str] = Counter(a.country for a in eligible)
        offerings: defaultdict[str, set[str]] = defaultdict(set)
        for applicant in eligible:
            offerings[applicant.country].update(applicant.preferences)
        limits = {}
        for country in sorted(applicants):
            seats = sum(_capped(self.seats[offering], self.cap) for offering in offerings[country])
            limits[country] = min(applicants[country], _capped(seats, self.cap_total))
        return limits

    def _pruned_arcs(self, eligible: list[ApplicantSpec], digits: int) -> list[_Arc]:
        """The possible awards that can matter: the best `limit` of each (member state, offering)."""
        top = max((a.merit for a in eligible), default=0)
        groups: defaultdict[tuple[str, str], list[_Arc]] = defaultdict(list)
        for a in eligible:
            merit = round(a.merit / top * 10**digits) if top else 0
            rank = math.inf if a.endorsement_rank is None else a.endorsement_rank
            for choice, offering in enumerate(a.preferences):
                groups[a.country, offering].append(_Arc(-merit, choice > 0, rank, a.id, offering, choice, a))
        kept = []
        for (country, _offering), arcs in groups.items():
            kept.extend(sorted(arcs)[: self.limits[country]])
        return sorted(kept, key=lambda arc: (arc.applicant_id, arc.choice))

    def _ties(self) -> dict[str, int]:
        """Tie-break per kept applicant: among compatriots on the same merit, better rank → larger."""
        groups: defaultdict[tuple[str, int], dict[str, _Arc]] = defaultdict(dict)
        for arc in self.arcs:
            groups[arc.applicant.country, arc.neg_merit][arc.applicant_id] = arc
        ties = {}
        for group in groups.values():
            for position, arc in enumerate(sorted(group.values(), key=lambda arc: (arc.rank, arc.applicant_id))):
                ties[arc.applicant_id] = len(group) - position
        return ties

    def _tie_total(self) -> int:
        """The most the ties of one allocation can add up to: each member state's best `limit`."""
        by_country: defaultdict[str, list[int]] = defaultdict(list)
        for applicant_id, tie in self.ties.items():
            by_country[self.countries[applicant_id]].append(tie)
        return sum(sum(sorted(ties, reverse=True)[: self.limits[country]]) for country, ties in by_country.items())

    def fits(self) -> bool:
        """Whether the costs, as the solver scales them, stay inside 64-bit integers."""
        return self.largest_scaled_cost() < _COST_ROOM

    def largest_scaled_cost(self) -> int:
        """The coverage bonus times the solver's scale (about the number of nodes), or all bonuses."""
        node_count = 2 + len(self.limits) + len(self.countries) + len(self.groups) + len(self.seats)
        return self.weights.coverage * (max(node_count, len(self.limits)) + 3)

    def build(self) -> "_Network":
        """Give the solver the nodes and arcs (the picture is in the module docstring)."""
        total = min(sum(self.seats.values()), sum(self.limits.values()))
        self._arc(("source",), ("sink",), total, 0)  # the bypass: seats may stay empty
        for country, limit in self.limits.items():
            self._arc(("source",), ("country", country), 1, -self.weights.coverage)
            self._arc(("source",), ("country", country), limit - 1, 0)
        for applicant_id, country in sorted(self.countries.items()):
            self._arc(("country", country), ("applicant", applicant_id), 1, 0)
        for arc in self.arcs:
            profit = self.weights.profit(-arc.neg_merit, arc.choice == 0, self.ties[arc.applicant_id])
            group = ("group", arc.applicant.country, arc.offering)
            self.award_arcs.append(self._arc(("applicant", arc.applicant_id), group, 1, -profit))
        for country, offering in self.groups:
            capacity = _capped(self.seats[offering], self.cap)
            self._arc(("group", country, offering), ("offering", offering), capacity, 0)
        for offering, seats in sorted(self.seats.items()):
            self._arc(("offering", offering), ("sink",), seats, 0)
        self.flow.add_arcs_with_capacity_and_unit_cost(*self.pending)
        self.flow.set_nodes_supplies([self.nodes["source",], self.nodes["sink",]], [total, -total])
        return self

    def _arc(self, tail: tuple[str, ...], head: tuple[str, ...], capacity: int, cost: int) -> int:
        """Queue an arc for the solver (added all at once, which is much faster); its index."""
        tails, heads, capacities, costs = self.pending
        tails.append(self.nodes.setdefault(tail, len(self.nodes)))
        heads.append(self.nodes.setdefault(head, len(self.nodes)))
        capacities.append(capacity)
        costs.append(cost)
        return len(tails) - 1

    def solve(self) -> dict[str, str]:
        """Run the solver; the awards as {applicant id: offering id}."""
        status = self.flow.solve()
        if status != min_cost_flow.SimpleMinCostFlow.OPTIMAL:
            raise RuntimeError(f"the min-cost flow solver stopped with status {status.name}")
        flows = self.flow.flows(self.award_arcs)
        return {arc.applicant_id: arc.offering for arc, flow in zip(self.arcs, flows, strict=True) if flow}


def _capped(value: int, cap: int | None) -> int:
    return value if cap is None else min(value, cap)


def _build_network(problem: Problem) -> _Network:
    """The network on the finest merit grid whose weights fit (see `_MERIT_DIGITS`)."""
    for digits in _MERIT_DIGITS:
        network = _Network(problem, digits)
        if network.fits():
            return network.build()
    raise ProblemError("applicants", "too many applicants and seats to optimise exactly; split the call")


# --- Reasons ---------------------------------------------------------------------------------


class _Explainer:
    """Plain-language reasons, from the allocation and the counts it leaves per rule."""

    def __init__(self, problem: Problem, assignments: dict[str, str], waitlists: dict[str, list[str]]) -> None:
        self.problem = problem
        self.assignments = assignments
        self.seats = {offering.id: offering.seats for offering in problem.offerings}
        self.by_country_offering: Counter[tuple[str, str]] = Counter()
        self.by_country: Counter[str] = Counter()
        self.by_offering: Counter[str] = Counter()
        countries = {applicant.id: applicant.country for applicant in problem.applicants}
        for applicant_id, offering in assignments.items():
            self.by_country_offering[countries[applicant_id], offering] += 1
            self.by_country[countries[applicant_id]] += 1
            self.by_offering[offering] += 1
        self.positions = {
            (offering, applicant_id): position
            for offering, queue in waitlists.items()
            for position, applicant_id in enumerate(queue, start=1)
        }

    def reasons(self) -> dict[str, Reason]:
        return {a.id: self.reason(a) for a in sorted(self.problem.applicants, key=lambda a: a.id)}

    def reason(self, applicant: ApplicantSpec) -> Reason:
        if not applicant.eligible:
            return Reason("not_eligible", {}, "not eligible: the application does not meet the conditions of the call")
        if not applicant.reviewed:
            return Reason("not_reviewed", {}, "not reviewed: the application lacks the reviews the call requires")
        offering = self.assignments.get(applicant.id)
        if offering is None:
            return self._waitlisted(applicant)
        if offering == applicant.preferences[0]:
            return Reason(
                "awarded_first_choice", {"offering": offering}, f"awarded: offering {offering}, the first choice"
            )
        return self._awarded_other(applicant, offering)

    def _awarded_other(self, applicant: ApplicantSpec, offering: str) -> Reason:
        first = applicant.preferences[0]
        choice = applicant.preferences.index(offering) + 1
        params: dict[str, Any] = {"offering": offering, "choice": choice, "first_choice": first}
        text = f"awarded: offering {offering}, choice {choice}"
        cap = self.problem.country_cap
        if cap is not None and self.by_country_offering[applicant.country, first] >= cap:
            params.update(country=applicant.country, cap=cap)
            text += f"; {applicant.country}'s cap of {cap} on offering {first}, the first choice, is reached"
        elif self.by_offering[first] >= self.seats[first]:
            params.update(seats=self.seats[first])
            text += f"; all {self.seats[first]} seats of offering {first}, the first choice, are taken"
        return Reason("awarded_other_choice", params, text)

    def _waitlisted(self, applicant: ApplicantSpec) -> Reason:
        """The rule that keeps the applicant out of their first choice, and their place in its queue."""
        offering, country = applicant.preferences[0], applicant.country
        position = self.positions[offering, applicant.id]
        params: dict[str, Any] = {"country": country, "offering": offering, "position": position}
        cap, cap_total = self.problem.country_cap, self.problem.country_cap_total
        if cap is not None and self.by_country_offering[country, offering] >= cap:
            code, params["cap"] = "waitlisted_country_cap", cap
            text = f"waitlisted: {country}'s cap of {cap} on offering {offering} is reached"
        elif cap_total is not None and self.by_country[country] >= cap_total:
            code, params["cap"] = "waitlisted_country_cap_total", cap_total
            text = f"waitlisted: {country}'s cap of {cap_total} awards in the call is reached"
        elif self.by_offering[offering] >= self.seats[offering]:
            code, params["seats"] = "waitlisted_seats", self.seats[offering]
            text = f"waitlisted: all {self.seats[offering]} seats of offering {offering} are taken"
        else:  # cannot happen in an optimal allocation; kept so a reason is never missing
            code, text = "waitlisted", "waitlisted"
        where = f"the waitlist of offering {offering}" if code == "waitlisted_country_cap_total" else "its waitlist"
        return Reason(code, params, f"{text}; position {position} on {where}")


def result_to_json(result: Result) -> dict[str, Any]:
    """The result as JSON-ready data: assignments, waitlists, objective and reasons as text."""
    return {
        "assignments": dict(result.assignments),
        "waitlists": {offering: list(queue) for offering, queue in result.waitlists.items()},
        "objective": dict(result.objective),
        "reasons": {applicant_id: reason.text for applicant_id, reason in result.reasons.items()},
    }
