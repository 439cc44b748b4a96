"""The allocation engine against independent solvers on random small problems (hypothesis).

Merits are multiples of 0.5 so that ties are frequent and sums compare exactly. Every result is
also checked rule by rule: seats, caps, eligibility, review, waitlists and reasons.
"""

import itertools
import random
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

from faro.scholarships.allocation import ApplicantSpec, OfferingSpec, Problem, Result, allocate, merit_order

COUNTRIES = ["JM", "HT", "PE", "BR"]
# Derandomised (the same examples on every run, as CI needs) and without an example database.
PROPERTY = settings(deadline=None, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow])


HALF_POINTS = st.integers(0, 20).map(lambda n: n / 2)
ANY_MERIT = st.floats(0, 100, allow_nan=False, allow_infinity=False)


@st.composite
def problems(draw: Any, max_applicants: int, max_offerings: int, merits: Any = HALF_POINTS) -> Problem:
    offering_ids = [f"O{i}" for i in range(draw(st.integers(1, max_offerings)))]
    offerings = tuple(OfferingSpec(o, draw(st.integers(1, 3))) for o in offering_ids)
    cap = draw(st.none() | st.integers(1, 3))
    cap_total = draw(st.none() | st.integers(cap or 1, 4))
    applicants = tuple(
        ApplicantSpec(
            id=f"p{i}",
            country=draw(st.sampled_from(COUNTRIES[: draw(st.integers(1, 4))])),
            merit=draw(merits),
            preferences=tuple(draw(st.permutations(offering_ids))[: draw(st.integers(1, len(offering_ids)))]),
            endorsement_rank=draw(st.none() | st.integers(1, 3)),
            eligible=draw(st.booleans() | st.just(True)),
            reviewed=draw(st.just(True) | st.booleans()),
        )
        for i in range(draw(st.integers(0, max_applicants)))
    )
    return Problem(offerings=offerings, applicants=applicants, country_cap=cap, country_cap_total=cap_total)


def score(problem: Problem, assignments: dict[str, str]) -> tuple[int, int, int]:
    """Criteria 1–3, merit in half points so that it is exact."""
    by_id = {a.id: a for a in problem.applicants}
    awarded = [by_id[a] for a in assignments]
    return (
        len({a.country for a in awarded}),
        sum(round(a.merit * 2) for a in awarded),
        sum(a.preferences[0] == assignments[a.id] for a in awarded),
    )


def engine_score(result: Result) -> tuple[int, int, int]:
    objective = result.objective
    return (int(objective["member_states"]), round(objective["merit"] * 2), int(objective["first_choice"]))


def keeps_the_rules(problem: Problem, assignments: dict[str, str]) -> bool:
    by_id = {a.id: a for a in problem.applicants}
    countries = [by_id[a].country for a in assignments]
    per_offering = Counter(assignments.values())
    per_pair = Counter(zip(countries, assignments.values(), strict=True))
    return (
        all(by_id[a].allocatable and o in by_id[a].preferences for a, o in assignments.items())
        and all(per_offering[o.id] <= o.seats for o in problem.offerings)
        and (problem.country_cap is None or max(per_pair.values(), default=0) <= problem.country_cap)
        and (
            problem.country_cap_total is None
            or max(Counter(countries).values(), default=0) <= problem.country_cap_total
        )
    )


def brute_force(problem: Problem) -> tuple[int, int, int]:
    """The best score over every allocation (each applicant: nothing or one of their choices)."""
    eligible = [a for a in problem.applicants if a.allocatable]
    best = (0, 0, 0)
    for picks in itertools.product(*[(None, *a.preferences) for a in eligible]):
        assignments = {a.id: o for a, o in zip(eligible, picks, strict=True) if o is not None}
        if keeps_the_rules(problem, assignments):
            best = max(best, score(problem, assignments))
    return best


def cp_sat(problem: Problem) -> tuple[int, int, int]:
    """The best score by CP-SAT, maximising the criteria one after the other."""
    model = cp_model.CpModel()
    eligible = [a for a in problem.applicants if a.allocatable]
    x = {(a.id, o): model.new_bool_var(f"{a.id}_{o}") for a in eligible for o in a.preferences}
    for a in eligible:
        model.add(sum(x[a.id, o] for o in a.preferences) <= 1)
    for offering in problem.offerings:
        model.add(sum(v for (_a, o), v in x.items() if o == offering.id) <= offering.seats)
    countries = sorted({a.country for a in eligible})
    of_country = {
        c: [v for (a, o), v in x.items() if next(e for e in eligible if e.id == a).country == c] for c in countries
    }
    for c in countries:
        if problem.country_cap_total is not None:
            model.add(sum(of_country[c]) <= problem.country_cap_total)
        for offering in problem.offerings:
            in_pair = [v for (a, o), v in x.items() if o == offering.id and v in of_country[c]]
            if problem.country_cap is not None:
                model.add(sum(in_pair) <= problem.country_cap)
    covered = {c: model.new_bool_var(f"covered_{c}") for c in countries}
    for c in countries:
        model.add(covered[c] <= sum(of_country[c]))
    by_id = {a.id: a for a in eligible}
    criteria = [
        sum(covered.values()),
        sum(round(by_id[a].merit * 2) * v for (a, _o), v in x.items()),
        sum(v for (a, o), v in x.items() if by_id[a].preferences[0] == o),
    ]
    values = []
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    for criterion in criteria:
        model.maximize(criterion)
        assert solver.solve(model) == cp_model.OPTIMAL
        value = round(solver.objective_value)
        model.add(criterion >= value)
        values.append(value)
    return values[0], values[1], values[2]


