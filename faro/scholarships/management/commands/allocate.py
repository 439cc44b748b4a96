"""Run the allocation engine on a JSON problem or on a call and print the result.

    python manage.py allocate --input problem.json --json     # the result as JSON
    python manage.py allocate --input problem.json            # a summary for operators
    python manage.py allocate <call-id> --json                # preview a real call

A malformed or infeasible problem ends with exit code 2 and a message naming the field.
"""

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from faro.scholarships.allocation import Problem, ProblemError, Result, allocate, parse_problem, result_to_json

BAD_PROBLEM = 2  # exit code for a malformed or infeasible problem


def problem_for_call(call_id: str) -> Problem:
    """The allocation problem of a call in the database (a preview: nothing is written)."""
    from faro.scholarships.models import Call
    from faro.scholarships.services import build_allocation_problem

    call = Call.objects.filter(pk=int(call_id)).first() if call_id.isdigit() else None
    if call is None:
        raise CommandError(f"there is no call {call_id}", returncode=1)
    problem: Problem = build_allocation_problem(call)
    return problem


def problem_from_file(path: str) -> Problem:
    """The problem in a JSON file ("-" reads standard input)."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            data = json.load(sys.stdin)
        else:
            with open(path, encoding="utf-8") as file:
                data = json.load(file)
    except OSError as error:
        raise CommandError(f"{name}: cannot read the file ({error.strerror})", returncode=BAD_PROBLEM) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise CommandError(f"{name}: not valid JSON ({error})", returncode=BAD_PROBLEM) from None
    return parse_problem(data)


class Command(BaseCommand):
    help = "Allocate scholarships for a JSON problem (--input) or a call, and print the result."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("call_id", nargs="?", help="the call to preview")
        parser.add_argument("--input", metavar="FILE", help='a JSON problem file ("-" for standard input)')
        parser.add_argument("--json", action="store_true", help="print the result as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if bool(options["call_id"]) == bool(options["input"]):
            raise CommandError("give either a call id or --input FILE", returncode=BAD_PROBLEM)
        try:
            input_file, call_id = options["input"], options["call_id"]
            problem = problem_from_file(input_file) if input_file else problem_for_call(call_id)
            result = allocate(problem)
        except ProblemError as error:
            raise CommandError(f"the problem is not valid: {error}", returncode=BAD_PROBLEM) from None
        if options["json"]:
            self.stdout.write(json.dumps(result_to_json(result), indent=2, ensure_ascii=False))
        else:
            self.stdout.write(summary(problem, result))


def summary(problem: Problem, result: Result) -> str:
    """The result in a few lines: the objective, seats filled per offering, a reason per applicant."""
    objective = result.objective
    awards, states = len(result.assignments), objective["member_states"]
    lines = [
        f"{awards} award{'' if awards == 1 else 's'} to {states} member state{'' if states == 1 else 's'}; "
        f"merit {objective['merit']}; {objective['first_choice']} in their first choice",
    ]
    filled = {offering.id: 0 for offering in problem.offerings}
    for offering_id in result.assignments.values():
        filled[offering_id] += 1
    for offering in sorted(problem.offerings, key=lambda o: o.id):
        waiting = len(result.waitlists[offering.id])
        lines.append(f"  {offering.id}: {filled[offering.id]} of {offering.seats} seats, {waiting} waiting")
    lines.extend(f"{applicant_id}: {reason.text}" for applicant_id, reason in result.reasons.items())
    return "\n".join(lines)
