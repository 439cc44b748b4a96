"""Registration under load: throughput and p50/p99 latency of the public registration form, next to a
bare Django view served by the same gunicorn on 127.0.0.1. Target: registration ≥ 50% of the bare view's
throughput.

The production set-up, as far as this machine has it:
- gunicorn with 2 × cores + 1 sync workers, DEBUG off, Faro's whole middleware stack on both URLs;
- PostgreSQL when one answers on 127.0.0.1:5432 (a throw-away database, dropped afterwards), or the
  database in DATABASE_URL; else a throw-away SQLite file (and says so);
- a Redis broker and one Celery worker when Redis answers on 127.0.0.1:6379: the request only enqueues
  the confirmation mail on commit, the worker renders it (with its .ics) and writes it to a folder, and
  the script checks that one mail went out per registration. Without Redis tasks run eagerly, inside
  the request (and it says so);
- wrk as the load generator (installed with apt-get when missing and run as root), with a Lua script
  that posts the form with a unique email per request and a CSRF cookie and token fetched once, as a
  browser does: the view keeps its CSRF check. Without wrk, a Python generator that is much slower
  than wrk and may itself be the bottleneck (it says so).

Load only ever targets 127.0.0.1. Each measurement runs `--runs` times (default 3, alternating bare
and registration); the summary gives the best run and the spread.

Run: `python bench/registration_load.py [--seconds 10] [--connections 16] [--runs 3] [--sqlite] [--eager]`.
"""

import argparse
import http.client
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only host this script ever sends load to
PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/0"

SETTINGS = """
from faro.settings import *  # noqa: F403
import os
ROOT_URLCONF = "bench_urls"
if os.environ.get("BENCH_SQLITE"):  # keep Faro's SQLite options (IMMEDIATE transactions, WAL, timeout)
    DATABASES["default"]["NAME"] = os.environ["BENCH_SQLITE"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
WHITENOISE_AUTOREFRESH = False
FARO_MAIL_LIMIT_PER_IP = 10**9  # all the load comes from one client (127.0.0.1): no hourly limit for it
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
# A queue of our own, so that no other Celery worker on this Redis takes (and loses) our mails.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("BENCH_QUEUE", "celery")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False}},
}
"""
URLS = """
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare), path("", include("faro.urls"))]
"""
PREPARE = """
import datetime, sys, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from faro.directory.models import Institution
from faro.webinars.models import Webinar
partner, _ = Institution.objects.get_or_create(name="Red PBIP México (bench)", country_code="MX",
                                               defaults={"kind": "international"})
start = timezone.now() + datetime.timedelta(days=7)
for _ in range(int(sys.argv[1])):  # one webinar per run, so every run starts from the same state
    webinar = Webinar.objects.create(title={"en": "Load test", "es": "Prueba de carga"}, starts_at=start,
        ends_at=start + datetime.timedelta(hours=1), capacity=1000, status="published",
        join_url="https://zoom.example.org/j/1")
    webinar.partners.set([partner])  # co-organised, as real webinars are: the webhook lookup runs too
    print(webinar.pk)
"""
COUNT = """
import sys, django
django.setup()
from faro.webinars.models import Registration
print(Registration.objects.filter(webinar_id__in=[int(a) for a in sys.argv[1:]]).count())
"""
LUA_DONE = """
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
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


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far (Linux /proc)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def backends(database: str) -> list[int]:
    """PostgreSQL's server processes for this database (their title names it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes()  # "postgres: [15/main: ]postgres DATABASE 127.0.0.1(port) idle"
            if title.startswith(b"postgres: ") and f": postgres {database} ".encode() in title:
                found.append(int(cmdline.parent.name))
        except (OSError, ValueError):
            continue
    return found


def children(parent: int) -> list[int]:
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == parent:
                pids.append(int(stat.parent.name))
        except (OSError, ValueError):
            continue
    return pids


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def run_python(script: str, env: dict[str, str], *args: str) -> str:
    code = textwrap.dedent(script)
    out = subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    )
    return out.stdout


