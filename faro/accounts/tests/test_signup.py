"""Sign-up is email first: a six-digit code proves the address, then the person says who they are."""

import datetime
import re
from typing import Any

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.utils import timezone

from conftest import PASSWORD, make_person
from faro.accounts import services
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory.models import Institution, MemberState, Person

pytestmark = pytest.mark.django_db
NEW = "nuevo@puerto.example.py"


def code_in(message: Any) -> str:
    return re.search(r"^\s+(\d{6})$", message.body, re.M).group(1)  # type: ignore[union-attr]  # the mail holds the text sought


def start_signup(client: Client, email: str = NEW, **extra: Any) -> Any:
    return client.post("/accounts/signup/", {"email": email}, **extra)


def prove(client: Client, code: str) -> Any:
    return client.post("/accounts/confirm-email/", {"code": code})


def details(**values: Any) -> dict[str, Any]:
    return {
        "first_name": "Ana",
        "last_name": "Benítez",
        "member_state": MemberState.objects.get(code="PY").pk,
        "institution": "",
        "position": "Jefa de operaciones",
        "phone": "",
        "preferred_language": "es",
        "password": "",
        **values,
    }


def test_the_address_comes_first_and_a_six_digit_code_is_mailed_in_the_pages_language(client: Client) -> None:
    response = start_signup(client, HTTP_ACCEPT_LANGUAGE="es")
    assert response.status_code == 302
    assert response.url == "/accounts/confirm-email/"
    assert [m.to for m in mail.outbox] == [[NEW]]
    assert re.fullmatch(r"\d{6}", code_in(mail.outbox[0]))
    assert "15 minutos" in mail.outbox[0].body
    assert "/accounts/confirm-email/?code=" in mail.outbox[0].body
    assert not EmailAddress.objects.filter(email=NEW, verified=True).exists()


def test_after_the_code_the_person_gives_their_details_and_is_signed_in(client: Client) -> None:
    start_signup(client)
    response = prove(client, code_in(mail.outbox[0]))
    assert response.url == "/accounts/welcome/"
    response = client.post("/accounts/welcome/", details(password="Faro harbour light 2026"))
    assert response["Location"] == "/accounts/me/"
    user = User.objects.get(email=NEW)
    assert user.person is not None
    assert (user.person.first_name, user.person.preferred_language) == ("Ana", "es")
    assert user.person.member_state is not None
    assert user.person.member_state.code == "PY"
    assert user.full_name == "Ana Benítez"
    assert user.check_password("Faro harbour light 2026")
    assert response.cookies["faro_language"].value == "es"
    assert AuditEntry.objects.for_object(user).filter(action="accounts.user.password_set").exists()


def test_a_password_is_optional(client: Client) -> None:
    start_signup(client)
    prove(client, code_in(mail.outbox[0]))
    client.post("/accounts/welcome/", details())
    assert not User.objects.get(email=NEW).has_usable_password()
    assert client.get("/accounts/me/").status_code == 200


def test_a_weak_password_is_refused_and_nothing_is_saved(client: Client) -> None:
    start_signup(client)
    prove(client, code_in(mail.outbox[0]))
    response = client.post("/accounts/welcome/", details(password="123"))
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    assert User.objects.get(email=NEW).full_name == ""


def test_the_next_page_survives_the_sign_up(client: Client) -> None:
    client.post("/accounts/signup/?next=/scholarships/", {"email": NEW, "next": "/scholarships/"})
    response = prove(client, code_in(mail.outbox[0]))
    assert response.url == "/accounts/welcome/?next=%2Fscholarships%2F"
    assert client.post(response["Location"], details())["Location"] == "/scholarships/"


def test_an_existing_person_is_joined_only_after_proof_and_never_duplicated(client: Client) -> None:
    person = make_person("Ana", "Benítez", "PY", email="Nuevo@Puerto.example.py")
    start_signup(client)
    user = User.objects.get(email=NEW)
    assert user.person is None  # typing an address proves nothing
    prove(client, code_in(mail.outbox[0]))
    user.refresh_from_db()
    assert user.person == person
    assert Person.objects.with_email(NEW).count() == 1
    assert AuditEntry.objects.for_object(user).filter(action="accounts.user.joined_person").exists()


def test_a_wrong_code_says_so_and_offers_a_new_one(client: Client) -> None:
    start_signup(client)
    wrong = "000000" if code_in(mail.outbox[0]) != "000000" else "111111"
    page = prove(client, wrong).content.decode()
    assert "That code is not right, or it has expired" in page
    assert 'name="action" value="resend"' in page


