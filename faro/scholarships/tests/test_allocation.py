"""The allocation engine on hand-made problems: priorities, reasons, determinism, bad input."""

import copy
import json
import math
import random
from typing import Any

import pytest

from faro.scholarships import allocation
from faro.scholarships.allocation import (
    ApplicantSpec,
    OfferingSpec,
    Problem,
    ProblemError,
    allocate,
    parse_problem,
    result_to_json,
)


def applicant(id: str, country: str, merit: float, *preferences: str, **extra: Any) -> dict[str, Any]:
    return {"id": id, "country": country, "merit": merit, "preferences": list(preferences), **extra}


def problem(*applicants: dict[str, Any], seats: dict[str, int] | None = None, **caps: Any) -> Problem:
    offerings = [{"id": o, "seats": n} for o, n in (seats or {"A": 1}).items()]
    return parse_problem({"offerings": offerings, "applicants": list(applicants), **caps})


ISSUE_EXAMPLE = {
    "offerings": [{"id": "A", "seats": 30}],
    "country_cap": 3,
    "country_cap_total": 6,
    "applicants": [
        {"id": "p1", "country": "JM", "merit": 87.5, "preferences": ["A"], "endorsement_rank": 1, "eligible": True}
    ],
}


def test_it_runs_the_example_of_the_issue() -> None:
    data = result_to_json(allocate(parse_problem(ISSUE_EXAMPLE)))
    assert data == {
        "assignments": {"p1": "A"},
        "waitlists": {"A": []},
        "objective": {"member_states": 1, "merit": 87.5, "first_choice": 1},
        "reasons": {"p1": "awarded: offering A, the first choice"},
    }
    assert json.loads(json.dumps(data)) == data


def test_more_member_states_beat_more_merit() -> None:
    result = allocate(
        problem(
            applicant("jm1", "JM", 90, "A"),
            applicant("jm2", "JM", 80, "A"),
            applicant("ht1", "HT", 10, "A"),
            seats={"A": 2},
        )
    )
    assert result.assignments == {"ht1": "A", "jm1": "A"}
    assert result.objective == {"member_states": 2, "merit": 100.0, "first_choice": 2}
    assert result.reasons["jm2"].code == "waitlisted_seats"
    assert result.reasons["jm2"].text == "waitlisted: all 2 seats of offering A are taken; position 1 on its waitlist"


def test_merit_beats_first_choices_which_break_merit_ties() -> None:
    # {p1: A, p2: B} puts both in their first choice but has less merit (20) than the other two
    # options (20.5); of those, {p3: A, p2: B} places two in their first choice, {p1: A, p3: B} one.
    result = allocate(
        problem(
            applicant("p1", "JM", 10, "A"),
            applicant("p2", "JM", 10, "B"),
            applicant("p3", "JM", 10.5, "A", "B"),
            seats={"A": 1, "B": 1},
        )
    )
    assert result.assignments == {"p2": "B", "p3": "A"}
    assert result.objective == {"member_states": 1, "merit": 20.5, "first_choice": 2}


def test_endorsement_rank_then_id_break_ties_within_a_member_state() -> None:
    tied = [
        applicant("a", "JM", 80, "A"),
        applicant("b", "JM", 80, "A", endorsement_rank=2),
        applicant("c", "JM", 80, "A", endorsement_rank=1),
    ]
    assert allocate(problem(*tied)).assignments == {"c": "A"}
    assert allocate(problem(*tied, seats={"A": 2})).assignments == {"b": "A", "c": "A"}
    assert allocate(problem(tied[0], applicant("z", "JM", 80, "A"))).assignments == {"a": "A"}
    waitlist = allocate(problem(*tied, seats={"A": 1})).waitlists["A"]
    assert waitlist == ["b", "a"]


def test_small_merit_differences_count() -> None:
    result = allocate(problem(applicant("a", "JM", 99.999, "A"), applicant("b", "JM", 99.998, "A")))
    assert result.assignments == {"a": "A"}


