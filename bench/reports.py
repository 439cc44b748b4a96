"""Benchmark: the staff dashboard for one year on PostgreSQL, 1,000,000 attendance rows, 100,000 people.

    .venv/bin/python bench/reports.py [--keep] [--reuse]

Creates (and drops again unless --keep) the throwaway database `faro_bench` on the server of
$BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/faro_bench), migrates it, loads
the rows with COPY, ANALYZEs, then times the dashboard (Django test client: view, queries and
template) and each figure, then the annual XLSX workbook and PDF report. Targets: ≤ 300 ms
server time (median) for a year's dashboard; ≤ 5 s for each annual file.

The volumes: 100,000 people in the 35 member states; 1,000 webinars over 2019–2023 with 1,000
attendance rows and 1,000 registrations each (so 200,000 attendance rows fall in one year);
50,000 survey responses; 12 course offerings a year with 400 scholarships; 10 meetings; and
100,000 certificates.
"""

import datetime
import json
import os
import random
import statistics
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/faro_bench")
os.environ["DATABASE_URL"] = URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")

import django  # noqa: E402
import psycopg  # noqa: E402

PEOPLE, WEBINARS, PER_WEBINAR, YEARS = 100_000, 1_000, 1_000, range(2019, 2024)
UTC = datetime.UTC
NOW = datetime.datetime(2024, 1, 1, tzinfo=UTC)
rng = random.Random(2020)


