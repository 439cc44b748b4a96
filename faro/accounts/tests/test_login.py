import re
from typing import Any

import pyotp
import pytest
from django.core import mail
from django.test import Client

from conftest import PASSWORD, make_person, make_user
from faro.accounts import services
from faro.accounts.models import User
from faro.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def post_login(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"username": email, "password": password}, **extra)


def test_it_logs_in_by_email_in_any_case(client: Client, participant: User) -> None:
    response = post_login(client, "KEISHA@Port.Example.JM")
    assert response.status_code == 302 and response.url == "/accounts/me/"
    assert client.get("/accounts/me/").status_code == 200


def test_it_refuses_a_wrong_password_with_a_clear_message(client: Client, participant: User) -> None:
    response = post_login(client, participant.email, "wrong")
    assert "do not match an account" in response.content.decode()


def test_it_locks_an_email_out_after_repeated_failures(client: Client, participant: User, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 3
    for _attempt in range(3):
        response = post_login(client, participant.email, "wrong")
    assert "sign-in is blocked for 15 minutes" in response.content.decode()
    response = post_login(client, participant.email)  # even the right password is refused now
    assert response.status_code == 200 and "blocked" in response.content.decode()
    assert AuditEntry.objects.for_object(participant).filter(action="accounts.user.locked_out").exists()
    assert post_login(client, "andre@pa.example.jm").status_code == 200  # no such user: not our lockout


def test_the_lockout_message_is_translated(client: Client, participant: User, settings: Any) -> None:
    settings.LOGIN_FAILURE_LIMIT = 1
    response = post_login(client, participant.email, "wrong", HTTP_ACCEPT_LANGUAGE="es")
    assert "Demasiados intentos" in response.content.decode()


def test_it_locks_an_address_trying_many_emails(client: Client, participant: User, settings: Any) -> None:
    settings.LOGIN_IP_FAILURE_LIMIT = 4
    for n in range(4):
        post_login(client, f"nobody{n}@example.org", "wrong")
    assert "blocked" in post_login(client, participant.email).content.decode()


def test_a_lockout_expires(client: Client, participant: User, settings: Any) -> None:
    from django.core.cache import cache

    settings.LOGIN_FAILURE_LIMIT = 1
    post_login(client, participant.email, "wrong")
    cache.clear()  # what LOGIN_LOCKOUT_SECONDS later looks like
    assert post_login(client, participant.email).status_code == 302


def test_users_with_two_factor_need_a_code_on_a_second_step(client: Client, staff: User) -> None:
    secret = pyotp.random_base32()
    staff.totp_secret = secret
    staff.save()
    response = post_login(client, staff.email, **{"QUERY_STRING": "next=/directory/people/"})
    assert response.url == "/accounts/login/code/"
    assert client.get("/accounts/me/").status_code == 302  # not signed in yet
    response = client.post("/accounts/login/code/", {"code": "000000" if pyotp.TOTP(secret).now() != "000000" else "1"})
    assert "not right" in response.content.decode()
    response = client.post("/accounts/login/code/", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302 and response.url == "/directory/people/"
    assert client.get("/accounts/me/").status_code == 200


def test_the_code_step_needs_a_password_first(client: Client) -> None:
    assert client.get("/accounts/login/code/").url == "/accounts/login/"


def test_enrolling_in_two_factor_shows_a_qr_code_and_confirms_a_code(client: Client, staff: User) -> None:
    client.force_login(staff)
    page = client.get("/accounts/two-factor/").content.decode()
    assert "<svg" in page
    secret = re.search(r"<code>([A-Z2-7 ]+)</code>", page).group(1).replace(" ", "")  # type: ignore[union-attr]
    assert "not right" in client.post("/accounts/two-factor/", {"code": "12345x"}).content.decode()
    response = client.post("/accounts/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert response.url == "/accounts/me/"
    staff.refresh_from_db()
    assert staff.totp_secret == secret
    assert AuditEntry.objects.for_object(staff).filter(action="accounts.user.two_factor_enabled").exists()
    client.post("/accounts/two-factor/off/", {"code": pyotp.TOTP(secret).now()})
    staff.refresh_from_db()
    assert not staff.has_two_factor


def test_staff_without_two_factor_see_a_notice(client: Client, staff: User, participant: User) -> None:
    client.force_login(staff)
    assert "Protect it with two-factor sign-in" in client.get("/").content.decode()
    client.force_login(participant)
    assert "Protect it with two-factor sign-in" not in client.get("/").content.decode()


def test_the_setting_blocks_staff_pages_until_enrolled(client: Client, staff: User, settings: Any) -> None:
    client.force_login(staff)
    assert client.get("/directory/people/").status_code == 200
    settings.FARO_REQUIRE_STAFF_2FA = True
    assert client.get("/directory/people/").url == "/accounts/two-factor/"
    assert client.get("/accounts/me/").status_code == 200
    staff.totp_secret = pyotp.random_base32()
    staff.save()
    assert client.get("/directory/people/").status_code == 200


def test_password_reset_mails_a_link_in_the_users_language(
    client: Client, participant: User, django_capture_on_commit_callbacks: Any
) -> None:
    participant.person.preferred_language = "fr"
    participant.person.save()
    with django_capture_on_commit_callbacks(execute=True):  # the mail goes through the outbox, after commit
        response = client.post("/accounts/password-reset/", {"email": "Keisha@port.example.jm"})
    assert response.url == "/accounts/password-reset/sent/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participant.email]
    assert "mot de passe" in message.subject.lower()
    link = re.search(r"http://127.0.0.1:8000(/accounts/reset/\S+)", message.body).group(1)  # type: ignore[union-attr]
    form_url = client.get(link).url
    new = "A new harbour light 2020"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response.url == "/accounts/reset/done/"
    assert post_login(client, participant.email, new).status_code == 302


def test_password_reset_for_an_unknown_email_sends_nothing_and_says_the_same(client: Client) -> None:
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"})
    assert response.url == "/accounts/password-reset/sent/"
    assert mail.outbox == []


def test_the_language_switch_is_remembered_and_restored_at_login(client: Client, participant: User) -> None:
    client.force_login(participant)
    client.post("/accounts/language/", {"language": "pt", "next": "/"})
    participant.person.refresh_from_db()
    assert participant.person.preferred_language == "pt"
    client.post("/accounts/logout/")
    client.cookies.pop("faro_language", None)
    response = post_login(client, participant.email)
    assert response.cookies["faro_language"].value == "pt"
    assert '<html lang="pt">' in client.get("/accounts/me/").content.decode()


def test_anonymous_language_switch_sets_the_cookie_only(client: Client) -> None:
    response = client.post("/accounts/language/", {"language": "fr", "next": "/"})
    assert response.cookies["faro_language"].value == "fr"


def test_my_page_saves_language_and_time_zone_and_times_follow_it(client: Client, participant: User) -> None:
    client.force_login(participant)
    page = client.get("/accounts/me/").content.decode()
    assert "My roles" in page
    response = client.post("/accounts/me/", {"language": "es", "timezone": "America/Jamaica"})
    assert response.url == "/accounts/me/"
    participant.person.refresh_from_db()
    assert (participant.person.preferred_language, participant.person.timezone) == ("es", "America/Jamaica")
    assert 'value="America/Jamaica" selected' in client.get("/accounts/me/").content.decode()

    from django.test import RequestFactory
    from django.utils import timezone

    from faro.core.middleware import TimezoneMiddleware

    seen = []
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=participant.pk)
    TimezoneMiddleware(lambda r: seen.append(timezone.get_current_timezone_name()) or None)(request)  # type: ignore[arg-type, func-returns-value]
    assert seen == ["America/Jamaica"]


def test_my_page_rejects_an_unknown_time_zone(client: Client, participant: User) -> None:
    client.force_login(participant)
    response = client.post("/accounts/me/", {"language": "es", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    participant.person.refresh_from_db()
    assert participant.person.timezone == ""


def test_preferences_of_a_user_without_a_person_create_one(staff: User) -> None:
    services.update_preferences(staff, language="fr", timezone="UTC", acting_user=staff)
    staff.refresh_from_db()
    assert staff.person is not None and staff.person.email == staff.email
    assert staff.preferred_language == "fr"


def test_my_page_needs_login(client: Client) -> None:
    assert client.get("/accounts/me/").url.startswith("/accounts/login/")


def test_logout(client: Client, participant: User) -> None:
    client.force_login(participant)
    client.post("/accounts/logout/")
    assert client.get("/accounts/me/").status_code == 302


def test_the_login_page_links_to_password_reset(client: Client) -> None:
    assert "/accounts/password-reset/" in client.get("/accounts/login/").content.decode()


def test_login_next_must_stay_on_this_site(client: Client, db: Any) -> None:
    person = make_person("Ana", "Silva", "BR", email="ana@port.example.br")
    make_user("ana@port.example.br", person=person)
    response = client.post("/accounts/login/?next=https://evil.example/", {"username": "ana@port.example.br",
                                                                          "password": PASSWORD})  # fmt: skip
    assert response.url == "/accounts/me/"
