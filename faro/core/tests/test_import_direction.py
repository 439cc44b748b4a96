"""The arrows of the house plan point one way (docs/architecture.md): read every import in `faro/`.

`core` and `lib` import no app; `directory` and `accounts` only each other; a programme imports no other
programme (scholarships builds on courses); nothing imports `reports`, `portal` or `api` — except each
app's own `api.py`, which is part of the API layer. Tests and migrations are not held to it.
"""

import ast
from pathlib import Path

FARO = Path(__file__).resolve().parents[2]
FOUNDATION = {"core", "lib"}
PEOPLE = FOUNDATION | {"directory", "accounts"}
PROGRAMMES = {"courses", "scholarships", "webinars", "meetings"}
MAY_IMPORT = {
    "lib": {"lib", "celery"},  # faro.celery: the project's Celery app, which lib.tasks loads on first send
    "core": FOUNDATION,
    "directory": PEOPLE,
    "accounts": PEOPLE,
    "courses": PEOPLE,
    "scholarships": PEOPLE | {"courses"},
    "webinars": PEOPLE,
    "meetings": PEOPLE,
    "certificates": PEOPLE | PROGRAMMES,
    "reports": PEOPLE | PROGRAMMES | {"certificates"},
    "portal": PEOPLE | PROGRAMMES | {"certificates"},
    "api": PEOPLE | PROGRAMMES | {"certificates", "reports", "portal", "api"},
}


def faro_imports(path: Path) -> set[str]:
    """The Faro apps one module imports, at any depth (function-level imports count too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        found |= {name.split(".")[1] for name in names if name.startswith("faro.") and name.count(".") >= 1}
    return found


def app_modules() -> list[tuple[str, Path]]:
    modules = []
    for path in sorted(FARO.rglob("*.py")):
        parts = path.relative_to(FARO).parts
        if len(parts) > 1 and "tests" not in parts and "migrations" not in parts:
            modules.append((parts[0], path))
    return modules


def test_every_app_has_a_place_in_the_plan() -> None:
    apps = {app for app, _path in app_modules()}
    assert apps <= set(MAY_IMPORT), f"apps missing from the plan: {sorted(apps - set(MAY_IMPORT))}"


def test_imports_point_the_way_the_plan_says() -> None:
    wrong = []
    for app, path in app_modules():
        allowed = MAY_IMPORT.get(app, set()) | ({"api"} if path.name == "api.py" else set())
        wrong += [f"{path.relative_to(FARO)} imports faro.{target}" for target in faro_imports(path) - allowed - {app}]
    assert wrong == []


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    from faro.reports.figures import x\n    import faro.webinars.models\n")
    assert faro_imports(module) == {"reports", "webinars"}
