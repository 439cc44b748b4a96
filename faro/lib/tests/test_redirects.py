"""Return links and redirects taken from the request go only to this site (`next=` on the job page, login)."""

import pytest
from django.test import Client, RequestFactory

from faro.accounts.models import User
from faro.core.jobs import finish_job, start_job
from faro.lib.redirects import safe_return_url

HOSTILE = [
    "javascript:alert(document.cookie)",
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example",
    "data:text/html,<script>alert(1)</script>",
    " javascript:alert(1)",
    "http://testserver/mailings/",  # plain http outside development
]


@pytest.mark.parametrize("url", HOSTILE)
def test_unsafe_return_urls_give_the_fallback(url: str) -> None:
    request = RequestFactory().get("/")
    assert safe_return_url(request, url, "/fallback/") == "/fallback/"


def test_a_path_on_this_site_is_kept() -> None:
    assert safe_return_url(RequestFactory().get("/"), "/portal/manage/mailings/3/", "/") == "/portal/manage/mailings/3/"


@pytest.mark.django_db
@pytest.mark.parametrize("url", HOSTILE[:3])
def test_the_job_pages_continue_link_ignores_a_hostile_next(client: Client, staff: User, url: str) -> None:
    job = start_job(kind="test", title="Test", total=1, user=staff)
    finish_job(job.pk)
    client.force_login(staff)
    page = client.get(f"/jobs/{job.pk}/", {"next": url}).content.decode()
    assert url not in page
    assert "Continue" not in page


@pytest.mark.django_db
def test_the_job_pages_continue_link_keeps_a_local_next(client: Client, staff: User) -> None:
    job = start_job(kind="test", title="Test", total=1, user=staff)
    finish_job(job.pk)
    client.force_login(staff)
    assert (
        'href="/portal/manage/mailings/"' in client.get(f"/jobs/{job.pk}/", {"next": "/portal/manage/mailings/"}).text
    )


@pytest.mark.django_db
def test_login_does_not_send_anyone_to_another_site(client: Client, participant: User) -> None:
    from conftest import PASSWORD

    form = {"login": participant.email, "password": PASSWORD, "next": "https://evil.example/"}
    response = client.post("/accounts/login/?next=https://evil.example/", form)
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
