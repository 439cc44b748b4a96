"""The crowd's POSTs under load: throughput, p50/p99 latency, CPU and SQL statements per request of the
public webinar registration, the account sign-up and the submission of a scholarship application, next
to `/healthz` and a bare Django view served by the same gunicorn on 127.0.0.1; then how fast one Celery
worker renders and sends the mails they queued.

Target (issue "Fast where the crowd arrives"): each POST at ≥ 20 % of `/healthz`'s throughput in the same
run (≈ 4–5 ms of app CPU per POST), with at most 8 SQL statements; the ratio to the bare view (no
middleware, no query) is printed too.

`--flow` picks what is posted (default `webinar`; `all` posts the three in each run):
- `webinar`: the public registration form of a webinar that already has 3,000 registrations (so the seat
  count has rows to count), a unique email per request;
- `signup`: the first step of signing up (allauth's page through Faro's forms and adapter), a unique
  email per request; each answer is the redirect to the code page, and the code mail goes through
  Faro's outbox;
- `application`: a signed-in participant submitting a saved draft (motivation, choice, documents) to an
  open call from the application page. An application is submitted once, so the script prepares
  enough drafts for every run — 100 participants, each with a signed-in session and a draft in each
  of that run's calls — and spreads the requests over them, each request a different draft of its
  own session's person. A request past the last draft would be answered 200 with an error, counted
  in the check line, not hidden.

The production set-up, as far as this machine has it:
- gunicorn with 2 × cores + 1 sync workers, DEBUG off, Faro's whole middleware stack on every URL;
- PostgreSQL when one answers on 127.0.0.1:5432 (a throw-away database, dropped afterwards), or the
  database in DATABASE_URL; else a throw-away SQLite file (and says so);
- a Redis broker when Redis answers on 127.0.0.1:6379: a request only queues its mail (and, for the
  webinar, the partners' event) on commit, one broker message. As in the issue's measurements no worker
  runs during the POST load (on two cores it would take half the CPU); afterwards one Celery worker
  drains the queue, renders each mail into a folder, and the script prints mails per second and worker
  CPU per mail, and checks that one mail went out per write. `--worker-during-load` runs the worker
  alongside the load instead. Without Redis tasks run eagerly, inside the request (and it says so);
- wrk as the load generator (installed with apt-get when missing and run as root), with a Lua script
  that posts the form with a CSRF cookie and token fetched once, as a browser does: the views keep their
  CSRF check. Every POST comes from 127.0.0.1; the per-client mail limit of sign-up is lifted for the
  bench (FARO_MAIL_LIMIT_PER_IP), nothing else. Without wrk, a Python generator that is much slower than
  wrk and may itself be the bottleneck (it says so).
- SQL statements per request are counted once per flow in a separate process with Django's test
  client on the same database and settings (after one warm-up request, as a warm worker has its
  caches), outside any test transaction: what a production request sends, savepoints included,
  BEGIN/COMMIT not (Django does not send them as statements).

Load only ever targets 127.0.0.1. Each measurement runs `--runs` times (default 3, alternating
`/healthz`, bare view and the POSTs); the summary gives the best run, the spread, the median CPU per
request and the machine's load average (others share it: compare ratios and CPU, not raw rates).

Run: `python bench/registration_load.py [--flow webinar|signup|application|all] [--seconds 10]
[--connections 16] [--runs 3] [--sqlite] [--eager] [--worker-during-load]`.
"""

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
import serving  # the shared database, gunicorn, wrk and /proc plumbing
from serving import HOST

FLOWS = ("webinar", "signup", "application")
PARTICIPANTS = 100  # signed-in sessions the application submissions are spread over
DRAFTS_PER_SECOND = 600  # drafts prepared per second of load and run: more than this machine can submit

PREPARE_WEBINARS = """
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
# Participants with a signed-in session each, and for every run its own calls with a complete draft of
# every participant in each (motivation, first choice, the documents the call asks for). Prints JSON:
# the offering every draft chose, and per run [[application id, session key], ...].
PREPARE_APPLICATIONS = """
import datetime, json, math, sys, django
django.setup()
from django.core.management import call_command
from django.utils import timezone
call_command("migrate", verbosity=0)
from importlib import import_module
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from faro.accounts.models import User
from faro.courses.models import Course, Offering
from faro.directory.models import Institution, MemberState, Person
from faro.scholarships.models import Application, ApplicationDocument, Call, Choice
runs, drafts, participants = (int(a) for a in sys.argv[1:4])
now = timezone.now()
provider, _ = Institution.objects.get_or_create(name="Puertos del Caribe (bench)", country_code="JM",
                                                defaults={"kind": "port_authority"})
