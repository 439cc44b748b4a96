"""Sign-in through allauth: password, lockout, two-factor, language, `?next=`, password reset."""

import re
import time
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.http import HttpRequest, HttpResponse
from django.test import Client
from pytest_django.fixtures import Settings

from conftest import PASSWORD, make_person, make_user, person_of
from faro.accounts import services
from faro.accounts.models import User
from faro.core.models import AuditEntry

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("requests_commit")]  # allauth mails go by the outbox
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def post_login(client: Client, email: str, password: str = PASSWORD, **extra: Any) -> Any:
    return client.post("/accounts/login/", {"login": email, "password": password}, **extra)


def totp_now(secret: str = SECRET, offset: int = 0) -> str:
    code: str = format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))
    return code


def with_totp(user: User) -> User:
    TOTP.activate(user, SECRET)
    return user


def test_it_logs_in_by_email_in_any_case(client: Client, participant: User) -> None:
    response = post_login(client, "KEISHA@Port.Example.JM")
    assert response.status_code == 302
    assert response.url == "/accounts/me/"
    assert client.get("/accounts/me/").status_code == 200
    assert AuditEntry.objects.for_object(participant).filter(action="accounts.user.logged_in").exists()


def test_it_refuses_a_wrong_password_with_a_clear_message(client: Client, participant: User) -> None:
    response = post_login(client, participant.email, "wrong")
    assert "do not match an account" in response.content.decode()


def test_five_wrong_passwords_lock_the_email_even_for_the_right_one(client: Client, participant: User) -> None:
    for _attempt in range(5):
        response = post_login(client, participant.email, "wrong")
    response = post_login(client, participant.email)  # even the right password is refused now
    assert response.status_code == 200
    assert "sign-in is blocked for 15 minutes" in response.content.decode()
    assert AuditEntry.objects.for_object(participant).filter(action="accounts.user.locked_out").exists()


def test_another_email_is_not_locked_by_those_failures(client: Client, participant: User, staff: User) -> None:
    for _attempt in range(5):
        post_login(client, participant.email, "wrong")
    assert post_login(client, staff.email).status_code == 302


def test_a_look_alike_spelling_shares_the_real_accounts_counter(client: Client, participant: User) -> None:
    fullwidth = "ＫＥＩＳＨＡ@port.example.jm"  # NFKC folds full-width letters to "keisha"
    for _attempt in range(5):
        post_login(client, fullwidth, "wrong")
    assert "blocked" in post_login(client, participant.email).content.decode()


def test_the_lockout_message_is_translated(client: Client, participant: User) -> None:
    for _attempt in range(6):
        response = post_login(client, participant.email, "wrong", HTTP_ACCEPT_LANGUAGE="es")
    assert "Demasiados intentos" in response.content.decode()


def test_it_locks_an_address_trying_many_emails(client: Client, participant: User, settings: Settings) -> None:
    for n in range(20):
        post_login(client, f"nobody{n}@example.org", "wrong")
    assert "blocked" in post_login(client, participant.email).content.decode()


def test_a_lockout_expires(client: Client, participant: User) -> None:
    from django.core.cache import cache

    for _attempt in range(5):
        post_login(client, participant.email, "wrong")
    cache.clear()  # what LOGIN_LOCKOUT_SECONDS later looks like
    assert post_login(client, participant.email).status_code == 302


