"""SITE_URL follows `make run HOST=… PORT=…` in development and must be explicit in production."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "from django.conf import settings; from faro.certificates.signing import issuer_did; "
    "print(settings.SITE_URL); print(issuer_did())"
)


def run(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SITE_URL", "HOST", "PORT", "DEBUG"}}
    command = [sys.executable, "manage.py", "shell", "-c", PROBE]
    command += ["-v", "0"]
    return subprocess.run(command, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120)


def test_development_links_follow_the_port_faro_runs_on() -> None:
    result = run(PORT="8080")
    assert result.stdout.split() == ["http://127.0.0.1:8080", "did:web:127.0.0.1%3A8080"]


def test_a_bind_all_host_gives_a_loopback_link() -> None:
    assert run(HOST="0.0.0.0", PORT="9000")  # noqa: S104 — the address make run may be given.stdout.split()[0] == "http://127.0.0.1:9000"


def test_an_explicit_site_url_wins() -> None:
    assert run(PORT="8080", SITE_URL="https://faro.example.org/").stdout.split()[0] == "https://faro.example.org"


def test_production_refuses_to_start_without_site_url() -> None:
    result = run(DEBUG="0", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "SITE_URL must be set" in result.stderr