def test_waitlisted_for_the_cap_per_offering_with_position() -> None:
    jamaicans = [applicant(f"jm{i}", "JM", 90 - i, "A", "B") for i in range(5)]
    result = allocate(problem(*jamaicans, seats={"A": 10, "B": 1}, country_cap=3))
    # Which of jm0–jm3 takes B is a tie on every criterion; jm4, the lowest merit, waits.
    assert sorted(result.assignments.values()) == ["A", "A", "A", "B"]
    assert "jm4" not in result.assignments
    assert result.waitlists == {"A": ["jm4"], "B": ["jm4"]}
    reason = result.reasons["jm4"]
    assert reason.code == "waitlisted_country_cap"
    assert reason.params == {"country": "JM", "offering": "A", "position": 1, "cap": 3}
    assert reason.text == "waitlisted: JM's cap of 3 on offering A is reached; position 1 on its waitlist"
    [second] = [a for a, offering in result.assignments.items() if offering == "B"]
    other = result.reasons[second]
    assert other.code == "awarded_other_choice"
    assert other.params == {"offering": "B", "choice": 2, "first_choice": "A", "country": "JM", "cap": 3}
    assert other.text == "awarded: offering B, choice 2; JM's cap of 3 on offering A, the first choice, is reached"


def test_waitlisted_for_the_cap_per_call() -> None:
    result = allocate(
        problem(
            applicant("jm1", "JM", 90, "A"),
            applicant("jm2", "JM", 80, "B"),
            applicant("jm3", "JM", 70, "B", "A"),
            seats={"A": 5, "B": 5},
            country_cap=2,
            country_cap_total=2,
        )
    )
    assert result.assignments == {"jm1": "A", "jm2": "B"}
    reason = result.reasons["jm3"]
    assert reason.code == "waitlisted_country_cap_total"
    assert reason.params == {"country": "JM", "offering": "B", "position": 1, "cap": 2}
    assert reason.text == (
        "waitlisted: JM's cap of 2 awards in the call is reached; position 1 on the waitlist of offering B"
    )


def test_awarded_elsewhere_when_the_first_choice_is_full() -> None:
    result = allocate(
        problem(applicant("a", "JM", 90, "A"), applicant("b", "HT", 80, "A", "B"), seats={"A": 1, "B": 1})
    )
    assert result.assignments == {"a": "A", "b": "B"}
    assert (
        result.reasons["b"].text
        == "awarded: offering B, choice 2; all 1 seats of offering A, the first choice, are taken"
    )


def test_waitlists_hold_eligible_unplaced_applicants_best_first_on_every_offering_they_listed() -> None:
    result = allocate(
        problem(
            applicant("top", "JM", 95, "A"),
            applicant("low", "JM", 50, "B", "A"),
            applicant("mid", "JM", 70, "A", "B"),
            applicant("out", "JM", 99, "A", eligible=False),
            seats={"A": 1, "B": 1},
            country_cap_total=1,
        )
    )
    assert result.assignments == {"top": "A"}
    assert result.waitlists == {"A": ["mid", "low"], "B": ["mid", "low"]}
    assert result.reasons["low"].params["position"] == 2
    assert result.reasons["out"].code == "not_eligible"
    assert set(result.reasons) == {"top", "low", "mid", "out"}


def test_ineligible_applicants_may_lack_preferences_and_country() -> None:
    result = allocate(problem(applicant("x", "", 10, eligible=False), applicant("y", "PE", 0, "A")))
    assert result.assignments == {"y": "A"}  # merit 0 still fills a free seat
    assert result.reasons["x"].text == "not eligible: the application does not meet the conditions of the call"


def test_no_applicants_award_nothing() -> None:
    result = allocate(problem())
    assert result_to_json(result) == {
        "assignments": {},
        "waitlists": {"A": []},
        "objective": {"member_states": 0, "merit": 0.0, "first_choice": 0},
        "reasons": {},
    }