def test_behind_a_proxy_each_client_has_its_own_counter(client: Client, participant: User, settings: Settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(20):
        post_login(client, f"nobody{n}@example.org", "wrong", HTTP_X_FORWARDED_FOR="203.0.113.9")
    assert "blocked" in post_login(client, participant.email, HTTP_X_FORWARDED_FOR="203.0.113.9").content.decode()
    assert post_login(client, participant.email, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code == 302


def test_users_with_two_factor_need_a_code_on_a_second_step(client: Client, staff: User) -> None:
    with_totp(staff)
    response = post_login(client, staff.email, **{"QUERY_STRING": "next=/directory/people/"})
    assert response.url.startswith("/accounts/2fa/authenticate/")
    assert client.get("/accounts/me/").status_code == 302  # not signed in yet
    wrong = "000000" if totp_now() != "000000" else "111111"
    assert "not right" in client.post("/accounts/2fa/authenticate/", {"code": wrong}).content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert response.status_code == 302
    assert response["Location"] == "/directory/people/"
    assert client.get("/accounts/me/").status_code == 200


def test_a_totp_code_cannot_be_used_twice(client: Client, staff: User) -> None:
    with_totp(staff)
    code = totp_now()
    post_login(client, staff.email)
    assert client.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    client.post("/accounts/logout/")
    post_login(client, staff.email)
    response = client.post("/accounts/2fa/authenticate/", {"code": code})
    assert response.status_code == 200
    assert client.get("/accounts/me/").status_code == 302


def test_five_wrong_two_factor_codes_lock_as_well(client: Client, staff: User) -> None:
    with_totp(staff)
    post_login(client, staff.email)
    wrong = format_hotp_value((int(totp_now()) + 500_000) % 1_000_000)
    for _attempt in range(5):
        client.post("/accounts/2fa/authenticate/", {"code": wrong})
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_now()})
    assert "blocked" in response.content.decode()
    assert client.get("/accounts/me/").status_code == 302


def test_enrolling_in_two_factor_shows_a_qr_code_and_confirms_a_code(client: Client, staff: User) -> None:
    post_login(client, staff.email)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})  # setting up two-factor asks again
    assert client.get("/accounts/two-factor/")["Location"] == "/accounts/2fa/"
    page = client.get("/accounts/2fa/totp/activate/").content.decode()
    assert "<svg" in page or "data:image" in page
    secret = client.session["mfa.totp.secret"]
    assert "not right" in client.post("/accounts/2fa/totp/activate/", {"code": "12345x"}).content.decode()
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_now(secret)})
    assert response.status_code == 302
    assert staff.has_two_factor
    stored = Authenticator.objects.get(user=staff, type="totp").data["secret"]
    assert secret not in stored  # encrypted at rest


def test_staff_without_two_factor_see_a_notice(client: Client, staff: User, participant: User) -> None:
    client.force_login(staff)
    assert "Protect it with two-factor sign-in" in client.get("/").content.decode()
    client.force_login(participant)
    assert "Protect it with two-factor sign-in" not in client.get("/").content.decode()


def test_the_setting_blocks_staff_pages_until_enrolled(client: Client, staff: User, settings: Settings) -> None:
    post_login(client, staff.email)
    assert client.get("/directory/people/").status_code == 200
    settings.FARO_REQUIRE_STAFF_2FA = True
    assert client.get("/directory/people/")["Location"] == "/accounts/two-factor/"
    assert client.get("/accounts/me/").status_code == 200
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200
    with_totp(staff)
    assert client.get("/directory/people/").status_code == 200


def test_password_reset_mails_a_link_and_the_new_password_works(client: Client, participant: User) -> None:
    response = client.post("/accounts/password/reset/", {"email": "Keisha@port.example.jm"})
    assert response["Location"] == "/accounts/password/reset/done/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [participant.email]
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", str(message.body)).group(1)  # type: ignore[union-attr]  # the mail holds the text sought
    form_url = client.get(link)["Location"]
    new = "A new harbour light 2020"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    client.post("/accounts/logout/")
    assert post_login(client, participant.email, new).status_code == 302


def test_password_reset_answers_the_same_for_unknown_addresses_and_people_without_accounts(
    client: Client, participant: User
) -> None:
    make_person("Ana", "Silva", "BR", email="ana@port.example.br")  # a webinar registrant: a Person, no User
    answers = [
        client.post("/accounts/password/reset/", {"email": email})
        for email in (participant.email, "nobody@example.org", "ana@port.example.br")
    ]
    assert {(r.status_code, r["Location"]) for r in answers} == {(302, "/accounts/password/reset/done/")}
    assert [m.to for m in mail.outbox] == [[participant.email], ["nobody@example.org"], ["ana@port.example.br"]]
    assert "/accounts/password/reset/key/" not in str(mail.outbox[2].body)
    assert "/accounts/signup/" in str(mail.outbox[2].body)  # "create your account with this address"