course = Course.objects.create(provider=provider, title={"en": "Port Security", "es": "Protección portuaria"},
    modality="online_tutored", languages=["es", "en"], hours=40, minimum_grade=70, is_published=True)
offering = Offering.objects.create(course=course, code="BENCH-1", seats=20,
    start=(now + datetime.timedelta(days=90)).date(), end=(now + datetime.timedelta(days=150)).date())
state = MemberState.objects.order_by("code").first()
people = Person.objects.bulk_create(Person(first_name="Bench", last_name=f"Applicant {n}", member_state=state,
    email=f"applicant-{n}@port.example.org", preferred_language="es") for n in range(participants))
users = User.objects.bulk_create(User(email=p.email, full_name=p.full_name, person=p, password="!") for p in people)
EmailAddress.objects.bulk_create(EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users)
engine = import_module(settings.SESSION_ENGINE)
sessions = []
for user in users:
    store = engine.SessionStore()
    store[SESSION_KEY], store[BACKEND_SESSION_KEY] = str(user.pk), settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
per_run = []
for run in range(runs):
    entries = []
    for number in range(math.ceil(drafts / participants)):
        call = Call.objects.create(title={"en": f"Load test {run}-{number}", "es": "Prueba de carga"}, year=now.year,
            required_documents=["cv", "employer_letter"], status="open", opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=30), results_on=(now + datetime.timedelta(days=60)).date(),
            accept_by=now + datetime.timedelta(days=70), start=(now + datetime.timedelta(days=90)).date(),
            end=(now + datetime.timedelta(days=150)).date())
        call.offerings.set([offering])
        applications = Application.objects.bulk_create(Application(call=call, person=p, spoken_languages=["es"],
            motivation="Dirijo la oficina de protección del puerto.") for p in people)
        Choice.objects.bulk_create(Choice(application=a, offering=offering, rank=1) for a in applications)
        ApplicationDocument.objects.bulk_create(ApplicationDocument(application=a, kind=kind, content_kind="pdf",
            file=f"scholarships/{call.pk}/{a.pk}/{kind}.pdf", original_name=f"{kind}.pdf")
            for a in applications for kind in ("cv", "employer_letter"))
        entries += [[a.pk, session] for a, session in zip(applications, sessions)]  # one person after another
    per_run.append(entries)
print(json.dumps({"offering": offering.pk, "runs": per_run}))
"""
COUNT_WEBINAR = """
import sys, django
django.setup()
from faro.webinars.models import Registration
posted = Registration.objects.filter(webinar_id__in=[int(a) for a in sys.argv[1:]], person__email__startswith="load-")
print(posted.count())
"""
COUNT_SIGNUP = """
import sys, django
django.setup()
from faro.accounts.models import User
print(User.objects.filter(email__startswith=f"signup-{sys.argv[1]}-").count())
"""
COUNT_APPLICATION = """
import sys, django
django.setup()
from faro.scholarships.models import Application
print(Application.objects.filter(status="submitted", call__title__en__startswith="Load test").count())
"""
# One request of each flow through Django's test client, on the bench's database and settings: a
# warm-up, then the statements of one more, as a running server sends them (no test transaction).
STATEMENTS = """
import datetime, json, sys, django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from faro.accounts.models import User
from faro.directory.models import MemberState, Person
from faro.scholarships.models import Application, ApplicationDocument, Call, Choice
flow, tag = sys.argv[1], sys.argv[2]
state = MemberState.objects.order_by("code").first()


def measure(post):
    post(0)  # the first request fills per-process caches, as a warm worker has them
    with CaptureQueriesContext(connection) as queries:
        status = post(1)
    sql = [q["sql"] for q in queries]
    control = [s for s in sql if s in ("BEGIN", "COMMIT") or s.startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))]
    return [len(sql) - len(control), len(control), status, [s[:160] for s in sql]]


if flow == "webinar":
    path = f"/webinars/{sys.argv[3]}/register/"
    form = {"first_name": "Carga", "last_name": "Prueba", "member_state": state.pk, "language": "es", "consent": "on"}
    result = measure(lambda n: Client().post(path, {**form, "email": f"count-{tag}-{n}@port.example.org"}).status_code)
