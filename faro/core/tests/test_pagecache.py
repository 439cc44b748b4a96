"""Anonymous public pages come from the cache, are fresh after any write, and never carry one visitor's data."""

import re
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.fixtures import Settings

from faro.accounts.models import User
from faro.core import pagecache
from faro.directory.models import Institution, MemberState
from faro.tests.site import build_site
from faro.webinars import services as webinars
from faro.webinars.models import Webinar

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings: Settings) -> None:
    settings.PAGE_CACHE_SECONDS = 30


@pytest.fixture
def webinar(
    staff: User, partner: User, focal_point: User, participant: User, partner_institution: Institution
) -> Webinar:
    build_site(
        staff=staff, partner=partner, focal_point=focal_point, participant=participant, institution=partner_institution
    )
    return Webinar.objects.get()


def queries_for(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_a_second_anonymous_visit_is_served_without_touching_the_database(webinar: Webinar) -> None:
    first, page = queries_for(Client(), f"/webinars/{webinar.pk}/")
    second, again = queries_for(Client(), f"/webinars/{webinar.pk}/")
    assert first > 0
    assert second == 0
    assert TOKEN.sub("", again) == TOKEN.sub("", page)  # the same page, but each visitor's own CSRF token


@pytest.mark.django_db(transaction=True)
def test_a_committed_write_shows_at_once(webinar: Webinar, staff: User) -> None:
    url = f"/webinars/{webinar.pk}/"
    Client().get(url)
    webinars.update_webinar(webinar, acting_user=staff, fields={"title": {"en": "Cruise terminals after 2020"}})
    assert "Cruise terminals after 2020" in Client().get(url).content.decode()


def test_a_write_not_yet_committed_leaves_the_cached_page(webinar: Webinar, staff: User) -> None:
    url = f"/webinars/{webinar.pk}/"
    before = Client().get(url).content.decode()
    webinars.update_webinar(webinar, acting_user=staff, fields={"title": {"en": "Cruise terminals after 2020"}})
    after = Client().get(url).content.decode()
    assert TOKEN.sub("", after) == TOKEN.sub("", before)  # the test's transaction never commits


def test_languages_and_time_zones_are_kept_apart(webinar: Webinar) -> None:
    url = f"/webinars/{webinar.pk}/"
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get(url).content.decode()
    spanish = Client(HTTP_ACCEPT_LANGUAGE="es").get(url).content.decode()
    assert 'lang="en"' in english
    assert 'lang="es"' in spanish
    assert "Protección portuaria" in spanish


def test_signed_in_pages_are_never_stored_nor_served(webinar: Webinar, staff: User) -> None:
    url = f"/webinars/{webinar.pk}/"
    signed_in = Client()
    signed_in.force_login(staff)
    staff_page = signed_in.get(url).content.decode()
    anonymous_page = Client().get(url).content.decode()
    assert staff.email not in anonymous_page
    assert "Log out" in staff_page
    assert "Log out" not in anonymous_page
    assert "Log out" in signed_in.get(url).content.decode()  # the anonymous copy is not served to staff


def test_every_visitor_gets_a_token_of_their_own_that_works(webinar: Webinar, jamaica: MemberState) -> None:
    url = f"/webinars/{webinar.pk}/register/"
    Client().get(url)  # fills the cache
    visitors = [Client(enforce_csrf_checks=True) for _ in range(2)]
    found = [TOKEN.search(visitor.get(url).content.decode()) for visitor in visitors]
    tokens = [match.group(1) if match else None for match in found]
    assert tokens[0] != tokens[1]
    for number, (visitor, token) in enumerate(zip(visitors, tokens, strict=True)):
        form = {
            "csrfmiddlewaretoken": token,
            "first_name": "Ana",
            "last_name": f"Pérez {number}",
            "consent": "on",
            "email": f"ana{number}@port.example.do",
            "member_state": jamaica.pk,
            "language": "es",
        }
        response = visitor.post(url, form)
        assert response.status_code == 302, response.content.decode()[:500]


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(webinar: Webinar) -> None:
    url = f"/webinars/{webinar.pk}/"
    Client().get(url)
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    count, _page = queries_for(visitor, url)
    assert count > 0


class UnreachableCache:
    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> None:
            raise ConnectionError("Redis is down")

        return fail


def test_pages_render_when_the_cache_is_down(webinar: Webinar, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagecache, "cache", UnreachableCache())
    for _visit in range(2):
        assert Client().get(f"/webinars/{webinar.pk}/").status_code == 200
    pagecache.bump_version()  # a write committing while Redis is down does not fail either


def test_a_page_reached_by_a_personal_link_is_never_stored(webinar: Webinar) -> None:
    registration = webinar.registrations.get()
    url = f"/webinars/registration/{webinars.registration_token(registration)}/"
    Client().get(url)
    count, _page = queries_for(Client(), url)
    assert count > 0


def test_the_url_is_resolved_once_per_request(webinar: Webinar, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.urls import get_resolver
    from django.urls.resolvers import URLResolver

    root = get_resolver()
    calls: list[str] = []
    resolve = URLResolver.resolve

    def counted(self: URLResolver, path: str) -> Any:
        if self is root:
            calls.append(path)
        return resolve(self, path)

    monkeypatch.setattr(URLResolver, "resolve", counted)
    url = f"/webinars/{webinar.pk}/"
    Client().get(url)  # stored
    Client().get(url)  # served from the cache
    assert calls == [url, url]
