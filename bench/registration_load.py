"""Registration under load: throughput and p99 latency of the public registration form, next to a bare
Django view served by the same gunicorn on 127.0.0.1. Target: registration ≥ 50% of the bare view's
throughput. Uses a throw-away SQLite database unless DATABASE_URL is set (e.g. PostgreSQL).

Run: `python bench/registration_load.py [--seconds 10] [--concurrency 16] [--workers 4]`.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = """
from faro.settings import *  # noqa: F403
import os
ROOT_URLCONF = "bench_urls"
if os.environ.get("BENCH_SQLITE"):  # keep Faro's SQLite options (IMMEDIATE transactions, WAL, timeout)
    DATABASES["default"]["NAME"] = os.environ["BENCH_SQLITE"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(env: dict[str, str]) -> int:
    """Migrate the database and create a published webinar; return its id."""
    script = textwrap.dedent(
        """
        import datetime, django
        django.setup()
        from django.core.management import call_command
        from django.utils import timezone
        call_command("migrate", verbosity=0)
        from faro.webinars.models import Webinar
        start = timezone.now() + datetime.timedelta(days=7)
        webinar = Webinar.objects.create(title={"en": "Load test"}, starts_at=start,
            ends_at=start + datetime.timedelta(hours=1), capacity=2000, status="published",
            join_url="https://zoom.example.org/j/1")
        print(webinar.pk)
        """
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return int(out.stdout.strip().splitlines()[-1])


class Client:
    """One keep-alive HTTP connection with a cookie jar of one (CSRF) cookie."""

    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.cookie = ""

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Cookie": self.cookie, "Host": "127.0.0.1"}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = "http://127.0.0.1/"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            if value.startswith("csrftoken="):
                self.cookie = value.split(";")[0]
        return response.status, text


def load(port: int, seconds: float, concurrency: int, make_request: object) -> tuple[int, list[float], int]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(number: int) -> None:
        nonlocal errors
        client = Client(port)
        state = make_request(client, number, None)  # type: ignore[operator]
        count = 0
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ok = make_request(client, number, (state, count))  # type: ignore[operator]
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                errors += not ok
            count += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(latencies), latencies, errors


def bare_request(client: Client, number: int, state: object) -> object:
    if state is None:
        return None
    status, _text = client.request("GET", "/bench/bare/")
    return status == 200


def registration_request(webinar_id: int) -> object:
    path = f"/webinars/{webinar_id}/register/"

    def run(client: Client, number: int, state: object) -> object:
        if state is None:  # fetch the form once: CSRF cookie and token
            _status, page = client.request("GET", path)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
            country = re.search(r'<option value="(\d+)"', page)
            assert token and country, "registration form did not render"
            return token.group(1), country.group(1)
        (token, country), count = state  # type: ignore[misc]
        form = {
            "csrfmiddlewaretoken": token, "email": f"load{number}.{count}@port.example.org", "first_name": "Load",
            "last_name": f"Tester {number}", "country": country, "position": "", "language": "es", "consent": "on",
        }  # fmt: skip
        status, _text = client.request("POST", path, urlencode(form))
        return status == 302

    return run


def report(label: str, seconds: float, result: tuple[int, list[float], int]) -> float:
    count, latencies, errors = result
    latencies.sort()
    p50 = latencies[len(latencies) // 2] * 1000 if latencies else 0
    p99 = latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else 0
    rate = count / seconds
    print(f"  {label:<22} {rate:8.1f} req/s   p50 {p50:6.1f} ms   p99 {p99:6.1f} ms   errors {errors}")
    return rate


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "bench_settings.py").write_text(SETTINGS)
        Path(tmp, "bench_urls.py").write_text(URLS)
        env = {
            **os.environ, "PYTHONPATH": f"{tmp}:{ROOT}", "DJANGO_SETTINGS_MODULE": "bench_settings", "DEBUG": "0",
            "SECRET_KEY": "bench-only", "SECURE_COOKIES": "0", "MEDIA_ROOT": tmp,
            "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        }  # fmt: skip
        if not env.get("DATABASE_URL"):
            env["BENCH_SQLITE"] = f"{tmp}/bench.sqlite3"
        webinar_id = prepare(env)
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
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _attempt in range(100):
                try:
                    Client(port).request("GET", "/bench/bare/")
                    break
                except OSError:
                    time.sleep(0.1)
            database = "SQLite" if env.get("BENCH_SQLITE") else "PostgreSQL"
            print(f"gunicorn -w {args.workers} on 127.0.0.1, {database}, {args.concurrency} concurrent clients, "
                  f"{args.seconds:.0f} s each")  # fmt: skip
            bare = report("bare Django view", args.seconds, load(port, args.seconds, args.concurrency, bare_request))
            registration_result = load(port, args.seconds, args.concurrency, registration_request(webinar_id))
            registrations = report("registration (POST)", args.seconds, registration_result)
            share = 100 * registrations / bare if bare else 0
            print(f"  registration throughput = {share:.0f}% of the bare view's (target ≥ 50%)")
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
