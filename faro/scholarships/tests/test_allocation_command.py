"""`manage.py allocate`: JSON in, JSON (or a summary) out, exit code 2 for a bad problem."""

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

PROBLEM: dict[str, Any] = {
    "offerings": [{"id": "A", "seats": 1}, {"id": "B", "seats": 2}],
    "country_cap": 1,
    "country_cap_total": 2,
    "applicants": [
        {"id": "p1", "country": "JM", "merit": 87.5, "preferences": ["A", "B"], "endorsement_rank": 1},
        {"id": "p2", "country": "JM", "merit": 80, "preferences": ["A"]},
        {"id": "p3", "country": "HT", "merit": 60, "preferences": ["B"], "eligible": False},
        {"id": "p4", "country": "JM", "merit": 50, "preferences": ["A"]},
    ],
}


def problem_file(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("allocate", *args, stdout=out)
    return out.getvalue()


def test_it_prints_the_result_as_json(tmp_path: Path) -> None:
    data = json.loads(run("--input", problem_file(tmp_path, PROBLEM), "--json"))
    assert data == {
        "assignments": {"p1": "B", "p2": "A"},
        "waitlists": {"A": ["p4"], "B": []},
        "objective": {"member_states": 1, "merit": 167.5, "first_choice": 1},
        "reasons": {
            "p1": "awarded: offering B, choice 2; JM's cap of 1 on offering A, the first choice, is reached",
            "p2": "awarded: offering A, the first choice",
            "p3": "not eligible: the application does not meet the conditions of the call",
            "p4": "waitlisted: JM's cap of 1 on offering A is reached; position 1 on its waitlist",
        },
    }


def test_without_json_it_prints_a_summary(tmp_path: Path) -> None:
    lines = run("--input", problem_file(tmp_path, PROBLEM)).splitlines()
    assert lines[0] == "2 awards to 1 member state; merit 167.5; 1 in their first choice"
    assert lines[1:3] == ["  A: 1 of 1 seats, 1 waiting", "  B: 1 of 2 seats, 0 waiting"]
    assert "p2: awarded: offering A, the first choice" in lines


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ({**PROBLEM, "country_cap": 0}, "the problem is not valid: country_cap: infeasible as stated"),
        ({**PROBLEM, "offerings": [{"id": "A", "seats": "1"}]}, "offerings[0].seats: must be a whole number"),
        ('{"offerings": [', "problem.json: not valid JSON"),
    ],
)
def test_a_bad_problem_is_a_command_error_with_exit_code_2(tmp_path: Path, content: Any, message: str) -> None:
    with pytest.raises(CommandError) as caught:
        run("--input", problem_file(tmp_path, content), "--json")
    assert message in str(caught.value)
    assert caught.value.returncode == 2


def test_a_missing_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read the file") as caught:
        run("--input", str(tmp_path / "nowhere.json"))
    assert caught.value.returncode == 2


def test_it_needs_either_a_call_or_an_input() -> None:
    with pytest.raises(CommandError, match="either a call id or --input"):
        run("--json")
    with pytest.raises(CommandError, match="either a call id or --input"):
        run("7", "--input", "problem.json")


@pytest.mark.django_db
def test_an_unknown_call_is_reported() -> None:
    with pytest.raises(CommandError, match="there is no call 7"):
        run("7", "--json")


def test_from_the_shell_a_bad_problem_exits_2_with_a_message_and_no_traceback(tmp_path: Path) -> None:
    path = problem_file(tmp_path, {**PROBLEM, "applicants": [{**PROBLEM["applicants"][0], "preferences": ["Z"]}]})
    completed = subprocess.run(
        [sys.executable, "manage.py", "allocate", "--input", path, "--json"],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stdout == ""
    assert "applicants[0].preferences[0]: unknown offering 'Z'" in completed.stderr
    assert "Traceback" not in completed.stderr