def check_result(problem: Problem, result: Result) -> None:
    """Every rule on the output, the waitlists as defined, and a true reason for everyone."""
    assert keeps_the_rules(problem, result.assignments)
    waiting = sorted(
        (a for a in problem.applicants if a.allocatable and a.id not in result.assignments), key=merit_order
    )
    assert result.waitlists == {
        o.id: [a.id for a in waiting if o.id in a.preferences] for o in sorted(problem.offerings, key=lambda o: o.id)
    }
    assert list(result.reasons) == sorted(a.id for a in problem.applicants)
    for a in problem.applicants:
        reason = result.reasons[a.id]
        if not a.eligible:
            assert reason.code == "not_eligible"
        elif not a.reviewed:
            assert reason.code == "not_reviewed"
            assert a.id not in result.assignments
        elif a.id in result.assignments:
            first = result.assignments[a.id] == a.preferences[0]
            assert reason.code == ("awarded_first_choice" if first else "awarded_other_choice")
            assert reason.params["offering"] == result.assignments[a.id]
        else:
            assert reason.code in {"waitlisted_country_cap", "waitlisted_country_cap_total", "waitlisted_seats"}
            position = result.waitlists[a.preferences[0]].index(a.id) + 1
            assert reason.params["position"] == position
            assert reason.text.endswith(f"position {position} on " + reason.text.split(f"position {position} on ")[-1])


@settings(PROPERTY, max_examples=250)
@given(problems(max_applicants=6, max_offerings=3))
def test_it_matches_brute_force_on_tiny_problems(problem: Problem) -> None:
    result = allocate(problem)
    check_result(problem, result)
    assert score(problem, result.assignments) == engine_score(result) == brute_force(problem)


@settings(PROPERTY, max_examples=60)
@given(problems(max_applicants=24, max_offerings=4))
def test_it_matches_cp_sat_on_small_problems(problem: Problem) -> None:
    result = allocate(problem)
    check_result(problem, result)
    assert score(problem, result.assignments) == engine_score(result) == cp_sat(problem)


@settings(PROPERTY, max_examples=60)
@given(problems(max_applicants=24, max_offerings=4, merits=ANY_MERIT))
def test_it_keeps_the_rules_and_explains_itself_with_any_merits(problem: Problem) -> None:
    check_result(problem, allocate(problem))


@settings(PROPERTY, max_examples=40)
@given(problems(max_applicants=24, max_offerings=4), st.randoms(use_true_random=False))
def test_it_ignores_the_order_of_the_input(problem: Problem, rng: random.Random) -> None:
    offerings, applicants = list(problem.offerings), list(problem.applicants)
    rng.shuffle(offerings)
    rng.shuffle(applicants)
    shuffled = Problem(tuple(offerings), tuple(applicants), problem.country_cap, problem.country_cap_total)
    assert allocate(shuffled) == allocate(problem)


@settings(PROPERTY, max_examples=60)
@given(problems(max_applicants=24, max_offerings=4))
def test_an_unreviewed_applicant_changes_nobody_elses_outcome(problem: Problem) -> None:
    """Leaving out the applicants without their reviews gives everyone else the same allocation."""
    reviewed = tuple(a for a in problem.applicants if a.reviewed)
    without = allocate(Problem(problem.offerings, reviewed, problem.country_cap, problem.country_cap_total))
    result = allocate(problem)
    assert result.assignments == without.assignments
    assert result.waitlists == without.waitlists
    assert {a: r for a, r in result.reasons.items() if a in without.reasons} == without.reasons


@settings(PROPERTY, max_examples=60)
@given(problems(max_applicants=24, max_offerings=4))
def test_an_unreviewed_applicant_is_never_called_ineligible(problem: Problem) -> None:
    result = allocate(problem)
    for a in problem.applicants:
        if a.eligible and not a.reviewed:
            assert result.reasons[a.id].code == "not_reviewed"
            assert all(a.id not in queue for queue in result.waitlists.values())