elif flow == "signup":
    signup = lambda n: Client().post("/accounts/signup/", {"email": f"count-{tag}-{n}@port.example.org"})
    result = measure(lambda n: signup(n).status_code)
else:
    offering = int(sys.argv[3])
    person = Person.objects.create(first_name="Count", last_name=tag, member_state=state,
                                   email=f"count-{tag}@port.example.org", preferred_language="es")
    user = User.objects.create_user(person.email, None, person=person)
    drafts = []
    now = timezone.now()
    for n in range(2):
        call = Call.objects.create(title={"en": f"Count {tag} {n}"}, year=now.year,
            required_documents=["cv", "employer_letter"], status="open", opens_at=now - datetime.timedelta(days=1),
            closes_at=now + datetime.timedelta(days=30), results_on=now.date(), accept_by=now, start=now.date(),
            end=now.date())
        call.offerings.set([offering])
        application = Application.objects.create(call=call, person=person, spoken_languages=["es"],
                                                 motivation="Puerto.")
        Choice.objects.create(application=application, offering_id=offering, rank=1)
        for kind in ("cv", "employer_letter"):
            ApplicationDocument.objects.create(application=application, kind=kind, content_kind="pdf",
                                               file=f"{kind}.pdf")
        drafts.append(application)
    client = Client()
    client.force_login(user)
    form = {"motivation": "Puerto.", "choice_1": offering, "spoken_languages": "es", "submit": "1"}
    result = measure(lambda n: client.post(f"/scholarships/applications/{drafts[n].pk}/", form).status_code)
print(json.dumps(result))
"""
LUA_POST = """
local counter = 0
id = id or 0
function setup(thread)
  thread_count = (thread_count or 0) + 1
  thread:set("id", thread_count)
end
"""
# A unique email per request (TAG, the wrk thread and a counter).
LUA_UNIQUE_EMAIL = """
request = function()
  counter = counter + 1
  local body = BODY .. "&email=" .. PREFIX .. "-" .. TAG .. "-" .. id .. "-" .. counter .. "%40port.example.org"
  return wrk.format("POST", PATH, HEADERS, body)
end
"""
# Each request the next draft of this thread's share (thread `id` takes every THREADS-th), with the
# session of the draft's person.
LUA_DRAFTS = """
request = function()
  local entry = DRAFTS[(id - 1) + THREADS * counter + 1] or DRAFTS[#DRAFTS]
  counter = counter + 1
  local headers = {}
  for k, v in pairs(HEADERS) do headers[k] = v end
  headers["Cookie"] = HEADERS["Cookie"] .. "; " .. SESSION_COOKIE .. "=" .. entry[2]
  return wrk.format("POST", "/scholarships/applications/" .. entry[1] .. "/", headers, BODY)
end
"""


def fetch_form(port: int, path: str) -> tuple[str, str, str]:
    """(csrf cookie, csrf form token, a member state id or ""), as a browser gets them with the form."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    connection.request("GET", path, headers={"Host": HOST})
    response = connection.getresponse()
    page = response.read().decode()
    cookie = next(c.split(";")[0] for c in response.headers.get_all("Set-Cookie") or [] if c.startswith("csrftoken="))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    country = re.search(r'<option value="(\d+)"', page)
    assert token, f"{path} did not render its form"
    return cookie, token.group(1), country.group(1) if country else ""


def webinar_body(token: str, country: str) -> str:
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


def application_body(token: str, offering: int) -> str:
    form = {
        "csrfmiddlewaretoken": token,
        "motivation": "Dirijo la oficina de protección del puerto.",
        "choice_1": str(offering),
        "spoken_languages": "es",
        "submit": "1",
    }
    return urlencode(form)


@dataclass
class Flow:
    """One kind of POST: where it goes, what each request sends, what it leaves in the database."""

    name: str
    label: str
    form_path: str  # the page a browser gets the CSRF cookie and token from
    post_path: Callable[[int], str]  # the URL of the n-th request
    body: Callable[[str, str], str]  # (csrf token, member state id) → the form body shared by every request
    ok_status: int = 302


def webinar_flow(webinar_id: int) -> Flow:
    path = f"/webinars/{webinar_id}/register/"
    return Flow("webinar", "registration (POST)", path, lambda n: path, webinar_body)


def signup_flow() -> Flow:
    return Flow("signup", "sign-up (POST)", "/accounts/signup/", lambda n: "/accounts/signup/", lambda t, c: "")


def application_flow(offering: int, drafts: list[list[Any]]) -> Flow:
    return Flow(
        "application",
        "application submit (POST)",
        "/accounts/signup/",  # any form page gives the CSRF cookie (it is not tied to the session)
        lambda n: f"/scholarships/applications/{drafts[min(n, len(drafts) - 1)][0]}/",
        lambda token, country: application_body(token, offering),
    )


# --- wrk --------------------------------------------------------------------------------------------


def wrk_get(wrk: str, port: int, path: str, args: argparse.Namespace, tmp: str, seconds: float) -> dict[str, Any]:
    return serving.wrk_run(wrk, f"http://{HOST}:{port}{path}", "", args, tmp, seconds)


def lua_table(values: dict[str, str]) -> str:
    lua_string = serving.lua_string
    return "{" + ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in values.items()) + "}"


