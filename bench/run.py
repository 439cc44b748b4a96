"""Run every benchmark in bench/ (each script prints its own figures): `python bench/run.py`."""

import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
HELPERS = {"run.py", "serving.py"}  # not benchmarks: this runner and the load benchmarks' shared plumbing


def main() -> int:
    failures = 0
    for script in sorted(BENCH.glob("*.py")):
        if script.name in HELPERS:
            continue
        print(f"== {script.stem}", flush=True)
        completed = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent, check=False)
        failures += completed.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
