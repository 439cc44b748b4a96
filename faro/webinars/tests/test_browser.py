from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import Page

from conftest import assert_accessible, login
from faro.accounts.models import User
from faro.directory.models import Institution
from faro.webinars.models import Attendance, Registration, Webinar
from faro.webinars.tests.conftest import make_webinar


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_in_portuguese_then_cancel(page: Page, partner_institution: Institution) -> None:
    webinar = make_webinar(partners=[partner_institution], capacity=50)
    page.goto("/webinars/")
    page.click(".lang-links a[hreflang=pt]")
    page.wait_for_load_state()
    assert_accessible(page)
    page.click(f"a[href='{webinar.get_absolute_url()}']")
    assert page.locator("h1").inner_text() == "Proteção portuária e Código ISPS"
    assert webinar.join_url not in page.content()
    assert_accessible(page)
    page.click("text=Inscrever-se")
    assert_accessible(page)
    page.fill("#id_email", "Joao.Silva@Porto.example.br")
    page.fill("#id_first_name", "João")
    page.fill("#id_last_name", "Silva")
    page.select_option("#id_member_state", label="Brasil")
    page.select_option("#id_language", "pt")
    page.check("#id_consent")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "Verifique sua caixa de entrada" in page.content()
    assert webinar.join_url not in page.content()  # it goes by mail, to the address typed
    assert_accessible(page)
    registration = Registration.objects.get()
    assert registration.status == "confirmed"
    assert registration.language == "pt"
    assert "Inscrição confirmada" in mail.outbox[0].subject
    page.goto(_manage_path(str(mail.outbox[0].body)))
    assert webinar.join_url in page.content()
    assert_accessible(page)
    page.click("text=Cancelar minha inscrição")
    page.wait_for_load_state()
    assert "Sua inscrição foi cancelada." in page.content()
    assert_accessible(page)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def _manage_path(body: str) -> str:
    line = next(line for line in body.splitlines() if "/webinars/registration/" in line)
    return line[line.index("/webinars/registration/") :].strip()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_form_given_someone_elses_email_reveals_nothing(page: Page, partner_institution: Institution) -> None:
    from faro.webinars.services import registration_token
    from faro.webinars.tests.conftest import register

    webinar = make_webinar(partners=[partner_institution], capacity=50)
    owner = register(webinar, "rosa.quispe@port.example.pe", first="Rosa", last="Quispe").registration
    mail.outbox.clear()
    page.goto(f"/webinars/{webinar.pk}/register/")
    page.fill("#id_email", "Rosa.Quispe@port.example.pe")
    page.fill("#id_first_name", "Someone")
    page.fill("#id_last_name", "Else")
    page.select_option("#id_member_state", label="Peru")
    page.select_option("#id_language", "en")
    page.check("#id_consent")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    content = page.content()
    assert "Check your inbox" in content
    assert "Quispe" not in content
    assert webinar.join_url not in content
    assert registration_token(owner) not in content
    assert page.locator("text=Cancel my registration").count() == 0
    assert_accessible(page)
    assert [message.to for message in mail.outbox] == [["rosa.quispe@port.example.pe"]]
    assert Registration.objects.get().status == "confirmed"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_import_a_teams_file_and_see_the_attendance(page: Page, staff: User, tmp_path: Path) -> None:
    import datetime

    from django.utils import timezone

    from faro.webinars.attendance import samples

    start = timezone.now() - datetime.timedelta(days=1)
    webinar = make_webinar(starts_at=start, ends_at=start + datetime.timedelta(minutes=60), status=Webinar.Status.HELD)
    attendees = [
        {"name": "Keisha Brown", "email": "keisha@port.example.jm", "minutes": 55},
        {"name": "Marlon Grant", "email": "marlon@port.example.jm", "minutes": 20},
    ]
    path = tmp_path / "attendance.csv"
    path.write_bytes(samples.teams_csv(attendees, title="Port security", start=start))
    login(page, staff.email)
    page.goto(f"/webinars/manage/{webinar.pk}/attendance/import/")
    assert_accessible(page)
    page.set_input_files("#id_file", str(path))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert "teams" in page.content()
    assert_accessible(page)
    assert not Attendance.objects.exists()
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    assert "Keisha Brown" in page.content()
    assert "Marlon Grant" in page.content()
    assert_accessible(page)
    assert {p.email for p in webinar.attended_people()} == {"keisha@port.example.jm"}


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_pages_are_accessible(page: Page, staff: User, partner_institution: Institution) -> None:
    from faro.webinars.tests.conftest import register

    webinar = make_webinar(partners=[partner_institution])
    webinar.questions.create(label={"en": "Which port?"})
    register(webinar, "ana@x.example.org")
    login(page, staff.email)
    for path in [
        "/webinars/manage/",
        f"/webinars/manage/{webinar.pk}/",
        f"/webinars/manage/{webinar.pk}/registrants/",
        f"/webinars/manage/{webinar.pk}/edit/",
        f"/webinars/manage/{webinar.pk}/survey/",
        "/webinars/manage/new/",
    ]:
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_staff_cancel_a_webinar_through_its_confirmation_page(
    page: Page, staff: User, partner_institution: Institution
) -> None:
    from faro.webinars.tests.conftest import register

    webinar = make_webinar(partners=[partner_institution], capacity=50)
    register(webinar, "a@x.example.org")
    login(page, staff.email)
    page.goto(webinar.get_manage_url())
    page.click("text=Cancel the webinar (notifies registrants)")
    page.wait_for_load_state()
    assert "1 registrant is mailed that the webinar is cancelled." in page.content()
    assert_accessible(page)
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.PUBLISHED
    page.click("text=Cancel it and mail 1 registrant")
    page.wait_for_load_state()
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.CANCELLED
    assert_accessible(page)
