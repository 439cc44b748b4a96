"""Registration under load: throughput, p50/p99 latency and CPU per request of the public registration
POST, next to `/healthz` and a bare Django view served by the same gunicorn on 127.0.0.1; then how fast
one Celery worker renders and sends the confirmation mails they queued.

Target (issue "Fast where the crowd arrives"): the POST at ≥ 20 % of `/healthz`'s throughput in the same
run (≈ 4–5 ms of app CPU per POST); the ratio to the bare view (no middleware, no query) is printed too.

The production set-up, as far as this machine has it:
- gunicorn with 2 × cores + 1 sync workers, DEBUG off, Faro's whole middleware stack on every URL;
- PostgreSQL when one answers on 127.0.0.1:5432 (a throw-away database, dropped afterwards), or the
  database in DATABASE_URL; else a throw-away SQLite file (and says so); each webinar posted to
  already has 3,000 registrations, so the seat count has rows to count;
- a Redis broker when Redis answers on 127.0.0.1:6379: the request only queues the confirmation mail
  and the partners' event (on commit, one broker message). As in the issue's measurements no worker
  runs during the POST load (on two cores it would take half the CPU); afterwards one Celery worker
  drains the queue, renders each mail (with its .ics) into a folder, and the script prints mails per
  second and worker CPU per mail, and checks that one mail went out per registration.
  `--worker-during-load` runs the worker alongside the load instead. Without Redis tasks run eagerly,
  inside the request (and it says so);
- wrk as the load generator (installed with apt-get when missing and run as root), with a Lua script
  that posts the form with a unique email per request and a CSRF cookie and token fetched once, as a
  browser does: the view keeps its CSRF check. Every POST comes from 127.0.0.1; the registration form
  has no per-address limit (only re-sent links are throttled, per registration), and any answer but
  the redirect counts as failed. Without wrk, a Python generator that is much slower than wrk and may
  itself be the bottleneck (it says so).

Load only ever targets 127.0.0.1. Each measurement runs `--runs` times (default 3, alternating
`/healthz`, bare view and registration); the summary gives the best run, the spread, the median CPU per
request and the machine's load average (others share it: compare ratios and CPU, not raw rates).

Run: `python bench/registration_load.py [--seconds 10] [--connections 16] [--runs 3] [--sqlite] [--eager]
[--worker-during-load]`.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serving  # the shared database, gunicorn, wrk and /proc plumbing
from serving import HOST

PREPARE = """
import datetime, sys, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from faro.directory.models import Institution, MemberState, Person
from faro.webinars.models import Registration, Webinar
partner, _ = Institution.objects.get_or_create(name="Red PBIP México (bench)", country_code="MX",
                                               defaults={"kind": "international"})
start = timezone.now() + datetime.timedelta(days=7)
state = MemberState.objects.order_by("code").first()
for number in range(int(sys.argv[1])):  # one webinar per run, so every run starts from the same state
    webinar = Webinar.objects.create(title={"en": "Load test", "es": "Prueba de carga"}, starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), capacity=100000, status="published",
        join_url="https://zoom.example.org/j/1")
    webinar.partners.set([partner])  # co-organised, as real webinars are: the partners' event goes out too
    people = Person.objects.bulk_create(Person(first_name="Bench", last_name=f"Registrant {n}", member_state=state,
        email=f"present-{webinar.pk}-{n}@port.example.org") for n in range(3000))
    Registration.objects.bulk_create(Registration(webinar=webinar, person=p, language="es", consented_at=start,
        status="confirmed") for p in people)
    print(webinar.pk)
"""
COUNT = """
import sys, django
django.setup()
from faro.webinars.models import Registration
posted = Registration.objects.filter(webinar_id__in=[int(a) for a in sys.argv[1:]], person__email__startswith="load-")
print(posted.count())
"""
LUA_REGISTER = """
local counter = 0
id = id or 0
function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("id", thread_count)
end
request = function()
  counter = counter + 1
  local body = BODY .. "&email=load-" .. TAG .. "-" .. id .. "-" .. counter .. "%40port.example.org"
  return wrk.format("POST", PATH, HEADERS, body)