def test_an_expired_code_is_refused(client: Client) -> None:
    start_signup(client)
    code = code_in(mail.outbox[0])
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=16)):
        response = prove(client, code)
    assert response.status_code in {200, 302}
    assert not EmailAddress.objects.filter(email=NEW, verified=True).exists()


def test_five_wrong_codes_end_the_code_even_for_the_right_one(client: Client) -> None:
    start_signup(client)
    code = code_in(mail.outbox[0])
    wrong = "000000" if code != "000000" else "111111"
    for _attempt in range(5):
        prove(client, wrong)
    prove(client, code)
    assert not EmailAddress.objects.filter(email=NEW, verified=True).exists()


def test_a_used_code_cannot_be_used_again(client: Client) -> None:
    start_signup(client)
    code = code_in(mail.outbox[0])
    prove(client, code)
    client.post("/accounts/logout/")
    response = prove(client, code)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")  # nothing pending: start again


def test_signing_up_with_a_known_address_answers_the_same(client: Client, participant: User) -> None:
    known = start_signup(client, participant.email)
    other = Client()
    unknown = start_signup(other)
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    known_page = client.get(known.url).content.decode().replace(participant.email, "EMAIL")
    unknown_page = other.get(unknown.url).content.decode().replace(NEW, "EMAIL")
    strip = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert strip.sub("", known_page) == strip.sub("", unknown_page)
    assert mail.outbox[0].to == [participant.email]
    assert "already an account" in mail.outbox[0].body
    assert User.objects.filter(email__iexact=participant.email).count() == 1


def test_login_by_code_works_without_a_password(client: Client, participant: User) -> None:
    response = client.post("/accounts/login/code/", {"email": participant.email})
    assert response["Location"] == "/accounts/login/code/confirm/"
    code = code_in(mail.outbox[0])
    response = client.post("/accounts/login/code/confirm/", {"code": code})
    assert response.status_code == 302
    assert client.get("/accounts/me/").status_code == 200


def test_five_wrong_sign_in_codes_lock_the_account_as_passwords_do(client: Client, participant: User) -> None:
    client.post("/accounts/login/code/", {"email": participant.email})
    wrong = "000000" if code_in(mail.outbox[0]) != "000000" else "111111"
    for _attempt in range(5):
        client.post("/accounts/login/code/confirm/", {"code": wrong})
    response = Client().post("/accounts/login/", {"login": participant.email, "password": PASSWORD})
    assert "sign-in is blocked for 15 minutes" in response.content.decode()


def test_login_by_code_answers_the_same_for_an_unknown_address(client: Client, participant: User) -> None:
    known = client.post("/accounts/login/code/", {"email": participant.email})
    unknown = Client().post("/accounts/login/code/", {"email": "nadie@example.org"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [[participant.email], ["nadie@example.org"]]


def test_sign_up_mails_are_throttled_per_address(client: Client) -> None:
    for _attempt in range(3):
        Client().post("/accounts/signup/", {"email": NEW})
    assert len(mail.outbox) == 1  # one account, one code; asking again waits for the resend limits


def test_create_account_for_a_proven_address_joins_the_person_and_audits(staff: User) -> None:
    person = make_person("Luis", "Gómez", "PY", email="luis@puerto.example.py")
    apn = Institution.objects.create(name="ANNP", kind="port_authority", country_code="PY")
    user = services.create_account(
        "Luis@Puerto.example.py",
        email_verified=True,
        full_name="Luis Gómez",
        member_state=MemberState.objects.get(code="PY"),
        institution=apn,
        position="Focal point",
        preferred_language="es",
        password=None,
        acting_user=staff,
    )
    assert user.email == "luis@puerto.example.py"
    assert user.person == person
    person.refresh_from_db()
    assert person.institution == apn
    assert EmailAddress.objects.get(user=user).verified
    assert AuditEntry.objects.for_object(user).filter(action="accounts.user.created").exists()


def test_create_account_for_an_unproven_address_joins_nobody_yet(staff: User) -> None:
    make_person("Luis", "Gómez", "PY", email="luis@puerto.example.py")
    user = services.create_account(
        "luis@puerto.example.py",
        email_verified=False,
        full_name="Luis Gómez",
        member_state=None,
        institution=None,
        position="",
        preferred_language="es",
        password=None,
        acting_user=staff,
    )
    assert user.person is None
    assert not EmailAddress.objects.get(user=user).verified
