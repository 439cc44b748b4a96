"""Registrant exports and confirmation mails: time, and the memory an export holds.

Targets (issue "Fast where the crowd arrives"): the XLSX of 3,000 registrants in ≤ 0.25 s; every
export streams, so 100,000 rows never hold more than a few MB. Mail: what one confirmation costs
the worker that renders it (the calendar part is shared by the registrants of one language).

Runs in one process on a throw-away PostgreSQL database (SQLite with --sqlite or when PostgreSQL does
not answer), `DEBUG=0`. For each export it prints wall time, CPU time and the peak of Python's
allocations while the response is produced and read to its end (tracemalloc), and the file's size.
CPU time is the steadier figure on a shared machine; the peak is measured in a run of its own.

Run: `python bench/exports.py [--rows 3000] [--large 100000] [--mails 300] [--sqlite]`.
"""

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serving  # the shared database plumbing

MEASURE = """
import datetime, json, sys, time, tracemalloc, django
django.setup()
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from faro.accounts.models import RoleAssignment, User
from faro.directory.models import MemberState, Person
from faro.webinars import services, tasks
from faro.webinars.models import Registration, Webinar
from faro.webinars.views_manage import _export

call_command("migrate", verbosity=0)
staff = User.objects.create_user("export-bench@cip.example.org", "not-used-to-sign-in")
RoleAssignment.objects.create(user=staff, role="staff")  # the organiser who downloads, as the view passes
state = MemberState.objects.order_by("code").first()
start = timezone.now() + datetime.timedelta(days=7)


def webinar_with(rows, tag):
    webinar = Webinar.objects.create(title={"en": f"Export {tag}", "es": f"Exportación {tag}"}, starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), capacity=rows, status="published",
        join_url="https://zoom.example.org/j/1")
    for first in range(0, rows, 5000):
        people = Person.objects.bulk_create(Person(first_name="Bench", last_name=f"Registrant {n}", member_state=state,
            position="Port facility security officer", email=f"export-{tag}-{n}@port.example.org")
            for n in range(first, min(first + 5000, rows)))
        Registration.objects.bulk_create(Registration(webinar=webinar, person=p, language="es",
            consented_at=start, status="confirmed") for p in people)
    return webinar


def body(response):
    if response.streaming:
        size = 0
        for chunk in response.streaming_content:
            size += len(chunk)
        response.close()
        return size
    return len(response.content)


def export(webinar, kind, repeat):
    # the best of `repeat` timed runs, then one more under tracemalloc (which slows Python) for the peak
    best = None
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        size = body(_export(webinar, services.registrants(webinar, viewer=staff), kind))
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if best is None or cpu < best["cpu"]:
            best = {"wall": wall, "cpu": cpu, "size_kib": size / 1024}
    tracemalloc.start()
    body(_export(webinar, services.registrants(webinar, viewer=staff), kind))
    best["peak_mib"] = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return best


rows, large, mails = (int(a) for a in sys.argv[1:4])
results = {}
small = webinar_with(rows, "small")
for kind in ("xlsx", "csv"):
    export(small, kind, 1)  # warm-up: imports, translations, query compilation
    results[f"{kind} {rows:,}"] = export(small, kind, 3)
if large:
    big = webinar_with(large, "large")
    for kind in ("xlsx", "csv"):
        results[f"{kind} {large:,}"] = export(big, kind, 1)
chosen = list(small.registrations.order_by("pk").values_list("pk", flat=True)[: mails + 1])
tasks.send_registration_mail(chosen.pop(), "confirmed")  # warm-up
mail.outbox = []
wall, cpu = time.perf_counter(), time.process_time()
for pk in chosen:  # as the worker does: the task reads the registration and renders its mail
    tasks.send_registration_mail(pk, "confirmed")
wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
results["mail"] = {"count": len(mail.outbox), "wall": wall, "cpu": cpu}
print("BENCH " + json.dumps(results))
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--large", type=int, default=100_000, help="rows of the large export (0: skip)")
    parser.add_argument("--mails", type=int, default=300)
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        serving.settings_files(tmp)
        database = serving.Database(sqlite=args.sqlite, purpose="exports")
        env = serving.bench_env(
            tmp,
            database,
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            CELERY_BROKER_URL="",
            REDIS_URL="",
        )
        try:
            print(f"{database.label}, DEBUG=0, one process; creating {args.rows:,} and {args.large:,} registrations …")
            out = serving.run_python(MEASURE, env, str(args.rows), str(args.large), str(args.mails))
        finally:
            database.drop()
    import json

    results = json.loads(next(line for line in out.splitlines() if line.startswith("BENCH "))[6:])
    mail = results.pop("mail")
    print(f"\n  {'export':<14} {'wall s':>7} {'CPU s':>7} {'peak MiB':>9} {'size KiB':>9}")
    for label, r in results.items():
        flag = "  > 0.25 s" if label == f"xlsx {args.rows:,}" and r["cpu"] > 0.25 else ""
        print(f"  {label:<14} {r['wall']:7.2f} {r['cpu']:7.2f} {r['peak_mib']:9.1f} {r['size_kib']:9.0f}{flag}")
    per = 1000 * mail["cpu"] / max(mail["count"], 1)
    print(
        f"\n  confirmation mails: {mail['count']} rendered in {mail['wall']:.2f} s ({per:.1f} ms CPU each,"
        f" {mail['count'] / max(mail['cpu'], 1e-9):.0f} mails per CPU second)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
