"""Staff pages that list or count, in-process: app CPU, SQL statements and size per request.

Target (issue 17): a call's review table, a webinar's registrants, the people directory and the
dashboard each ≤ 10 ms of app CPU per request at the demo's size, and no faster growth than the
page size (`faro/tests/test_flat_queries.py` holds the query counts flat).

Set-up: a throw-away PostgreSQL database `faro_bench_staff` (dropped afterwards; SQLite in a temporary
file with `--sqlite`), migrated, with `load_demo`; `DEBUG=0`. The demo's staff user is signed in through
Django's test client (`force_login`); each page is visited once to warm per-process caches, then
`--requests` times. Per page it prints the median CPU ms per request (`time.process_time` around the
request: view, queries as the client sees them, template, middleware; not the database server's CPU),
SQL statements per request and the response's size. `--profile` prints cProfile's top functions for
the slowest page.

Run: `python bench/staff_pages.py [--requests 50] [--sqlite] [--profile] [--sql] [--database NAME]`
(`--sql` lists each page's statements; `--database` names the throw-away database, so that two runs on
one machine do not drop each other's).
"""

import argparse
import cProfile
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parent.parent))  # Faro itself, run in-process
import serving  # the shared database plumbing

DATABASE = "faro_bench_staff"
TARGET_MS = 10.0


def prepare_database(sqlite: bool, tmp: str, reuse: bool, database: str) -> str:
    """Point Django at a fresh database (or the kept one, with `reuse`); returns its label."""
    if sqlite or not serving.answers(5432):
        os.environ["BENCH_SQLITE"] = f"{tmp}/bench.sqlite3"
        return "SQLite"
    import psycopg

    os.environ.pop("BENCH_SQLITE", None)
    if not reuse:
        with psycopg.connect(serving.PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{database}"')
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{database}"
    return "PostgreSQL"


def drop_database(database: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(serving.PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def staff_pages() -> dict[str, str]:
    """The demo's four pages: a call in review, the webinar with most registrants, people, dashboard."""
    from django.db.models import Count
    from django.urls import reverse

    from faro.scholarships.models import Call
    from faro.webinars.models import Webinar

    call = Call.objects.filter(status=Call.Status.REVIEW).order_by("pk").first()
    call = call or Call.objects.annotate(n=Count("applications")).order_by("-n", "pk").first()
    webinar = Webinar.objects.annotate(n=Count("registrations")).order_by("-n", "pk").first()
    assert call is not None and webinar is not None, "the demo holds a call and a webinar"
    return {
        "review table": reverse("scholarships:manage_call", args=[call.pk]),
        "registrants": reverse("webinars:manage_registrants", args=[webinar.pk]),
        "people": reverse("directory:people"),
        "dashboard": reverse("reports:dashboard"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument(
        "--profile", nargs="?", const="", metavar="PAGE", help="cProfile (CPU time) the slowest page, or PAGE"
    )
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--reuse", action="store_true", help="use the kept database as it is (no demo load)")
    parser.add_argument("--sql", action="store_true", help="list each page's SQL statements")
    parser.add_argument("--database", default=DATABASE, help=f"the PostgreSQL database's name ({DATABASE})")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="faro-bench-staff-")
    serving.settings_files(tmp)  # Faro's settings, static files without a manifest
    sys.path.insert(0, tmp)
    os.environ.update(serving.bench_env(tmp, serving.Database(sqlite=True)), ALLOWED_HOSTS="testserver")
    label = prepare_database(args.sqlite, tmp, args.reuse, args.database)
    try:
        return run(args, label)
    finally:
        if label == "PostgreSQL" and not args.keep:
            drop_database(args.database)
        shutil.rmtree(tmp, ignore_errors=True)


def run(args: argparse.Namespace, label: str) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from faro.accounts.models import User

    if not (args.reuse and label == "PostgreSQL"):
        call_command("migrate", verbosity=0)
        call_command("load_demo", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    client = Client()
    client.force_login(User.objects.get(email="staff@faro.demo"))
    print(f"{label}, demo data, {args.requests} warm requests a page; machine load {serving.load_average()}")
    print(f"{'page':<14} {'CPU ms':>7} {'SQL':>4} {'KiB':>6}  url")
    results: dict[str, float] = {}
    failed = False
    for name, url in staff_pages().items():
        response = client.get(url)  # warm: per-process caches, compiled templates
        assert response.status_code == 200, f"{url}: {response.status_code}"
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        statements = len(queries)  # now: the log it reads is emptied by the next request
        sent = [query["sql"] for query in queries.captured_queries]
        times = []
        for _ in range(args.requests):
            start = time.process_time()
            response = client.get(url)
            times.append(1000 * (time.process_time() - start))
        results[name] = median = statistics.median(times)
        failed |= median > TARGET_MS
        mark = "" if median <= TARGET_MS else f"  > {TARGET_MS:g} ms"
        print(f"{name:<14} {median:7.2f} {statements:4d} {len(response.content) / 1024:6.1f}  {url}{mark}")
        if args.sql:
            for sql in sent:
                print(f"    {sql[:160]}")
    if args.profile is not None:
        slowest = args.profile or max(results, key=results.__getitem__)
        url = staff_pages()[slowest]
        profiler = cProfile.Profile(time.process_time)  # CPU, not waiting for the database
        profiler.enable()
        for _ in range(args.requests):
            client.get(url)
        profiler.disable()
        print(f"\ncProfile, {slowest} ({url}), {args.requests} requests:")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
