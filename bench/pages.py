"""Public pages under load, each beside `/healthz` measured by the same server in the same run.

Targets (issue "Fast where the crowd arrives"): every public page an anonymous visitor uses at
≥ 25 % of `/healthz` throughput; SQL statements per page printed so a regression shows.

Set-up, as in production as far as this machine goes: gunicorn with 2 sync workers, `DEBUG=0`,
PostgreSQL (a throw-away database, dropped afterwards) with the demo loaded and 3,000 registrations
on the webinar whose page is measured, Redis as cache and broker when it answers on 127.0.0.1:6379
(no Celery worker: nothing here enqueues). wrk (installed from Debian when missing) sends the load,
only ever to 127.0.0.1. For each page it prints req/s, p50/p99, app CPU per request (gunicorn's
workers, from /proc), PostgreSQL CPU per request, SQL statements per request (counted once through
Django's test client in a separate process) and the ratio to `/healthz`; then each worker's RSS.

Run: `python bench/pages.py [--seconds 10] [--connections 16] [--language es | --languages en,es,pt,fr] [--sqlite]`.
"""

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serving  # the shared gunicorn, wrk and database plumbing

PREPARE = """
import datetime, json, sys, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)
from faro.certificates.models import Certificate
from faro.courses.models import Course
from faro.directory.models import MemberState, Person
from faro.portal.models import NewsPost
from faro.scholarships.models import Call
from faro.webinars.models import Registration, Webinar
webinar = Webinar.objects.public().upcoming().first() or Webinar.objects.public().order_by("-starts_at").first()
state = MemberState.objects.order_by("code").first()
if not webinar.registrations.filter(person__email__startswith="bench-").exists():
    people = Person.objects.bulk_create(Person(first_name="Bench", last_name=f"Registrant {n}", member_state=state,
                                               email=f"bench-{n}@port.example.org") for n in range(3000))
    now = timezone.now()
    Registration.objects.bulk_create(Registration(webinar=webinar, person=p, language="es", consented_at=now,
                                                  status="confirmed") for p in people)
    webinar.capacity = max(webinar.capacity or 0, 10000)
    webinar.save(update_fields=["capacity"])
certificate = Certificate.objects.order_by("pk").first()
news = NewsPost.objects.order_by("-pk").first()
print(json.dumps({
    "webinar": webinar.pk, "course": Course.objects.public().order_by("pk").first().pk,
    "call": Call.objects.public().order_by("-pk").first().pk,
    "news": news.slug if news else None, "code": certificate.code if certificate else None,
}))
"""
QUERIES = """
import json, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client(HTTP_ACCEPT_LANGUAGE=sys.argv[1])
counts = {}
for path in sys.argv[2:]:
    client.get(path)  # the first visit fills per-process caches, as a warm worker has them
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    counts[path] = [len(queries), status]
print(json.dumps(counts))
"""


def pages(ids: dict[str, Any]) -> list[tuple[str, str]]:
    found = [
        ("/healthz", "healthz"),
        ("/", "home"),
        (f"/webinars/{ids['webinar']}/", "webinar page"),
        (f"/webinars/{ids['webinar']}/register/", "registration form"),
        ("/webinars/", "webinar list"),
        ("/calendar/", "calendar"),
        ("/catalogue/", "catalogue"),
        ("/catalogue/?q=port", "catalogue search"),
        ("/courses/", "course list"),
        (f"/courses/{ids['course']}/", "course page"),
        (f"/scholarships/calls/{ids['call']}/", "call page"),
        ("/news/", "news"),
        ("/reports/impact/", "impact page"),
        ("/verify/", "verification form"),
    ]
    if ids.get("news"):
        found.insert(-2, (f"/news/{ids['news']}/", "news item"))
    if ids.get("code"):
        found.append((f"/verify/{ids['code']}", "verification"))
    return found


def wrk_get(wrk: str, port: int, path: str, language: str, args: argparse.Namespace, tmp: str) -> dict[str, Any]:
    script = f'wrk.headers["Accept-Language"] = {serving.lua_string(language)}\n'
    return serving.wrk_run(wrk, f"http://{serving.HOST}:{port}{path}", script, args, tmp, args.seconds)


def drain(port: int, limit: float = 60) -> float:
    """Wait until the workers are idle again; returns the seconds waited.

    wrk closes its connections when a run ends, but the requests already in gunicorn's accept queue
    are still served; on slow pages that backlog would be measured as the next page's time."""
    started = time.perf_counter()
    while time.perf_counter() - started < limit:
        began = time.perf_counter()
        with urllib.request.urlopen(f"http://{serving.HOST}:{port}/healthz", timeout=limit) as answer:
            answer.read()
        if time.perf_counter() - began < 0.1:
            break
        time.sleep(0.2)
    return time.perf_counter() - started


