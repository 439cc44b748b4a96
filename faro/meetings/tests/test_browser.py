"""A focal point registers a delegation in French; staff accredit it, print badges and check a delegate in."""

from pathlib import Path

import pytest
from playwright.sync_api import Page
from pypdf import PdfReader

from conftest import assert_accessible, login
from faro.accounts.models import User
from faro.meetings import services
from faro.meetings.models import Attendance, Delegation, Meeting
from faro.meetings.tests.conftest import pdf_upload


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_delegation_from_registration_to_check_in(
    page: Page, meeting: Meeting, focal_point: User, staff: User, tmp_path: Path
) -> None:
    services.invite_member_states(meeting, acting_user=staff)

    # The focal point works in French.
    login(page, focal_point.email)
    page.click(".lang-links a[hreflang=fr]")
    page.wait_for_load_state()
    page.goto("/meetings/delegations/")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert_accessible(page)
    page.click("text=Inscrire la délégation de Jamaïque")
    page.wait_for_load_state()
    assert "Délégation de Jamaïque" in page.content()
    page.fill("#id_first_name", "Marlon")
    page.fill("#id_last_name", "Grant")
    page.fill("#id_email", "marlon@pa.example.jm")
    page.select_option("#id_role", "head")
    page.check("#id_travel_funded")
    page.fill("#id_fare", "880")
    page.fill("#id_paid_by", "OEA")
    page.click("#participant-form button[type=submit]")
    page.wait_for_load_state()
    assert "Chef de délégation" in page.content()
    letter = tmp_path / "lettre.pdf"
    letter.write_bytes(pdf_upload().read())
    page.set_input_files("#id_credentials", str(letter))
    page.click("#credentials-form button[type=submit]")
    page.wait_for_load_state()
    assert_accessible(page)
    page.click("#submit-delegation")
    page.wait_for_load_state()
    assert_accessible(page)  # the confirmation page
    page.click("#confirm-submit")
    page.wait_for_load_state()
    assert "Soumise pour accréditation" in page.locator("#delegation-status").inner_text()
    delegation = Delegation.objects.get()

    # Staff accredit it, print the badges and check the head of delegation in.
    page.context.clear_cookies()
    login(page, staff.email)
    page.goto(f"/meetings/manage/{meeting.pk}/")
    assert_accessible(page)
    page.goto(f"/meetings/manage/delegations/{delegation.pk}/")
    assert_accessible(page)
    page.check("input[name=decision][value=accredit]")
    page.click("#review-form button[type=submit]")
    page.wait_for_load_state()
    delegation.refresh_from_db()
    assert delegation.status == "accredited"
    with page.expect_download() as download:
        page.click("#badges-link")
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    head = delegation.participants.get()
    assert "Marlon" in text
    assert head.badge_code in text
    page.click("#checkin-link")
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_code", head.badge_code)
    page.press("#id_code", "Enter")  # what a badge scanner does after typing the code
    page.wait_for_load_state()
    assert "Marlon Grant is checked in" in page.content()
    assert_accessible(page)
    assert Attendance.objects.filter(participant=head).count() == 1


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_demo_meeting_pages_are_accessible(page: Page, staff: User) -> None:
    from faro.meetings.demo import load

    load(lambda _text: None)
    xii = Meeting.objects.get(kind="regular")
    page.goto("/meetings/")
    assert_accessible(page)
    page.goto(xii.get_absolute_url())
    assert "CIDI/CIP/doc. 1/21 rev.1" in page.content()
    assert_accessible(page)
    login(page, staff.email)
    for path in [
        "/meetings/manage/",
        f"/meetings/manage/{xii.pk}/",
        f"/meetings/manage/{xii.pk}/participants/",
        f"/meetings/manage/{xii.pk}/sessions/new/",
        f"/meetings/manage/{xii.pk}/documents/new/",
        f"/meetings/manage/{xii.pk}/edit/",
        f"/meetings/manage/{xii.pk}/checkin/?q=a",
        f"/meetings/manage/sessions/{xii.sessions.first().pk}/",  # type: ignore[union-attr]  # the demo meeting has sessions
    ]:
        page.goto(path)
        assert_accessible(page)