def ensure_wrk() -> str | None:
    """The wrk binary; installed from Debian when missing and we are root. None means: fall back."""
    found = shutil.which("wrk")
    if found or os.geteuid() != 0 or not shutil.which("apt-get"):
        return found
    print("installing wrk (apt-get install -y wrk) …", flush=True)
    install = ["apt-get", "install", "-y", "-q", "wrk"]
    if subprocess.run(install, capture_output=True, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-q"], capture_output=True, check=False)
        subprocess.run(install, capture_output=True, check=False)
    return shutil.which("wrk")


class Database:
    """A throw-away PostgreSQL database when one answers on 127.0.0.1, else a SQLite file in `tmp`."""

    def __init__(self, *, sqlite: bool) -> None:
        self.url = os.environ.get("DATABASE_URL", "")
        self.created = ""
        if self.url or sqlite or not answers(5432):
            return
        import psycopg

        self.created = f"faro_bench_registration_{os.getpid()}"
        with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
            conn.execute(f'CREATE DATABASE "{self.created}"')
        self.url = f"postgres://postgres@127.0.0.1:5432/{self.created}"

    def env(self, tmp: str) -> dict[str, str]:
        return {"DATABASE_URL": self.url} if self.url else {"BENCH_SQLITE": f"{tmp}/bench.sqlite3"}

    @property
    def name(self) -> str:
        return self.url.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        return "PostgreSQL" if self.url.startswith("postgres") else "SQLite"  # sqlite:// URLs too

    def drop(self) -> None:
        if self.created:
            import psycopg

            with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.created}" WITH (FORCE)')


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


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string of ASCII is a valid Lua string literal


def wrk_run(wrk: str, url: str, script: str, args: argparse.Namespace, tmp: str, seconds: float) -> dict[str, Any]:
    path = Path(tmp, "load.lua")
    path.write_text(script + LUA_DONE)
    command = [
        wrk,
        "-t",
        str(args.threads),
        "-c",
        str(args.connections),
        "-d",
        f"{seconds:g}s",
        "--timeout",
        "30s",
        "-s",
        str(path),
        url,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    result: dict[str, Any] = json.loads(line[len("BENCH ") :])
    result["rate"] = result["requests"] / result["seconds"]
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    result["client_cpu"] = 100 * used / result["seconds"]  # % of one core used by wrk
    return result


def wrk_bare(wrk: str, port: int, args: argparse.Namespace, tmp: str, seconds: float) -> dict[str, Any]:
    return wrk_run(wrk, f"http://{HOST}:{port}/bench/bare/", "", args, tmp, seconds)


def wrk_register(
    wrk: str, port: int, webinar_id: int, args: argparse.Namespace, tmp: str, seconds: float
) -> dict[str, Any]:
    cookie, token, country = fetch_form(port, webinar_id)
    path = f"/webinars/{webinar_id}/register/"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": f"http://{HOST}{path}"}
    lua_headers = "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items()) + "}"
    script = (
        f"PATH = {lua_string(path)}\nBODY = {lua_string(form_body(token, country))}\nHEADERS = {lua_headers}\n"
        f"TAG = {lua_string(f'{os.getpid()}-{webinar_id}')}\n" + LUA_REGISTER
    )
    return wrk_run(wrk, f"http://{HOST}:{port}{path}", script, args, tmp, seconds)


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


def python_bare(port: int, args: argparse.Namespace, seconds: float) -> dict[str, Any]:
    return python_load(
        port, seconds, args.connections, lambda n, i: python_request(port, "GET", "/bench/bare/", None, {}) == 200
    )


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


def wait_for(port: int, server: subprocess.Popen[bytes]) -> None:
    for _attempt in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        if answers(port):
            return
        time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def measured(run: Any, groups: dict[str, Any]) -> dict[str, Any]:
    """Run one load and add the CPU time per request of gunicorn, Celery and PostgreSQL's backends.

    On a shared machine CPU time per request is steadier than requests per second. `groups` maps a name
    to a function listing its processes, asked again afterwards (database backends come and go)."""
    before = {name: {pid: cpu_seconds([pid]) for pid in pids()} for name, pids in groups.items()}
    result: dict[str, Any] = run()
    requests = max(result["requests"], 1)
    result["cpu"] = {}
    for name, pids in groups.items():
        used = sum(cpu_seconds([pid]) - before[name].get(pid, 0) for pid in pids())  # a backend gone is lost
        result["cpu"][name] = 1000 * used / requests
    result["server_ms"] = sum(result["cpu"].values())
    return result


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


