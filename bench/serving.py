"""What the load benchmarks share: a throw-away database, Faro under gunicorn, wrk, CPU time from /proc.

Not a benchmark itself (`bench/run.py` skips it). `bench/pages.py` and `bench/registration_load.py`
start the server the same way through `settings_files`, `bench_env` and `start_gunicorn`, send load
with `wrk_run` and measure CPU per request with `measured`. Load only ever targets 127.0.0.1.
"""

import argparse
import json
import os
import resource
import shutil
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # the only host these scripts ever send load to
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
LUA_DONE = """
function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format('BENCH {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    errors.connect + errors.read + errors.write + errors.timeout, errors.status))
end
"""


# --- Processes and their CPU time (Linux /proc) ----------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU time of these processes so far."""
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


def load_average() -> str:
    """The machine's 1, 5 and 15-minute load averages: others share this machine, say how busy it was."""
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def measured(run: Callable[[], dict[str, Any]], groups: dict[str, Callable[[], list[int]]]) -> dict[str, Any]:
    """Run one load and add the CPU time per request of each group of processes.

    On a shared machine CPU time per request is steadier than requests per second. `groups` maps a name
    to a function listing its processes, asked again afterwards (database backends come and go)."""
    before = {name: {pid: cpu_seconds([pid]) for pid in pids()} for name, pids in groups.items()}
    result = run()
    requests = max(result["requests"], 1)
    result["cpu"] = {}
    for name, pids in groups.items():
        used = sum(cpu_seconds([pid]) - before[name].get(pid, 0) for pid in pids())  # a backend gone is lost
        result["cpu"][name] = 1000 * used / requests
    result["server_ms"] = sum(result["cpu"].values())
    return result


# --- The database and the server -----------------------------------------------------------------


def answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=1):
            return True
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def run_python(script: str, env: dict[str, str], *args: str) -> str:
    code = textwrap.dedent(script)
    out = subprocess.run([sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True)
    if out.returncode:  # say why: the script's own traceback, not only that it failed
        sys.stderr.write(out.stderr)
        raise subprocess.CalledProcessError(out.returncode, "the benchmark's measuring script")
    return out.stdout


class Database:
    """A throw-away PostgreSQL database when one answers on 127.0.0.1, else a SQLite file in `tmp`
    (or the database in DATABASE_URL, kept)."""

    def __init__(self, *, sqlite: bool, purpose: str = "bench") -> None:
        self.url = os.environ.get("DATABASE_URL", "")
        self.created = ""
        if self.url or sqlite or not answers(5432):
            return
        import psycopg

        self.created = f"faro_bench_{purpose}_{os.getpid()}"
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


def settings_files(tmp: str) -> None:
    """The benchmark's settings and URLs (Faro's, plus a bare view) in `tmp`, which goes on PYTHONPATH."""
    Path(tmp, "bench_settings.py").write_text(SETTINGS)
    Path(tmp, "bench_urls.py").write_text(URLS)


def bench_env(tmp: str, database: Database, **values: str) -> dict[str, str]:
    """The environment of every process of a benchmark: production-like settings (DEBUG off) on `database`."""
    return {
        **os.environ,
        "PYTHONPATH": f"{tmp}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DEBUG": "0",
        "SECRET_KEY": "bench-only",
        "SITE_URL": "http://127.0.0.1",
        "SECURE_COOKIES": "0",
        "MEDIA_ROOT": tmp,
        **database.env(tmp),
        **values,
    }


def start_gunicorn(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], int]:
    """Faro under gunicorn's sync workers on a free port of 127.0.0.1, answering: (process, port)."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "faro.wsgi", "-w", str(workers), "-b", f"{HOST}:{port}"]
    server = subprocess.Popen([*command, "--log-level", "warning"], env=env, cwd=ROOT)
    for _attempt in range(300):
        if server.poll() is not None:
            raise SystemExit("gunicorn did not start")
        if answers(port):
            return server, port
        time.sleep(0.1)
    server.terminate()
    raise SystemExit("gunicorn did not answer")


# --- wrk ------------------------------------------------------------------------------------------


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


def lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string of ASCII is a valid Lua string literal


def wrk_run(wrk: str, url: str, script: str, args: argparse.Namespace, tmp: str, seconds: float) -> dict[str, Any]:
    """One wrk run (`args.threads`, `args.connections`) against `url` with a Lua `script`: its counts,
    rate, p50/p99 and the CPU wrk itself used (% of one core)."""
    path = Path(tmp, "load.lua")
    path.write_text(script + LUA_DONE)
    command = [wrk, "-t", str(args.threads), "-c", str(args.connections), "-d", f"{seconds:g}s"]
    command += ["--timeout", "30s", "-s", str(path), url]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    line = next(line for line in out.splitlines() if line.startswith("BENCH "))
    result: dict[str, Any] = json.loads(line[len("BENCH ") :])
    result["rate"] = result["requests"] / result["seconds"]
    used = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    result["client_cpu"] = 100 * used / result["seconds"]
    return result