def wrk_post(
    wrk: str, port: int, flow: Flow, args: argparse.Namespace, tmp: str, seconds: float, target: Any
) -> dict[str, Any]:
    cookie, token, country = fetch_form(port, flow.form_path)
    path = flow.post_path(0)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie, "Referer": f"http://{HOST}{path}"}
    lua_string = serving.lua_string
    script = f"PATH = {lua_string(path)}\nHEADERS = {lua_table(headers)}\n"
    if flow.name == "application":
        drafts = ", ".join(f"{{{pk}, {lua_string(key)}}}" for pk, key in target)
        script += f"BODY = {lua_string(flow.body(token, country))}\nDRAFTS = {{{drafts}}}\nTHREADS = {args.threads}\n"
        script += f"SESSION_COOKIE = {lua_string('sessionid')}\n" + LUA_POST + LUA_DRAFTS
    else:
        body = flow.body(token, country)
        prefix = "load" if flow.name == "webinar" else "signup"
        tag = f"{os.getpid()}-{target}" if flow.name == "webinar" else str(target)
        script += f"BODY = {lua_string(f'csrfmiddlewaretoken={quote(token)}' + (f'&{body}' if body else ''))}\n"
        script += f"PREFIX = {lua_string(prefix)}\nTAG = {lua_string(tag)}\n" + LUA_POST + LUA_UNIQUE_EMAIL
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


def python_post(port: int, flow: Flow, args: argparse.Namespace, seconds: float, target: Any) -> dict[str, Any]:
    cookie, token, country = fetch_form(port, flow.form_path)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://{HOST}{flow.post_path(0)}"}
    body = f"csrfmiddlewaretoken={quote(token)}&{flow.body(token, country)}".rstrip("&")
    taken = [0]
    lock = threading.Lock()

    def send(number: int, count: int) -> bool:
        if flow.name == "application":
            with lock:
                index, taken[0] = taken[0], taken[0] + 1
            pk, session = target[min(index, len(target) - 1)]
            path, cookies = f"/scholarships/applications/{pk}/", f"{cookie}; sessionid={session}"
            return python_request(port, "POST", path, body, {**headers, "Cookie": cookies}) == flow.ok_status
        prefix, tag = ("load", f"{os.getpid()}-{target}") if flow.name == "webinar" else ("signup", str(target))
        email = quote(f"{prefix}-{tag}-{number}-{count}@port.example.org")
        sent = f"{body}&email={email}"
        status = python_request(port, "POST", flow.post_path(count), sent, {**headers, "Cookie": cookie})
        return status == flow.ok_status

    return python_load(port, seconds, args.connections, send)


# --- Running it ---------------------------------------------------------------------------------------


def line(label: str, result: dict[str, Any]) -> None:
    failed = result["errors"] + result["bad_status"]
    client = f"   wrk {result['client_cpu']:.0f}% of a core" if "client_cpu" in result else ""
    parts = " + ".join(f"{name} {ms:.1f}" for name, ms in result["cpu"].items() if ms >= 0.05)
    print(
        f"  {label:<27} {result['rate']:8.1f} req/s   p50 {result['p50']:7.1f} ms   p99 {result['p99']:7.1f} ms"
        f"   failed {failed}{client}\n  {'':<27} server CPU {result['server_ms']:.1f} ms/req ({parts})",
        flush=True,
    )