def recreate_database() -> None:
    name = urlparse(URL).path.lstrip("/")
    admin = URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database() -> None:
    from django.db import connections

    connections.close_all()
    name = urlparse(URL).path.lstrip("/")
    with psycopg.connect(URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def copy_rows(model: Any, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows (dicts by attname) into the model's table; unset fields take their defaults."""
    from django.db import connection
    from django.db.models import JSONField

    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(f'"{f.column}"' for f in fields)
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                values = []
                for f in fields:
                    value = row[f.attname] if f.attname in row else _default(f)
                    values.append(json.dumps(value) if isinstance(f, JSONField) and value is not None else value)
                copy.write_row(values)
                count += 1
    return count


def _default(field: Any) -> Any:
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return NOW
    if field.has_default():
        return field.get_default()
    return None if field.null else ""


def load() -> None:
    from faro.courses.models import Course, Enrolment, Offering
    from faro.directory.models import Institution, MemberState, Person
    from faro.meetings.models import Delegation, Meeting, Participant
    from faro.scholarships.models import Application, Call, Offer
    from faro.webinars.models import Attendance, Registration, SurveyResponse, Webinar

    states = list(MemberState.objects.values_list("pk", flat=True))
    genders = ["woman"] * 35 + ["man"] * 55 + [""] * 10
    levels = ["senior", "middle", "technical", "operational", ""]
    partners = [
        Institution.objects.create(name=f"Partner {i}", acronym=f"P{i}", kind="port_authority", country_code="PE")
        for i in range(3)
    ]
    copy_rows(
        Person,
        (
            {
                "first_name": f"Official{i}",
                "last_name": "Bench",
                "email": None,
                "member_state_id": rng.choice(states),
                "gender": rng.choice(genders),
                "position_level": rng.choice(levels),
                "preferred_language": "es",
            }
            for i in range(PEOPLE)
        ),
    )
    people = list(Person.objects.values_list("pk", flat=True))
    webinars = Webinar.objects.bulk_create(
        Webinar(
            title={"en": f"Webinar {i}"},
            starts_at=datetime.datetime(YEARS[i % len(YEARS)], 1 + i % 12, 1 + i % 28, 15, tzinfo=UTC),
            ends_at=datetime.datetime(YEARS[i % len(YEARS)], 1 + i % 12, 1 + i % 28, 17, tzinfo=UTC),
            status="held" if i % 20 else "cancelled",
        )
        for i in range(WEBINARS)
    )
    Webinar.partners.through.objects.bulk_create(
        Webinar.partners.through(webinar_id=w.pk, institution_id=partners[i % 3].pk) for i, w in enumerate(webinars)
    )
    crowds = {w.pk: rng.sample(people, PER_WEBINAR) for w in webinars}
    started = time.perf_counter()
    copy_rows(
        Attendance,
        (
            {"webinar_id": w, "person_id": p, "role": "attendee" if k > 2 else "panelist", "minutes": 30 + k % 60}
            for w, crowd in crowds.items()
            for k, p in enumerate(crowd)
        ),
    )
    copy_rows(
        Registration,
        (
            {"webinar_id": w, "person_id": p, "status": "confirmed", "consented_at": NOW, "key": f"{w:08x}{p:024x}"}
            for w, crowd in crowds.items()
            for p in crowd
        ),
    )
    copy_rows(
        SurveyResponse,
        (
            {"webinar_id": w, "person_id": p, **dict.fromkeys(SurveyResponse.RATINGS, 1 + (p % 5))}
            for w, crowd in crowds.items()
            for p in crowd[:50]
        ),
    )
    print(f"  attendance, registrations and surveys copied in {time.perf_counter() - started:.0f} s")
    course_list = Course.objects.bulk_create(
        Course(title={"en": f"Course {i}"}, provider=partners[i % 3], modality="online_tutored", hours=40)
        for i in range(12)
    )
    for year in YEARS:
        offerings = Offering.objects.bulk_create(
            Offering(
                course=c,
                code=f"{year}-{c.pk}",
                start=datetime.date(year, 7, 1),
                end=datetime.date(year, 9, 30),
                seats=34,
            )
            for c in course_list
        )
        call = Call.objects.create(
            title={"en": f"Call {year}"},
            year=year,
            status="finished",
            opens_at=datetime.datetime(year, 3, 1, tzinfo=UTC),
            closes_at=datetime.datetime(year, 4, 1, tzinfo=UTC),
            results_on=datetime.date(year, 5, 1),
            accept_by=datetime.datetime(year, 5, 15, tzinfo=UTC),
            start=datetime.date(year, 7, 1),
            end=datetime.date(year, 12, 31),
        )
        call.offerings.set(offerings)
        applicants = rng.sample(people, 2_000)
        applications = Application.objects.bulk_create(
            Application(call=call, person_id=p, status="submitted") for p in applicants
        )
        awarded = applications[:400]
        Offer.objects.bulk_create(
            Offer(application=a, offering=offerings[k % 12], status="accepted", accept_by=call.accept_by)
            for k, a in enumerate(awarded)
        )
        Enrolment.objects.bulk_create(
            Enrolment(offering=offerings[k % 12], person_id=a.person_id, outcome="completed" if k % 5 else "failed")
            for k, a in enumerate(awarded)
        )
        for m in range(2):
            meeting = Meeting.objects.create(
                kind="tag",
                title={"en": f"Meeting {year}-{m}"},
                start_date=datetime.date(year, 5, 19),
                end_date=datetime.date(year, 5, 21),
                status="held",
            )
            delegations = Delegation.objects.bulk_create(
                Delegation(meeting=meeting, member_state_id=s, status="accredited") for s in states[:30]
            )
            Participant.objects.bulk_create(
                Participant(delegation=d, person_id=p, role="delegate", badge_code=f"b{meeting.pk}-{d.pk}-{p}")
                for d in delegations
                for p in rng.sample(people, 3)
            )
    certify(crowds)


def certify(crowds: dict[int, list[int]]) -> None:
    """100 certificates per webinar (skipped while the certificates programme is not installed)."""
    try:
        from faro.certificates.models import Certificate, CertificateTemplate
    except ImportError:
        print("  certificates not installed: no certificates loaded")
        return
    from django.contrib.contenttypes.models import ContentType

    from faro.webinars.models import Webinar

    template = CertificateTemplate.objects.create(
        name="Bench", kind="webinar_participation", heading={"en": "C"}, body={"en": "C"}
    )
    webinar_type = ContentType.objects.get_for_model(Webinar)
    issued = ((w, p) for w, crowd in crowds.items() for p in crowd[:100])
    copy_rows(
        Certificate,
        (
            {
                "code": f"B{i:011d}",
                "kind": "webinar_participation",
                "template_id": template.pk,
                "source_type_id": webinar_type.pk,
                "source_id": w,
                "holder_id": p,
                "holder_name": "Official",
                "achievement": {"en": "Webinar"},
                "issuer_name": "CIP",
                "achieved_on": datetime.date(YEARS[i % len(YEARS)], 6, 1),
                "issued_at": NOW,
                "status": "issued",
            }
            for i, (w, p) in enumerate(issued)
        ),
    )


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def backend_cpu_ms(pid: int) -> float:
    """CPU time the PostgreSQL backend has used (it runs on this host), from /proc; 0 if unknown."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) * 1000 / os.sysconf("SC_CLK_TCK")


def time_dashboard(
    query: dict[str, str], runs: int = 7, serial: bool = False
) -> tuple[float, float, float, float, int]:
    """Best and median server time (ms) of GET /reports/ as staff, the median CPU time it took
    (Django + PostgreSQL backend: what the page costs when the machine is not shared), the part
    of it spent in PostgreSQL, and its number of queries.

    The CPU of PostgreSQL's parallel workers is not seen from here: `serial` turns them off, so
    that the CPU time counts all the work."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from faro.accounts.models import RoleAssignment, User

    user = User.objects.filter(email="bench@cip.example.org").first()
    if user is None:
        user = User.objects.create_user("bench@cip.example.org", "bench-password")
        RoleAssignment.objects.create(user=user, role="staff")
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    url = reverse("reports:dashboard")
    client.get(url, query)  # warm up
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
        cursor.execute("SET max_parallel_workers_per_gather = %s", [0 if serial else 2])
    timings, cpu, db = [], [], []
    for _ in range(runs):
        began, began_cpu, began_db = time.perf_counter(), time.process_time(), backend_cpu_ms(backend)
        response = client.get(url, query)
        timings.append((time.perf_counter() - began) * 1000)
        db.append(backend_cpu_ms(backend) - began_db)
        cpu.append((time.process_time() - began_cpu) * 1000 + db[-1])
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(url, query)
    with connection.cursor() as cursor:
        cursor.execute("RESET max_parallel_workers_per_gather")
    return min(timings), statistics.median(timings), statistics.median(cpu), statistics.median(db), len(queries)


def time_figures(year: int) -> Iterator[tuple[str, float, Any]]:
    from faro.reports.audience import EVERYTHING
    from faro.reports.figures import available_figures, figure_value
    from faro.reports.periods import calendar_year

    period = calendar_year(year)
    for figure in available_figures():
        began = time.perf_counter()
        value = figure_value(figure.key, period, EVERYTHING)
        yield figure.key, (time.perf_counter() - began) * 1000, value


def time_exports(year: int) -> Iterator[tuple[str, float, int]]:
    """Seconds to build the annual workbook and the annual PDF report, and their sizes."""
    from faro.reports.audience import EVERYTHING
    from faro.reports.exports import pdf_bytes, xlsx_bytes
    from faro.reports.periods import calendar_year

    period = calendar_year(year)
    for label, build in [("XLSX workbook", xlsx_bytes), ("PDF report", pdf_bytes)]:
        began = time.perf_counter()
        data = build(period, EVERYTHING)
        yield label, time.perf_counter() - began, len(data)


def main() -> None:
    keep, reuse = "--keep" in sys.argv, "--reuse" in sys.argv
    if not reuse:
        recreate_database()
    django.setup()
    from django.core.management import call_command

    from faro.webinars.models import Attendance

    if not reuse:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        load()
        analyse()
        print(f"loaded {Attendance.objects.count():,} attendance rows in {time.perf_counter() - started:.0f} s")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time suffers when shared)")
    for key, ms, value in time_figures(2020):
        print(f"  {key:<28} {ms:7.1f} ms  {value}")
    for label, query in [
        ("dashboard 2020 (people reached by member state)", {"kind": "year", "year": "2020"}),
        (
            "dashboard 2020 (unique attendees by gender)",
            {"kind": "year", "year": "2020", "figure": "webinar_unique_attendees", "dimension": "gender"},
        ),
        ("dashboard 2019–2023 (all 1,000,000 rows)", {"kind": "custom", "start": "2019-01-01", "end": "2023-12-31"}),
    ]:
        for serial in (False, True):
            best, median, cpu, db, queries = time_dashboard(query, serial=serial)
            verdict = "OK" if median <= 300 else "OVER 300 ms"
            print(
                f"{label if not serial else '  … no parallel workers: all CPU counted':<50} best {best:5.0f} ms  "
                f"median {median:5.0f} ms  cpu {cpu:5.0f} ms (PostgreSQL {db:4.0f})  {queries} queries  {verdict}"
            )
    for label, seconds, size in time_exports(2020):
        verdict = "OK" if seconds <= 5 else "OVER 5 s"
        print(f"annual {label} 2020{'':<29} {seconds:5.1f} s  {size:,} bytes  {verdict}")
    if not keep:
        drop_database()


if __name__ == "__main__":
    main()