end
"""


def fetch_form(port: int, webinar_id: int) -> tuple[str, str, str]:
    """(csrf cookie, csrf form token, a member state id), as a browser gets them with the form."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", f"/webinars/{webinar_id}/register/", headers={"Host": HOST})
    response = connection.getresponse()
    page = response.read().decode()
    cookie = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    country = re.search(r'<option value="(\d+)"', page)
    assert token and country, "the registration form did not render"
    return cookie, token.group(1), country.group(1)


def form_body(token: str, country: str) -> str:
    form = {
        "csrfmiddlewaretoken": token,
        "first_name": "Carga",
        "last_name": "Prueba",
        "member_state": country,
        "position": "",
        "language": "es",
        "consent": "on",
    }
    return urlencode(form)


# --- wrk --------------------------------------------------------------------------------------------


def wrk_get(wrk: str, port: int, path: str, args: argparse.Namespace, tmp: str, seconds: float) -> dict[str, Any]:
    return serving.wrk_run(wrk, f"http://{HOST}:{port}{path}", "", args, tmp, seconds)


def wrk_register(
    wrk: str, port: int, webinar_id: int, args: argparse.Namespace, tmp: str, seconds: float
) -> dict[str, Any]:
    cookie, token, country = fetch_form(port, webinar_id)
    path = f"/webinars/{webinar_id}/register/"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": f"http://{HOST}{path}"}
    lua_string = serving.lua_string
    lua_headers = "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"
    script = (
        f"PATH = {lua_string(path)}\nBODY = {lua_string(form_body(token, country))}\nHEADERS = {lua_headers}\n"
        f"TAG = {lua_string(f'{os.getpid()}-{webinar_id}')}\n" + LUA_REGISTER
    )
    return serving.wrk_run(wrk, f"http://{HOST}:{port}{path}", script, args, tmp, seconds)


# --- Python fallback (much slower than wrk: on a small machine it competes with the server) -----------


