"""Shared fixtures: the personas every view test uses, and a real headless Chromium."""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page
from pytest_django.fixtures import Settings
from pytest_django.live_server_helper import LiveServer

from faro.accounts.models import RoleAssignment, User
from faro.directory.models import Institution, MemberState, Person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_hashing_and_plain_storage(settings: Settings, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.PAGE_CACHE_SECONDS = 0  # ORM writes in tests are not audited; test_pagecache turns it on


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    """Member states, regions and plans for every database test.

    The data migration loads them, but transactional tests (browser, concurrency) flush every
    table when they end, so later tests would find none: reload them when missing.
    """
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    transactional = transactional or bool(names & {"transactional_db", "live_server"})
    if marker is None and not transactional and "db" not in names:
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    if not MemberState.objects.exists():
        from django.apps import apps

        from faro.directory.reference import load_reference_data

        load_reference_data(lambda name: apps.get_model("directory", name))


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def make_user(email: str, *, person: Person | None = None, **role: Any) -> User:
    from allauth.account.models import EmailAddress

    user = User.objects.create_user(email, PASSWORD, full_name=person.full_name if person else "", person=person)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if role:
        RoleAssignment.objects.create(user=user, **role)
    return user


def person_of(user: User) -> Person:
    """The user's directory record: every persona has one."""
    assert user.person is not None
    return user.person


def state_of(focal_point: User) -> MemberState:
    """The member state a focal point's role names."""
    state = focal_point.roles.get().member_state
    assert state is not None
    return state


def institution_of(partner: User) -> Institution:
    """The institution a partner's role names."""
    institution = partner.roles.get().institution
    assert institution is not None
    return institution


def make_person(first: str, last: str, country: str, **fields: Any) -> Person:
    state = MemberState.objects.get(code=country)
    return Person.objects.create(first_name=first, last_name=last, member_state=state, **fields)


@pytest.fixture
def jamaica() -> MemberState:
    return MemberState.objects.get(code="JM")


@pytest.fixture
def peru() -> MemberState:
    return MemberState.objects.get(code="PE")


@pytest.fixture
def partner_institution() -> Institution:
    return Institution.objects.create(
        name="Autoridad Portuaria Nacional", acronym="APN", kind="port_authority", country_code="PE"
    )


@pytest.fixture
def other_institution() -> Institution:
    return Institution.objects.create(name="Fundación Valenciaport", kind="ngo", country_code="ES")


@pytest.fixture
def staff(db: None) -> User:
    return make_user("staff@cip.example.org", role="staff")


@pytest.fixture
def partner(partner_institution: Institution) -> User:
    person = make_person("Rosa", "Quispe", "PE", email="rosa@apn.example.pe", institution=partner_institution)
    return make_user("rosa@apn.example.pe", person=person, role="partner", institution=partner_institution)


@pytest.fixture
def focal_point(jamaica: MemberState) -> User:
    person = make_person("Andre", "Campbell", "JM", email="andre@pa.example.jm")
    return make_user("andre@pa.example.jm", person=person, role="focal_point", member_state=jamaica)


@pytest.fixture
def reviewer(db: None) -> User:
    person = make_person("Carla", "Méndez", "CL", email="carla@review.example.cl")
    return make_user("carla@review.example.cl", person=person, role="reviewer")


@pytest.fixture
def participant(jamaica: MemberState) -> User:
    person = make_person("Keisha", "Brown", "JM", email="keisha@port.example.jm", gender="woman")
    return make_user("keisha@port.example.jm", person=person)


@pytest.fixture
def outsider(db: None) -> User:
    person = make_person("Pierre", "Joseph", "HT", email="pierre@port.example.ht")
    return make_user("pierre@port.example.ht", person=person)


# --- Browser ---------------------------------------------------------------------------


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: run `make test`, which installs it with apt-get")
    return path


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_server: LiveServer) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused: list[str] = []  # what the Content-Security-Policy blocked: every browser test fails on it
    page.on(
        "console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None
    )
    yield page
    context.close()
    assert refused == [], "the Content-Security-Policy blocked something"


def assert_accessible(page: Page) -> None:
    """Run axe-core (served from the installed package, not a CDN) and fail on any violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = results.response["violations"]
    assert not violations, f"{page.url}: " + results.generate_report()


def login(page: Page, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


@pytest.fixture
def languages() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def at_the_same_moment(*calls: Any) -> list[Any]:
    """Run each callable on its own thread and database connection, released together by a barrier
    (races on PostgreSQL). Returns each call's result, or the exception it raised, in order."""
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection

    barrier = threading.Barrier(len(calls))

    def run(call: Any) -> Any:
        try:
            barrier.wait(timeout=30)
            return call()
        except Exception as error:  # the loser's error is what the test looks at
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))


def production_statements(captured: Any) -> list[str]:
    """The statements a request captured inside a test's transaction sends in production. There each
    outermost atomic block is BEGIN … COMMIT, which Django does not count; here it is a savepoint, left
    out. Savepoints of blocks nested inside a transaction are sent in production too: they stay."""
    sent, depth = [], 0
    for query in captured.captured_queries:
        sql = query["sql"]
        if sql.startswith("SAVEPOINT"):
            depth += 1
        if depth > 1 or not sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")):
            sent.append(sql)
        if sql.startswith("RELEASE SAVEPOINT"):  # a rolled back block releases its savepoint after the ROLLBACK TO
            depth -= 1
    return sent