def summary(label: str, results: list[dict[str, Any]]) -> float:
    rates = [r["rate"] for r in results]
    best = max(results, key=lambda r: r["rate"])
    spread = f"{min(rates):.0f}–{max(rates):.0f}" if len(rates) > 1 else "one run"
    print(
        f"  {label:<27} best {best['rate']:8.1f} req/s (runs {spread}, median {statistics.median(rates):.0f})"
        f"   p50 {best['p50']:.1f} ms   p99 {best['p99']:.1f} ms"
        f"   server CPU {statistics.median(r['server_ms'] for r in results):.1f} ms/req (median)"
    )
    return best["rate"]


def ratios(label: str, results: list[dict[str, Any]], bases: dict[str, tuple[list[dict[str, Any]], float]]) -> None:
    best = max(r["rate"] for r in results)
    for base_label, (base, base_best) in bases.items():
        per_run = [100 * r["rate"] / b["rate"] for b, r in zip(base, results, strict=True)]
        print(
            f"  {label} throughput = {100 * best / base_best:.0f}% of {base_label}'s "
            f"(best against best; per run {', '.join(f'{r:.0f}%' for r in per_run)})"
            + ("; target ≥ 20%" if base_label == "/healthz" else "")
        )


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


def parse_args() -> argparse.Namespace:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser()
    parser.add_argument("--flow", choices=[*FLOWS, "all"], default="webinar", help="the POST to load (default webinar)")
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2 * cores + 1, help="gunicorn workers (default 2 × cores + 1)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even when PostgreSQL answers")
    parser.add_argument("--eager", action="store_true", help="no broker: mails rendered inside the request")
    parser.add_argument("--worker-during-load", action="store_true", help="the Celery worker runs during the load")
    parser.add_argument("--python-client", action="store_true", help="the Python load generator instead of wrk")
    return parser.parse_args()


@dataclass
class Prepared:
    """What each flow posts to in each run (index 0: the warm-up), and its statement count."""

    flows: list[str]
    targets: dict[str, list[Any]]
    offering: int = 0


def prepare(args: argparse.Namespace, env: dict[str, str]) -> Prepared:
    flows = list(FLOWS) if args.flow == "all" else [args.flow]
    runs = args.runs + 1
    targets: dict[str, list[Any]] = {}
    serving.run_python(
        "import django; django.setup()\nfrom django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)",
        env,
    )
    if "webinar" in flows:
        targets["webinar"] = [int(n) for n in serving.run_python(PREPARE_WEBINARS, env, str(runs)).split()]
    if "signup" in flows:
        targets["signup"] = [f"{os.getpid()}-{n}" for n in range(runs)]
    offering = 0
    if "application" in flows:
        drafts = max(int(DRAFTS_PER_SECOND * args.seconds), 1000)
        warmup = 500  # the warm-up run is short
        prepared = json.loads(serving.run_python(PREPARE_APPLICATIONS, env, str(runs), str(drafts), str(PARTICIPANTS)))
        offering = prepared["offering"]
        targets["application"] = [prepared["runs"][0][:warmup], *prepared["runs"][1:]]
    return Prepared(flows, targets, offering)


def count_statements(flow: str, prepared: Prepared, env: dict[str, str]) -> list[Any]:
    """[statements, transaction control (BEGIN, COMMIT, savepoints), the answer's status, the SQL]."""
    extra = {"webinar": str(prepared.targets.get("webinar", [0])[0]), "application": str(prepared.offering)}
    out = serving.run_python(STATEMENTS, env, flow, str(os.getpid()), *([extra[flow]] if flow in extra else []))
    counted: list[Any] = json.loads(out.strip().splitlines()[-1])
    return counted


def stored(flow: str, prepared: Prepared, env: dict[str, str]) -> int:
    if flow == "webinar":
        return int(serving.run_python(COUNT_WEBINAR, env, *map(str, prepared.targets["webinar"])))
    if flow == "signup":
        return sum(int(serving.run_python(COUNT_SIGNUP, env, tag)) for tag in prepared.targets["signup"])
    return int(serving.run_python(COUNT_APPLICATION, env))


def flow_for(name: str, prepared: Prepared, target: Any) -> Flow:
    if name == "webinar":
        return webinar_flow(target)
    if name == "signup":
        return signup_flow()
    return application_flow(prepared.offering, target)


