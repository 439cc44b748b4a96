"""Reports and portal compose the programmes' own querysets: they restate no status and no rule.

Every status-like value the programmes define (their `TextChoices`) is looked for where a rule
would be restated — a filter keyword (`status__in=[…]`, `outcome=…`, `role=…`), a comparison with
a `.status`/`.outcome`/`.role`, or a module or class constant — in `faro/reports` and
`faro/portal` (tests, migrations and demo loaders aside). `apps.get_model` is not used either:
the programmes are imported, so a renamed model or status breaks loudly, not silently.
"""

import ast
from pathlib import Path

from django.conf import settings
from django.db import models

from faro.certificates import models as certificates
from faro.courses import models as courses
from faro.meetings import models as meetings
from faro.scholarships import models as scholarships
from faro.webinars import models as webinars

RULED = ("status", "outcome", "role", "result", "endorsement", "state")
CHECKED = ("reports", "portal")


def programme_values() -> set[str]:
    """Every choice value of every TextChoices class of the programmes' models."""
    values: set[str] = set()
    for module in (courses, scholarships, webinars, meetings, certificates):
        for owner in vars(module).values():
            for inner in [owner, *vars(owner).values()] if isinstance(owner, type) else []:
                if isinstance(inner, type) and issubclass(inner, models.TextChoices):
                    values |= {str(value) for value in inner.values}
    return values


def checked_files() -> list[Path]:
    root = Path(settings.BASE_DIR) / "faro"
    files = [path for app in CHECKED for path in (root / app).rglob("*.py")]
    return [p for p in files if not {"tests", "migrations"} & set(p.parts) and not p.name.startswith("demo")]


def _literals(node: ast.AST) -> list[str]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.List | ast.Tuple | ast.Set):
        return [value for element in node.elts for value in _literals(element)]
    return []


def _ruled(name: str) -> bool:
    return any(part in RULED for part in name.lower().split("__"))


def restated(tree: ast.AST, values: set[str]) -> list[tuple[int, str]]:
    """(line, value) of each status value used as a rule in the module."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):  # an app's own choices (portal's mailing statuses) are its own
        if isinstance(node, ast.ClassDef) and any("Choices" in ast.unparse(base) for base in node.bases):
            node.body = []
    for node in ast.walk(tree):
        candidates: list[str] = []
        if isinstance(node, ast.keyword) and node.arg and _ruled(node.arg):
            candidates = _literals(node.value)
        elif isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(isinstance(s, ast.Attribute) and _ruled(s.attr) for s in sides):
                candidates = [value for side in sides for value in _literals(side)]
        elif isinstance(node, ast.Assign) and all(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
            candidates = _literals(node.value)
        found += [(getattr(node, "lineno", 0), value) for value in candidates if value in values]
    return found


def test_reports_and_portal_restate_no_programme_status() -> None:
    values = programme_values()
    assert {"attendee", "accepted", "completed", "held", "issued", "draft"} <= values
    offences = [
        f"{path.relative_to(settings.BASE_DIR)}:{line}: {value!r}"
        for path in checked_files()
        for line, value in restated(ast.parse(path.read_text()), values)
    ]
    assert offences == []


def test_reports_and_portal_do_not_look_models_up_by_name() -> None:
    offences = [str(p) for p in checked_files() if "get_model" in p.read_text()]
    assert offences == []


def test_the_check_would_catch_a_copied_status_list() -> None:
    copied = ast.parse(
        'HOLDING = ("awarded", "accepted")\n'
        'rows.filter(offers__status="accepted")\n'
        'cancelled = webinar.status == "cancelled"\n'
        'counts["failed"] += 1\n'
    )
    assert sorted(restated(copied, programme_values())) == [
        (1, "accepted"),
        (1, "awarded"),
        (2, "accepted"),
        (3, "cancelled"),
    ]