def test_password_reset_mails_are_throttled_per_address(client: Client, participant: User) -> None:
    for _attempt in range(8):
        client.post("/accounts/password/reset/", {"email": participant.email})
    assert len(mail.outbox) == 5


def test_password_reset_mails_are_throttled_per_client(client: Client, settings: Settings) -> None:
    """#16.13: one client asking resets for many addresses (each one mailed) is stopped too."""
    limit = settings.FARO_MAIL_LIMIT_PER_IP
    for n in range(limit + 2):
        client.post("/accounts/password/reset/", {"email": f"someone{n}@port.example.org"})
    assert len(mail.outbox) == limit


def test_the_language_switch_is_remembered_and_restored_at_login(client: Client, participant: User) -> None:
    client.force_login(participant)
    client.post("/accounts/language/", {"language": "pt", "next": "/"})
    person_of(participant).refresh_from_db()
    assert person_of(participant).preferred_language == "pt"
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
    assert response["Location"] == "/accounts/me/"
    person_of(participant).refresh_from_db()
    assert (person_of(participant).preferred_language, person_of(participant).timezone) == ("es", "America/Jamaica")
    assert 'value="America/Jamaica" selected' in client.get("/accounts/me/").content.decode()

    from django.test import RequestFactory
    from django.utils import timezone

    from faro.core.middleware import TimezoneMiddleware

    seen = []
    request = RequestFactory().get("/")
    request.user = User.objects.get(pk=participant.pk)

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(timezone.get_current_timezone_name())
        return HttpResponse()

    TimezoneMiddleware(view)(request)
    assert seen == ["America/Jamaica"]


def test_my_page_rejects_an_unknown_time_zone(client: Client, participant: User) -> None:
    client.force_login(participant)
    response = client.post("/accounts/me/", {"language": "es", "timezone": "Mars/Olympus"})
    assert response.status_code == 200
    person_of(participant).refresh_from_db()
    assert person_of(participant).timezone == ""


def test_preferences_of_a_user_without_a_person_create_one(staff: User) -> None:
    services.update_preferences(staff, language="fr", timezone="UTC", acting_user=staff)
    staff.refresh_from_db()
    assert staff.person is not None
    assert person_of(staff).email == staff.email
    assert staff.preferred_language == "fr"


def test_my_page_needs_login(client: Client) -> None:
    assert client.get("/accounts/me/")["Location"].startswith("/accounts/login/")


def test_logout(client: Client, participant: User) -> None:
    client.force_login(participant)
    client.post("/accounts/logout/")
    assert client.get("/accounts/me/").status_code == 302


def test_the_login_page_links_to_password_reset_sign_up_and_a_code(client: Client) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert "/accounts/password/reset/" in page
    assert "/accounts/signup/" in page
    assert "/accounts/login/code/" in page


def test_login_next_must_stay_on_this_site(client: Client, db: None) -> None:
    person = make_person("Ana", "Silva", "BR", email="ana@port.example.br")
    make_user("ana@port.example.br", person=person)
    response = client.post(
        "/accounts/login/?next=https://evil.example/", {"login": "ana@port.example.br", "password": PASSWORD}
    )
    assert response["Location"] == "/accounts/me/"


def test_the_django_admin_is_gone(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert client.get("/django-admin/").status_code == 404
    assert client.get("/admin/").status_code == 404


def test_a_reset_link_mailed_before_allauth_leads_to_asking_for_a_new_one(client: Client, participant: User) -> None:
    assert client.get("/accounts/reset/MQ/tok-en/")["Location"] == "/accounts/password/reset/"
