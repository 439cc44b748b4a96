"""Benchmark: parse a 10,000-row Zoom webinar attendee report (with rejoins) and a Teams report.

    .venv/bin/python bench/attendance.py

The target for the whole import (parse + match + write) is ≤ 2 s; parsing should be a small part.
"""

import os
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")

import django

django.setup()

from faro.webinars.attendance import parse_attendance  # noqa: E402
from faro.webinars.attendance.samples import teams_csv, zoom_webinar_csv  # noqa: E402

START = datetime(2020, 10, 21, 15, 0)


def people(rows: int, seed: int = 2020) -> list[dict[str, Any]]:
    """Attendees whose join rows add up to `rows`: most join once, some rejoin up to 4 times."""
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    total = 0
    while total < rows:
        n = min(rng.choice([1, 1, 1, 1, 2, 2, 3, 4]), rows - total)
        splits = [rng.randint(3, 40) for _ in range(n)]
        i = len(out)
        out.append(
            {
                "name": f"Oficial Portuario {i} Pérez",
                "email": f"oficial{i}@puerto{i % 97}.gob.example",
                "country": "Mexico",
                "minutes": sum(splits),
                "splits": splits,
            }
        )
        total += n
    return out


def measure(label: str, make: Callable[[], bytes]) -> None:
    data = make()
    parse_attendance(data)  # warm up
    timings, cpu = [], []
    for _ in range(5):
        began, began_cpu = time.perf_counter(), time.process_time()
        report = parse_attendance(data)
        timings.append(time.perf_counter() - began)
        cpu.append(time.process_time() - began_cpu)
    tracemalloc.start()
    parse_attendance(data)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    best = min(timings)
    print(
        f"{label:<22} {len(data) / 1e6:5.2f} MB  rows={report.rows:>6}  people={len(report.attendees):>5}  "
        f"errors={len(report.errors)}  best={best * 1000:6.1f} ms  median={sorted(timings)[2] * 1000:6.1f} ms  "
        f"cpu={min(cpu) * 1000:6.1f} ms  {report.rows / best:>9,.0f} rows/s  peak={peak / 1e6:5.1f} MB"
    )


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time suffers when shared)")
    crowd = people(10_000)
    hosts = [{"name": "CIP Secretariat", "email": "cip@oas.org", "country": "", "minutes": 120}]
    measure("zoom-webinar 10k rows", lambda: zoom_webinar_csv(crowd, topic="Bench", start=START, hosts=hosts))
    measure("teams 10k joins", lambda: teams_csv(crowd, title="Bench", start=START, language="es"))


if __name__ == "__main__":
    main()
