"""Every environment variable settings.py reads is listed in .env.example and the README."""

import re
from pathlib import Path

from django.conf import settings

BASE = Path(settings.BASE_DIR)


def test_every_environment_variable_is_documented() -> None:
    source = (BASE / "faro" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list|url)\(\s*"([A-Z0-9_]+)"', source))
    assert {"DEBUG", "DATABASE_URL", "LOGIN_FAILURE_LIMIT", "FARO_REQUIRE_STAFF_2FA"} <= names
    example = {line.split("=")[0] for line in (BASE / ".env.example").read_text().splitlines() if "=" in line}
    readme = (BASE / "README.md").read_text()
    assert not names - example, f"missing from .env.example: {sorted(names - example)}"
    assert not {n for n in names if f"`{n}`" not in readme}, "missing from the README's table"


def test_production_settings_pass_the_deployment_checklist() -> None:
    """`manage.py check --deploy` with the environment the README's Production section sets: no warning."""
    import os
    import secrets
    import subprocess
    import sys

    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}  # set for Playwright
    env = {
        **inherited,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "faro.example.org",
        "SITE_URL": "https://faro.example.org",
        "HSTS_SECONDS": "31536000",
        "DATABASE_URL": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