def random_problem_data(seed: int) -> dict[str, Any]:
    rng = random.Random(seed)
    offerings = [{"id": f"O{i}", "seats": rng.randint(1, 6)} for i in range(5)]
    applicants = [
        {
            "id": f"p{i}",
            "country": rng.choice(["JM", "HT", "PE", "BR", "CL"]),
            "merit": rng.choice([50, 60, 70, 80.5, 90]),
            "preferences": rng.sample([o["id"] for o in offerings], rng.randint(1, 3)),
            "endorsement_rank": rng.choice([None, 1, 2, 3]),
            "eligible": rng.random() < 0.9,
        }
        for i in range(60)
    ]
    return {"offerings": offerings, "applicants": applicants, "country_cap": 2, "country_cap_total": 4}


def test_same_input_in_any_order_gives_the_same_output() -> None:
    data = random_problem_data(7)
    expected = json.dumps(result_to_json(allocate(parse_problem(data))))
    for seed in range(5):
        shuffled = copy.deepcopy(data)
        random.Random(seed).shuffle(shuffled["offerings"])
        random.Random(seed).shuffle(shuffled["applicants"])
        shuffled = dict(reversed(list(shuffled.items())))
        assert json.dumps(result_to_json(allocate(parse_problem(shuffled)))) == expected


def test_a_coarser_merit_grid_is_used_when_weights_would_overflow(monkeypatch: pytest.MonkeyPatch) -> None:
    data = random_problem_data(3)
    expected = allocate(parse_problem(data))
    fine = allocation._Network(parse_problem(data), 6)
    monkeypatch.setattr(allocation, "_COST_ROOM", fine.largest_scaled_cost() // 50)
    assert allocation._build_network(parse_problem(data)).weights.top_merit == 10**4
    assert allocate(parse_problem(data)).objective == expected.objective
    monkeypatch.setattr(allocation, "_COST_ROOM", 10)
    with pytest.raises(ProblemError, match="too many applicants"):
        allocate(parse_problem(data))


# --- Bad input -------------------------------------------------------------------------------


def broken(path: str, value: Any) -> dict[str, Any]:
    """The issue's example with one value replaced (or removed, for `...`)."""
    data: dict[str, Any] = copy.deepcopy(ISSUE_EXAMPLE)
    data["applicants"].append(applicant("p2", "HT", 50, "A"))
    *parents, last = path.replace("[", ".").replace("]", "").split(".")
    target: Any = data
    for key in parents:
        target = target[int(key) if key.isdigit() else key]
    index: int | str = int(last) if last.isdigit() else last
    if value is ...:
        del target[index]
    else:
        target[index] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("offerings", {"id": "A"}, "offerings: must be a list"),
        ("offerings[0]", "A", "offerings[0]: must be an object"),
        ("offerings[0].id", "", "offerings[0].id: must be a non-empty string"),
        ("offerings[0].seats", "30", "offerings[0].seats: must be a whole number"),
        ("offerings[0].seats", 2.5, "offerings[0].seats: must be a whole number"),
        ("offerings[0].seats", -1, "offerings[0].seats: must not be negative"),
        ("offerings[0].seats", ..., "offerings[0].seats: is required"),
        ("offerings[0].room", "B2", "offerings[0].room: unknown field"),
        ("country_cap", True, "country_cap: must be a whole number"),
        ("country_cap_total", -2, "country_cap_total: must not be negative"),
        ("applicants", ..., "applicants: is required"),
        ("applicants[1]", [], "applicants[1]: must be an object"),
        ("applicants[1].id", 7, "applicants[1].id: must be a non-empty string"),
        ("applicants[1].id", "p1", "applicants[1].id: duplicate applicant 'p1'"),
        ("applicants[1].country", None, "applicants[1].country: must be a string"),
        ("applicants[1].country", " ", "applicants[1].country: an eligible applicant needs a member state"),
        ("applicants[1].merit", "high", "applicants[1].merit: must be a number"),
        ("applicants[1].merit", -1, "applicants[1].merit: must not be negative"),
        ("applicants[1].merit", ..., "applicants[1].merit: is required"),
        ("applicants[1].preferences", "A", "applicants[1].preferences: must be a list"),
        ("applicants[1].preferences", [], "applicants[1].preferences: an eligible applicant must list"),
        ("applicants[1].preferences", ["Z"], "applicants[1].preferences[0]: unknown offering 'Z'"),
        ("applicants[1].preferences", ["A", 3], "applicants[1].preferences[1]: must be an offering id"),
        ("applicants[1].preferences", ["A", "A"], "applicants[1].preferences[1]: offering 'A' is listed twice"),
        ("applicants[1].endorsement_rank", 1.5, "applicants[1].endorsement_rank: must be a whole number"),
        ("applicants[1].eligible", "yes", "applicants[1].eligible: must be true or false"),
        ("applicants[1].contry", "JM", "applicants[1].contry: unknown field"),
        ("notes", "x", "notes: unknown field"),
    ],
)
def test_a_malformed_problem_names_the_field(path: str, value: Any, message: str) -> None:
    with pytest.raises(ProblemError) as caught:
        parse_problem(broken(path, value))
    assert str(caught.value).startswith(message)
    assert caught.value.field == message.split(": ")[0]