def wait_for_mails(folder: Path, expected: int, timeout: float) -> tuple[int, float]:
    """(mails written, seconds waited): a file may hold several mails, so count their separators."""
    started = time.perf_counter()
    while True:
        sent = sum(path.read_bytes().count(MAIL_SEPARATOR) for path in folder.glob("*.log")) if folder.exists() else 0
        if sent >= expected or time.perf_counter() - started > timeout:
            return sent, time.perf_counter() - started
        time.sleep(0.5)


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
    parser.add_argument("--python-client", action="store_true", help="the Python load generator instead of wrk")
    args = parser.parse_args()
    wrk = None if args.python_client else ensure_wrk()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bench_settings.py").write_text(SETTINGS)
        Path(tmp, "bench_urls.py").write_text(URLS)
        mails = Path(tmp, "mail")
        database = Database(sqlite=args.sqlite)
        broker = "" if args.eager or not answers(6379) else os.environ.get("CELERY_BROKER_URL", REDIS_URL)
        queue = f"bench-registration-{os.getpid()}"
        env = {
            **os.environ,
            "PYTHONPATH": f"{tmp}:{ROOT}",
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only",
            "SITE_URL": "http://127.0.0.1",
            "SECURE_COOKIES": "0",
            "MEDIA_ROOT": tmp,
            "BENCH_QUEUE": queue,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mails),
            "CELERY_BROKER_URL": broker,
            **database.env(tmp),
        }
        processes: list[subprocess.Popen[bytes]] = []
        try:
            warmup_id, *webinar_ids = (int(n) for n in run_python(PREPARE, env, str(args.runs + 1)).split())
            if broker:
                processes.append(
                    subprocess.Popen(
                        [
                            sys.executable,
                            "-m",
                            "celery",
                            "-q",
                            "-A",
                            "faro",
                            "worker",
                            "--pool",
                            "solo",
                            "-Q",
                            queue,
                            "-l",
                            "warning",
                            "--without-gossip",
                            "--without-mingle",
                            "--without-heartbeat",
                        ],
                        env=env,
                        cwd=ROOT,
                    )
                )
            port = free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "faro.wsgi",
                    "-w",
                    str(args.workers),
                    "-b",
                    f"{HOST}:{port}",
                    "--log-level",
                    "warning",
                ],
                env=env,
                cwd=ROOT,
            )
            processes.append(server)
            wait_for(port, server)
            generator = f"wrk ({args.threads} threads)" if wrk else "Python threads (no wrk: it may be the bottleneck)"
            mode = (
                f"Redis broker + 1 Celery worker (queue {queue})"
                if broker
                else "no broker: mails rendered eagerly inside the request"
            )
            print(f"gunicorn -w {args.workers} (sync) on {HOST}, {cores} cores, {database.label}, {mode};")
            print(f"load: {generator}, {args.connections} connections, {args.seconds:g} s per run, {args.runs} runs")

            def bare(seconds: float) -> dict[str, Any]:
                return wrk_bare(wrk, port, args, tmp, seconds) if wrk else python_bare(port, args, seconds)

            def register(webinar_id: int, seconds: float) -> dict[str, Any]:
                if wrk:
                    return wrk_register(wrk, port, webinar_id, args, tmp, seconds)
                return python_register(port, webinar_id, args, seconds)

            bare(2)  # warm-up: every worker imports, connects and fills its caches
            register(warmup_id, 2)
            bares, registrations = [], []
            postgres = database.label == "PostgreSQL"
            servers = {
                "gunicorn": lambda: children(server.pid),
                "celery": lambda: [p.pid for p in processes if p is not server],
                "postgres": lambda: backends(database.name) if postgres else [],
            }
            for number, webinar_id in enumerate(webinar_ids, 1):
                print(f" run {number}")
                bares.append(measured(lambda: bare(args.seconds), servers))
                line("bare Django view (GET)", bares[-1])
                registrations.append(measured(lambda: register(webinar_id, args.seconds), servers))  # noqa: B023
                line("registration (POST)", registrations[-1])
            print(" summary")
            bare_best = summary("bare Django view (GET)", bares)
            registration_best = summary("registration (POST)", registrations)
            ratios = [100 * r["rate"] / b["rate"] for b, r in zip(bares, registrations, strict=True)]
            print(
                f"  registration throughput = {100 * registration_best / bare_best:.0f}% of the bare view's "
                f"(best against best; per run {', '.join(f'{r:.0f}%' for r in ratios)}; target ≥ 50%)"
            )
            created = int(run_python(COUNT, env, *map(str, [warmup_id, *webinar_ids])))
            answered = sum(r["requests"] for r in registrations)
            print(f"  check: {created} registrations stored for ~{answered} answered POSTs (+ warm-up)")
            sent, waited = wait_for_mails(mails, created, timeout=300)
            where = "by the Celery worker" if broker else "inside the requests"
            drained = f"; the worker's queue drained {waited:.0f} s after the load stopped" if broker else ""
            print(f"  check: {sent} of {created} confirmation mails written {where}{drained}")
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
