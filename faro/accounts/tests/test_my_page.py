"""Self-service on My page: details, email, password, registrations and delegations, deleting."""

import datetime
import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_person, make_user, person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory.models import MemberState
from faro.webinars.models import Registration
from faro.webinars.tests.conftest import make_webinar, register

pytestmark = pytest.mark.django_db


def code_in(message: Any) -> str:
    return re.search(r"^\s+(\d{6})$", message.body, re.M).group(1)  # type: ignore[union-attr]  # the mail holds the text sought


def signed_in(client: Client, user: User) -> Client:
    client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    return client


def test_my_details_are_edited_and_audited(client: Client, participant: User) -> None:
    signed_in(client, participant)
    form = {
        "first_name": "Keisha",
        "last_name": "Brown-Clarke",
        "member_state": MemberState.objects.get(code="JM").pk,
        "institution": "",
        "position": "Port Facility Security Officer",
        "phone": "+1 876 555 0100",
        "preferred_language": "en",
    }
    assert client.post("/accounts/me/details/", form)["Location"] == "/accounts/me/"
    participant.refresh_from_db()
    assert participant.full_name == "Keisha Brown-Clarke"
    assert participant.phone == "+1 876 555 0100"
    assert AuditEntry.objects.for_object(person_of(participant)).filter(action="directory.person.updated").exists()
    assert AuditEntry.objects.for_object(participant).filter(action="accounts.user.updated").exists()


def test_a_missing_first_name_is_refused_and_nothing_changes(client: Client, participant: User) -> None:
    signed_in(client, participant)
    response = client.post("/accounts/me/details/", {"first_name": "", "preferred_language": "en"})
    assert response.status_code == 200
    person_of(participant).refresh_from_db()
    assert person_of(participant).first_name == "Keisha"


def test_changing_to_an_address_another_account_has_is_refused_clearly(
    client: Client, participant: User, staff: User
) -> None:
    signed_in(client, participant)
    response = client.post("/accounts/email/", {"action_add": "", "email": staff.email.upper()})
    assert "Another account uses this address" in response.content.decode()
    assert mail.outbox == []
    participant.refresh_from_db()
    assert participant.email == "keisha@port.example.jm"


def test_a_new_address_is_proven_by_code_and_the_old_one_is_told(client: Client, participant: User) -> None:
    signed_in(client, participant)
    client.post("/accounts/email/", {"action_add": "", "email": "keisha.brown@port.example.jm"})
    assert mail.outbox[-1].to == ["keisha.brown@port.example.jm"]
    client.post("/accounts/confirm-email/", {"code": code_in(mail.outbox[-1])})
    participant.refresh_from_db()
    assert participant.email == "keisha.brown@port.example.jm"
    assert EmailAddress.objects.get(user=participant).email == "keisha.brown@port.example.jm"
    person_of(participant).refresh_from_db()
    assert person_of(participant).email == "keisha.brown@port.example.jm"
    assert ["keisha@port.example.jm"] in [m.to for m in mail.outbox]  # the old address is told


def test_a_person_joined_after_proof_sees_their_webinar_registrations_at_once(client: Client) -> None:
    person = make_person("Ana", "Silva", "BR", email="ana@port.example.br")
    upcoming = make_webinar()
    past = make_webinar(
        starts_at=timezone.now() - datetime.timedelta(days=30),
        ends_at=timezone.now() - datetime.timedelta(days=30, hours=-1),
    )
    register(upcoming, "ana@port.example.br")
    Registration.objects.create(webinar=past, person=person, status="confirmed", consented_at=timezone.now())
    client.post("/accounts/signup/", {"email": "ana@port.example.br"})
    client.post("/accounts/confirm-email/", {"code": code_in(mail.outbox[-1])})
    page = client.get("/accounts/me/").content.decode()
    assert User.objects.get(email="ana@port.example.br").person == person
    assert "My upcoming webinars" in page
    assert "Port security and the ISPS Code" in page
    assert "My past webinars" in page
    assert "/webinars/registration/" in page  # its page has the join link and the cancel button


def test_my_page_links_password_two_factor_email_and_deleting(client: Client, participant: User) -> None:
    page = signed_in(client, participant).get("/accounts/me/").content.decode()
    for url in (
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/2fa/webauthn/",
        "/accounts/email/",
        "/me/data/",
    ):
        assert url in page


def test_the_allauth_pages_render_in_farós_layout(client: Client, participant: User) -> None:
    signed_in(client, participant)
    for url in ("/accounts/email/", "/accounts/password/change/", "/accounts/2fa/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'class="site-header"' in response.content.decode()


def test_a_user_without_a_person_has_no_sections(client: Client, db: None) -> None:
    user = make_user("nobody@example.org")
    client.force_login(user)
    assert client.get("/accounts/me/").status_code == 200