def test_a_problem_that_is_not_an_object_is_malformed() -> None:
    with pytest.raises(ProblemError, match=r"^problem: must be a JSON object$"):
        parse_problem([ISSUE_EXAMPLE])


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        ("offerings", [], "offerings: infeasible as stated: there is no offering to allocate"),
        ("offerings[0].seats", 0, "offerings[0].seats: infeasible as stated: offering 'A' has no seats"),
        ("country_cap", 0, "country_cap: infeasible as stated: a cap of 0 allows no award"),
        ("country_cap_total", 0, "country_cap_total: infeasible as stated: a cap of 0 allows no award"),
        (
            "country_cap_total",
            2,
            "country_cap_total: infeasible as stated: 2 awards per member state in the call is below "
            "country_cap, 3 per offering; the caps contradict each other",
        ),
    ],
)
def test_an_infeasible_problem_says_which_constraint(path: str, value: Any, message: str) -> None:
    with pytest.raises(ProblemError) as caught:
        parse_problem(broken(path, value))
    assert str(caught.value) == message


def test_allocate_checks_a_problem_built_in_code() -> None:
    offerings = (OfferingSpec("A", 2), OfferingSpec("A", 1))
    with pytest.raises(ProblemError, match=r"^offerings\[1\]\.id: duplicate offering 'A'$"):
        allocate(Problem(offerings=offerings, applicants=()))
    nan = ApplicantSpec(id="p", country="JM", merit=math.nan, preferences=("A",))
    with pytest.raises(ProblemError, match=r"^applicants\[0\]\.merit: must be a number$"):
        allocate(Problem(offerings=offerings[:1], applicants=(nan,)))


def test_an_unreviewed_applicant_is_read_from_json_and_left_out() -> None:
    from faro.scholarships.allocation import ProblemError, parse_problem

    data = {
        "offerings": [{"id": "A", "seats": 2}],
        "applicants": [
            {"id": "p1", "country": "JM", "merit": 0, "preferences": ["A"], "reviewed": False},
            {"id": "p2", "country": "PE", "merit": 50, "preferences": ["A"]},
        ],
    }
    result = allocate(parse_problem(data))
    assert result.assignments == {"p2": "A"}
    assert result.reasons["p1"].code == "not_reviewed"
    assert result.reasons["p1"].text == "not reviewed: the application lacks the reviews the call requires"
    data["applicants"][0]["reviewed"] = "no"
    with pytest.raises(ProblemError, match="reviewed: must be true or false"):
        parse_problem(data)
