"""Benchmark: import a 10,000-row Zoom webinar attendee report into a webinar (target ≤ 2 s).

Half the people registered, a quarter are known to Faro without registering, a quarter are new;
many rejoin (several rows each). Times the whole import (parse + match + bulk writes, one
transaction), the same file again (a no-op) and a corrected export (updates). Uses a throw-away
SQLite database unless DATABASE_URL is set.

    .venv/bin/python bench/webinars_import.py
"""

import datetime
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")

import django
from django.conf import settings

TMP = tempfile.TemporaryDirectory()
django.setup()
if not os.environ.get("DATABASE_URL"):
    settings.DATABASES["default"]["NAME"] = f"{TMP.name}/bench.sqlite3"
settings.MEDIA_ROOT = TMP.name
settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from faro.directory.models import Person  # noqa: E402
from faro.webinars import services  # noqa: E402
from faro.webinars.attendance import parse_attendance  # noqa: E402
from faro.webinars.attendance.samples import zoom_webinar_csv  # noqa: E402
from faro.webinars.models import Attendance, Webinar  # noqa: E402
from faro.webinars.services import attendance as attendance_service  # noqa: E402

ROWS = 10_000
START = datetime.datetime(2020, 10, 21, 15, 0, tzinfo=datetime.UTC)


def crowd(rows: int, seed: int = 2020) -> list[dict[str, Any]]:
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


def timed(label: str, function: Any) -> Any:
    """Wall time, and this process's CPU time (less sensitive to a machine shared with others)."""
    began, began_cpu = time.perf_counter(), time.process_time()
    value = function()
    wall, cpu = time.perf_counter() - began, time.process_time() - began_cpu
    print(f"  {label:<44} {wall:6.3f} s wall  {cpu:6.3f} s CPU")
    return value


def main() -> None:
    call_command("migrate", verbosity=0)
    print(f"{connection.vendor}, load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    people = crowd(ROWS)
    webinar = Webinar.objects.create(
        title={"en": "Bench"},
        starts_at=START,
        capacity=100_000,
        ends_at=START + datetime.timedelta(hours=3),
        status="published",
    )
    registered = [{"email": p["email"].upper(), "first_name": p["name"]} for p in people[::2]]
    services.import_registrations(webinar, acting_user=None, people=registered, registered_at=START)
    Person.objects.bulk_create(Person(first_name=p["name"], email=p["email"]) for p in people[1::4])
    data = zoom_webinar_csv(people, topic="Bench", start=START)
    print(
        f"{len(data) / 1e6:.2f} MB, {ROWS} attendee rows, {len(people)} people "
        f"({len(registered)} registered, {len(people[1::4])} known, the rest new)"
    )
    report = timed("parse only", lambda: parse_attendance(data))
    plan = timed(
        "dry run (parse + match)",
        lambda: attendance_service.import_attendance(webinar, acting_user=None, data=data, dry_run=True),
    )
    plan = timed(
        "import (parse + match + write)",
        lambda: attendance_service.import_attendance(webinar, acting_user=None, data=data),
    )
    counts = plan.counts
    print(
        f"    rows={report.rows} attendees={counts['attendees']} registered={counts['registered']} "
        f"known={counts['known_people']} new={counts['new_people']} written={plan.created}"
    )
    timed(
        "same file again (changes nothing)",
        lambda: attendance_service.import_attendance(webinar, acting_user=None, data=data),
    )
    for person in people[::10]:
        person["minutes"] += 1
        person["splits"][-1] += 1
    corrected = zoom_webinar_csv(people, topic="Bench", start=START)
    plan = timed(
        "corrected export (updates)",
        lambda: attendance_service.import_attendance(webinar, acting_user=None, data=corrected),
    )
    print(f"    updated={plan.updated}; attendance rows: {Attendance.objects.count()}; target ≤ 2 s for the import")


if __name__ == "__main__":
    main()