def python_load(port: int, seconds: float, connections: int, send: Any) -> dict[str, Any]:
    latencies: list[float] = []
    failures = [0]
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(number: int) -> None:
        count = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = send(number, count)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                failures[0] += not ok
            count += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()
    n = len(latencies)
    p50, p99 = (latencies[n // 2] * 1000, latencies[max(int(n * 0.99) - 1, 0)] * 1000) if n else (0.0, 0.0)
    return {
        "requests": n,
        "seconds": seconds,
        "rate": n / seconds,
        "errors": 0,
        "bad_status": failures[0],
        "p50": p50,
        "p99": p99,
    }


def python_request(port: int, method: str, path: str, body: str | None, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)  # gunicorn's sync workers close each one
    connection.request(method, path, body=body, headers={"Host": HOST, **headers})
    status = connection.getresponse().status
    connection.close()
    return status


def python_get(port: int, path: str, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    return python_load(port, seconds, args.connections, lambda n, i: python_request(port, "GET", path, None, {}) == 200)


def python_register(port: int, webinar_id: int, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    cookie, token, country = fetch_form(port, webinar_id)
    path = f"/webinars/{webinar_id}/register/"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": f"http://{HOST}{path}"}
    body = form_body(token, country)
    tag = f"{os.getpid()}-{webinar_id}"

    def send(number: int, count: int) -> bool:
        email = quote(f"load-{tag}-{number}-{count}@port.example.org")
        return python_request(port, "POST", path, f"{body}&email={email}", headers) == 302

    return python_load(port, seconds, args.connections, send)


# --- Running it ---------------------------------------------------------------------------------------


def line(label: str, result: dict[str, Any]) -> None:
    failed = result["errors"] + result["bad_status"]
    client = f"   wrk {result['client_cpu']:.0f}% of a core" if "client_cpu" in result else ""
    parts = " + ".join(f"{name} {ms:.1f}" for name, ms in result["cpu"].items() if ms >= 0.05)
    print(
        f"  {label:<24} {result['rate']:8.1f} req/s   p50 {result['p50']:7.1f} ms   p99 {result['p99']:7.1f} ms"
        f"   failed {failed}{client}\n  {'':<24} server CPU {result['server_ms']:.1f} ms/req ({parts})",
        flush=True,
    )


def summary(label: str, results: list[dict[str, Any]]) -> float:
    rates = [r["rate"] for r in results]
    best = max(results, key=lambda r: r["rate"])
    spread = f"{min(rates):.0f}–{max(rates):.0f}" if len(rates) > 1 else "one run"
    print(
        f"  {label:<24} best {best['rate']:8.1f} req/s (runs {spread}, median {statistics.median(rates):.0f})"
        f"   p50 {best['p50']:.1f} ms   p99 {best['p99']:.1f} ms"
        f"   server CPU {statistics.median(r['server_ms'] for r in results):.1f} ms/req (median)"
    )
    return best["rate"]


MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file backend writes after each message


def mails_written(folder: Path) -> int:
    """A file may hold several mails: count their separators."""
    return sum(path.read_bytes().count(MAIL_SEPARATOR) for path in folder.glob("*.log")) if folder.exists() else 0


def wait_for_mails(folder: Path, expected: int, timeout: float, worker: int | None) -> dict[str, float]:
    """Wait until `expected` mails are written; with a worker, its rate and CPU per mail from its
    first mail on (so its start-up is not counted)."""
    started = time.perf_counter()
    first: tuple[float, float, int] | None = None
    while True:
        sent = mails_written(folder)
        now = time.perf_counter()
        if worker and sent and first is None:
            first = (now, serving.cpu_seconds([worker]), sent)
        if sent >= expected or now - started > timeout:
            break
        time.sleep(0.25)
    result = {"sent": sent, "waited": now - started}
    if worker and first and sent > first[2]:
        mails = sent - first[2]
        result["rate"] = mails / max(now - first[0], 1e-9)
        result["cpu_ms"] = 1000 * (serving.cpu_seconds([worker]) - first[1]) / mails
    return result


def start_worker(env: dict[str, str], queue: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "celery", "-q", "-A", "faro", "worker", "--pool", "solo", "-Q", queue]
    command += ["-l", "warning", "--without-gossip", "--without-mingle", "--without-heartbeat"]
    return subprocess.Popen(command, env=env, cwd=serving.ROOT)


def main() -> int:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    parser.add_argument("--eager", action="store_true", help="no broker: mails rendered inside the request")
    parser.add_argument("--worker-during-load", action="store_true", help="the Celery worker runs during the load")
    parser.add_argument("--python-client", action="store_true", help="the Python load generator instead of wrk")
    args = parser.parse_args()
    wrk = None if args.python_client else serving.ensure_wrk()
    with tempfile.TemporaryDirectory() as tmp:
        serving.settings_files(tmp)
        mails = Path(tmp, "mail")
        database = serving.Database(sqlite=args.sqlite, purpose="registration")
        broker = (
            "" if args.eager or not serving.answers(6379) else os.environ.get("CELERY_BROKER_URL", serving.REDIS_URL)
        )
        queue = f"bench-registration-{os.getpid()}"
        env = serving.bench_env(
            tmp,
            database,
            BENCH_QUEUE=queue,
            EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
            EMAIL_FILE_PATH=str(mails),
            CELERY_BROKER_URL=broker,
        )
        processes: list[subprocess.Popen[bytes]] = []
        worker: subprocess.Popen[bytes] | None = None
        try:
            warmup_id, *webinar_ids = (int(n) for n in serving.run_python(PREPARE, env, str(args.runs + 1)).split())
            if broker and args.worker_during_load:
                worker = start_worker(env, queue)
                processes.append(worker)
            server, port = serving.start_gunicorn(env, args.workers)
            processes.append(server)
            generator = f"wrk ({args.threads} threads)" if wrk else "Python threads (no wrk: it may be the bottleneck)"
            if not broker:
                mode = "no broker: mails rendered eagerly inside the request"
            elif worker:
                mode = f"Redis broker + 1 Celery worker during the load (queue {queue})"
            else:
                mode = f"Redis broker, 1 Celery worker after the load (queue {queue})"
            print(f"gunicorn -w {args.workers} (sync) on {HOST}, {cores} cores, {database.label}, {mode};")
            print(f"load: {generator}, {args.connections} connections, {args.seconds:g} s per run, {args.runs} runs")
            print(f"load average before: {serving.load_average()}")

            def get(path: str, seconds: float) -> dict[str, Any]:
                return wrk_get(wrk, port, path, args, tmp, seconds) if wrk else python_get(port, path, args, seconds)

            def register(webinar_id: int, seconds: float) -> dict[str, Any]:
                if wrk:
                    return wrk_register(wrk, port, webinar_id, args, tmp, seconds)
                return python_register(port, webinar_id, args, seconds)

            get("/healthz", 2)  # warm-up: every worker imports, connects and fills its caches
            get("/bench/bare/", 1)
            register(warmup_id, 2)
            healthz, bares, registrations = [], [], []
            postgres = database.label == "PostgreSQL"
            servers = {
                "gunicorn": lambda: serving.children(server.pid),
                "celery": lambda: [worker.pid] if worker else [],
                "postgres": lambda: serving.backends(database.name) if postgres else [],
            }
            for number, webinar_id in enumerate(webinar_ids, 1):
                print(f" run {number}")
                healthz.append(serving.measured(lambda: get("/healthz", args.seconds), servers))
                line("/healthz (GET)", healthz[-1])
                bares.append(serving.measured(lambda: get("/bench/bare/", args.seconds), servers))
                line("bare Django view (GET)", bares[-1])
                registrations.append(serving.measured(lambda: register(webinar_id, args.seconds), servers))  # noqa: B023
                line("registration (POST)", registrations[-1])
            print(" summary")
            healthz_best = summary("/healthz (GET)", healthz)
            bare_best = summary("bare Django view (GET)", bares)
            registration_best = summary("registration (POST)", registrations)
            for label, base, bests in (("/healthz", healthz, healthz_best), ("the bare view", bares, bare_best)):
                ratios = [100 * r["rate"] / b["rate"] for b, r in zip(base, registrations, strict=True)]
                print(
                    f"  registration throughput = {100 * registration_best / bests:.0f}% of {label}'s "
                    f"(best against best; per run {', '.join(f'{r:.0f}%' for r in ratios)})"
                    + ("; target ≥ 20%" if label == "/healthz" else "")
                )
            app = statistics.median(r["cpu"]["gunicorn"] for r in registrations)
            print(f"  app CPU per POST {app:.1f} ms (median of the runs; gunicorn's workers)")
            print(f"  load average after the load: {serving.load_average()}")
            created = int(serving.run_python(COUNT, env, *map(str, [warmup_id, *webinar_ids])))
            answered = sum(r["requests"] for r in registrations)
            print(f"  check: {created} registrations stored for ~{answered} answered POSTs (+ warm-up)")
            if broker and not worker:
                worker = start_worker(env, queue)
                processes.append(worker)
            drained = wait_for_mails(mails, created, timeout=600, worker=worker.pid if worker else None)
            where = "by the Celery worker" if broker else "inside the requests"
            print(f"  check: {drained['sent']} of {created} confirmation mails written {where}")
            if "rate" in drained:
                print(
                    f"  mail: {drained['rate']:.0f} registrations' mails per second from one worker"
                    f" ({drained['cpu_ms']:.1f} ms worker CPU each, the partners' event included)"
                )
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