def rss_mib(pids: list[int]) -> list[float]:
    sizes = []
    for pid in pids:
        for row in Path(f"/proc/{pid}/status").read_text().splitlines():
            if row.startswith("VmRSS:"):
                sizes.append(int(row.split()[1]) / 1024)
    return sizes


def report(rows: list[tuple[str, str, dict[str, Any]]], queries: dict[str, list[int]]) -> None:
    healthz = rows[0][2]["rate"]
    print(
        f"\n  {'page':<20} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'app ms':>7} {'pg ms':>6} {'SQL':>4}"
        f" {'status':>6} {'of /healthz':>11}"
    )
    for path, label, result in rows:
        count, status = queries.get(path, [0, 0])
        app, pg = result["cpu"]["gunicorn"], result["cpu"]["postgres"]
        ratio = 100 * result["rate"] / healthz
        flag = "" if label == "healthz" or ratio >= 25 else "  < 25 %"
        print(
            f"  {label:<20} {result['rate']:8.1f} {result['p50']:8.1f} {result['p99']:8.1f} {app:7.1f} {pg:6.1f}"
            f" {count:4d} {status:6d} {ratio:10.0f}%{flag}"
        )


def each_language(args: argparse.Namespace) -> int:
    """One full run per language (its own server and database), each table with its own `/healthz`."""
    failed = 0
    for language in (code.strip() for code in args.languages.split(",") if code.strip()):
        print(f"\n=== Accept-Language {language} ===", flush=True)
        command = [sys.executable, __file__, "--language", language, "--seconds", f"{args.seconds:g}"]
        command += ["--connections", str(args.connections), "--threads", str(args.threads)]
        command += ["--workers", str(args.workers)] + (["--sqlite"] if args.sqlite else [])
        failed |= subprocess.run(command, check=False).returncode
    return failed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--language", default="en", help="Accept-Language of the visitors")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    parser.add_argument("--languages", default="", help="comma-separated, e.g. en,es,pt,fr: one run per language")
    args = parser.parse_args()
    if args.languages:
        return each_language(args)
    wrk = serving.ensure_wrk()
    if not wrk:
        print("wrk is not installed and cannot be (needs root and apt-get): nothing measured")
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        serving.settings_files(tmp)
        database = serving.Database(sqlite=args.sqlite, purpose="pages")
        redis = serving.answers(6379)
        env = serving.bench_env(
            tmp,
            database,
            ALLOWED_HOSTS="*",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            CELERY_BROKER_URL="",
            REDIS_URL=serving.REDIS_URL if redis else "",
        )
        server = None
        try:
            print("loading the demo and 3,000 registrations …", flush=True)
            ids = json.loads(serving.run_python(PREPARE, env).strip().splitlines()[-1])
            targets = pages(ids)
            queries = json.loads(serving.run_python(QUERIES, env, args.language, *(p for p, _ in targets)))
            server, port = serving.start_gunicorn(env, args.workers)
            print(
                f"gunicorn -w {args.workers} (sync), DEBUG=0, {database.label}, cache: {'Redis' if redis else 'local'};"
                f" wrk -t{args.threads} -c{args.connections} -d{args.seconds:g}s, Accept-Language {args.language}"
            )
            postgres = database.label == "PostgreSQL"
            groups = {
                "gunicorn": lambda: serving.children(server.pid),
                "postgres": lambda: serving.backends(database.name) if postgres else [],
            }
            for path, _label in targets:  # warm-up: every worker renders every page once
                serving.wrk_run(wrk, f"http://{serving.HOST}:{port}{path}", "", args, tmp, 1)
                drain(port)
            rows = []
            for path, label in targets:
                drain(port)
                result = serving.measured(lambda path=path: wrk_get(wrk, port, path, args.language, args, tmp), groups)
                rows.append((path, label, result))
                print(
                    f"  {label:<20} {result['rate']:8.1f} req/s, failed {result['errors'] + result['bad_status']}",
                    flush=True,
                )
            report(rows, queries)
            sizes = rss_mib(serving.children(server.pid))
            print(
                f"\n  memory: RSS per worker after the load {', '.join(f'{s:.0f}' for s in sizes)} MiB (target ≤ 100)"
            )
        finally:
            if server:
                server.terminate()
                server.wait(timeout=30)
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
