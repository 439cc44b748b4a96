"""The benchmarks still run against today's code: a benchmark that breaks when a service's signature
changes would otherwise go unnoticed until someone needs its figures."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_exports_benchmark_runs_at_a_small_size() -> None:
    command = [sys.executable, "bench/exports.py", "--rows", "40", "--large", "0", "--mails", "2", "--sqlite"]
    # its own throw-away SQLite file, never the database this test run was pointed at
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    assert "xlsx 40" in done.stdout
    assert "confirmation mails: 2 rendered" in done.stdout