def main() -> int:
    args = parse_args()
    cores = os.cpu_count() or 1
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
            FARO_MAIL_LIMIT_PER_IP=str(10**9),  # all the load comes from 127.0.0.1: no hourly sign-up limit for it
        )
        processes: list[subprocess.Popen[bytes]] = []
        worker: subprocess.Popen[bytes] | None = None
        try:
            prepared = prepare(args, env)
            statements = {flow: count_statements(flow, prepared, env) for flow in prepared.flows}
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

            def post(name: str, run: int, seconds: float) -> dict[str, Any]:
                target = prepared.targets[name][run]
                flow = flow_for(name, prepared, target)
                if wrk:
                    return wrk_post(wrk, port, flow, args, tmp, seconds, target)
                return python_post(port, flow, args, seconds, target)

            get("/healthz", 2)  # warm-up: every worker imports, connects and fills its caches
            get("/bench/bare/", 1)
            for name in prepared.flows:
                post(name, 0, 1 if name == "application" else 2)  # ~500 drafts are kept for the warm-up
            healthz: list[dict[str, Any]] = []
            bares: list[dict[str, Any]] = []
            posts: dict[str, list[dict[str, Any]]] = {name: [] for name in prepared.flows}
            postgres = database.label == "PostgreSQL"
            servers = {
                "gunicorn": lambda: serving.children(server.pid),
                "celery": lambda: [worker.pid] if worker else [],
                "postgres": lambda: serving.backends(database.name) if postgres else [],
            }
            labels = {name: flow_for(name, prepared, prepared.targets[name][0]).label for name in prepared.flows}
            for number in range(1, args.runs + 1):
                print(f" run {number}")
                healthz.append(serving.measured(lambda: get("/healthz", args.seconds), servers))
                line("/healthz (GET)", healthz[-1])
                bares.append(serving.measured(lambda: get("/bench/bare/", args.seconds), servers))
                line("bare Django view (GET)", bares[-1])
                for name in prepared.flows:
                    posts[name].append(serving.measured(lambda: post(name, number, args.seconds), servers))  # noqa: B023
                    line(labels[name], posts[name][-1])
            print(" summary")
            bases = {
                "/healthz": (healthz, summary("/healthz (GET)", healthz)),
                "the bare view": (bares, summary("bare Django view (GET)", bares)),
            }
            for name in prepared.flows:
                summary(labels[name], posts[name])
            expected_mails = 0
            for name in prepared.flows:
                print(f" {labels[name]}")
                ratios(name, posts[name], bases)
                app = statistics.median(r["cpu"]["gunicorn"] for r in posts[name])
                database_ms = statistics.median(r["cpu"]["postgres"] for r in posts[name])
                print(f"  app CPU per POST {app:.1f} ms, PostgreSQL {database_ms:.1f} ms (median of the runs)")
                count, control, status, _sql = statements[name]
                print(
                    f"  SQL statements per POST: {count}, + {control} BEGIN/COMMIT/SAVEPOINT"
                    f" (answer {status}; target ≤ 8)"
                )
                created = stored(name, prepared, env)
                answered = sum(r["requests"] for r in posts[name])
                print(f"  check: {created} {name} writes stored for ~{answered} answered POSTs (+ warm-up)")
                expected_mails += created
            print(f"  load average after the load: {serving.load_average()}")
            if os.environ.get("BENCH_SHOW_SQL"):
                for name, (_count, _control, _status, sql) in statements.items():
                    print(f" {name} statements:\n   " + "\n   ".join(sql))
            if broker and not worker:
                worker = start_worker(env, queue)
                processes.append(worker)
            expected_mails += sum(2 for _ in prepared.flows)  # the statement counts' two requests each mail too
            drained = wait_for_mails(mails, expected_mails, timeout=600, worker=worker.pid if worker else None)
            where = "by the Celery worker" if broker else "inside the requests"
            print(f"  check: {drained['sent']} of {expected_mails} mails written {where}")
            if "rate" in drained:
                print(
                    f"  mail: {drained['rate']:.0f} mails per second from one worker"
                    f" ({drained['cpu_ms']:.1f} ms worker CPU each, a webinar's partners' event included)"
                )
        finally:
            for process in reversed(processes):
                process.terminate()
                process.wait(timeout=30)
            database.drop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
