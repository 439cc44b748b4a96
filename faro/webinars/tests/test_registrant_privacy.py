"""#16.11: a partner registering a known address sees the name they typed, never the directory's.

The outsider persona (Pierre Joseph, Haiti) is known to the directory; the partner co-organising the
webinar registers his address as "Someone Else". Staff, whose scope covers everyone, see the
directory's name; the partner, whose scope does not cover him, sees what was typed — on the
registrants page, in both exports and in the page's search (the API: faro/api/tests/test_registrant_names.py).
"""

import importlib
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.directory.models import MemberState
from faro.webinars import services
from faro.webinars.models import Attendance, Registration, Webinar

pytestmark = pytest.mark.django_db


@pytest.fixture
def typed_by_partner(webinar: Webinar, partner: User, outsider: User) -> Registration:
    """The partner registers the outsider's address (in another case) under a name of their own."""
    outcome = services.register_for_webinar(
        webinar,
        acting_user=partner,
        email=outsider.email.upper(),
        first_name="Someone",
        last_name="Else",
        member_state=MemberState.objects.get(code="BB"),
        consent=True,
    )
    return outcome.registration


def registrants(client: Client, webinar: Webinar, **query: str) -> Any:
    return client.get(reverse("webinars:manage_registrants", args=[webinar.pk]), query)


def test_the_registration_keeps_the_name_as_typed_and_links_the_known_person(
    typed_by_partner: Registration, outsider: User
) -> None:
    typed_by_partner.refresh_from_db()
    assert typed_by_partner.person_id == outsider.person_id
    assert typed_by_partner.entered_name == "Someone Else"


def test_staff_see_the_directorys_name(
    client: Client, webinar: Webinar, typed_by_partner: Registration, staff: User
) -> None:
    client.force_login(staff)
    page = registrants(client, webinar).content.decode()
    assert "Pierre Joseph" in page


def test_the_partner_sees_only_the_name_they_typed(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User
) -> None:
    client.force_login(partner)
    page = registrants(client, webinar).content.decode()
    assert "Someone Else" in page
    assert "Pierre" not in page
    assert "Joseph" not in page


def test_the_partners_search_does_not_confirm_the_directorys_name(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User
) -> None:
    client.force_login(partner)
    assert registrants(client, webinar, q="Joseph").context["total"] == 0
    assert registrants(client, webinar, q="Someone").context["total"] == 1
    client.force_login(staff)
    assert registrants(client, webinar, q="Joseph").context["total"] == 1


def test_the_partners_csv_carries_the_typed_name_without_directory_details(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, outsider: User
) -> None:
    person = person_of(outsider)
    person.position = "Harbour Master"
    person.save()
    client.force_login(partner)
    csv_text = registrants(client, webinar, format="csv").getvalue().decode("utf-8-sig")
    assert "Someone Else" in csv_text
    assert "Joseph" not in csv_text
    assert "Harbour Master" not in csv_text


def test_the_partners_xlsx_carries_the_typed_name(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User
) -> None:
    client.force_login(partner)
    sheet = load_workbook(io.BytesIO(registrants(client, webinar, format="xlsx").getvalue())).active
    cells = {str(cell.value) for row in sheet.iter_rows(min_row=2) for cell in row if cell.value}
    assert "Someone Else" in cells
    assert not any("Joseph" in value or "Pierre" in value for value in cells)


def test_the_staff_xlsx_carries_the_directorys_name(
    client: Client, webinar: Webinar, typed_by_partner: Registration, staff: User
) -> None:
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(registrants(client, webinar, format="xlsx").getvalue())).active
    assert [sheet.cell(row=2, column=1).value, sheet.cell(row=2, column=2).value] == ["Pierre", "Joseph"]


def test_a_registration_without_a_typed_name_shows_the_address(
    client: Client, webinar: Webinar, partner: User, outsider: User
) -> None:
    Registration.objects.create(
        webinar=webinar, person=person_of(outsider), status="confirmed", consented_at=webinar.starts_at
    )
    client.force_login(partner)
    page = registrants(client, webinar).content.decode()
    assert outsider.email in page
    assert "Joseph" not in page


def test_the_backfill_gives_earlier_registrations_the_name_organisers_saw_until_now(
    webinar: Webinar, outsider: User, participant: User
) -> None:
    from django.apps import apps

    backfill = importlib.import_module("faro.webinars.migrations.0004_backfill_registration_entered_name").backfill
    earlier = Registration.objects.create(
        webinar=webinar, person=person_of(outsider), status="confirmed", consented_at=webinar.starts_at
    )
    typed = Registration.objects.create(
        webinar=webinar,
        person=person_of(participant),
        status="confirmed",
        consented_at=webinar.starts_at,
        entered_name="K. Brown",
    )
    backfill(apps, None)
    assert Registration.objects.get(pk=earlier.pk).entered_name == "Pierre Joseph"
    assert Registration.objects.get(pk=typed.pk).entered_name == "K. Brown"


def test_the_attendance_page_names_the_person_as_the_viewer_may_see_them(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User, outsider: User
) -> None:
    Attendance.objects.create(webinar=webinar, person=person_of(outsider), registration=typed_by_partner, minutes=50)
    walk_in = make_person("Lucía", "Mamani", "PE", email="lucia@port.example.pe")
    Attendance.objects.create(webinar=webinar, person=walk_in, minutes=40)  # in the file, never registered
    url = reverse("webinars:manage_attendance", args=[webinar.pk])
    client.force_login(partner)
    page = client.get(url).content.decode()
    assert "Someone Else" in page
    assert "lucia@port.example.pe" in page
    assert "Joseph" not in page
    assert "Mamani" not in page
    client.force_login(staff)
    assert "Pierre Joseph" in client.get(url).content.decode()


# --- The member state and position as entered (#16.11): Pierre is Haitian, the partner typed Barbados.


def test_the_registration_keeps_the_member_state_and_position_as_typed(
    webinar: Webinar, partner: User, outsider: User
) -> None:
    barbados = MemberState.objects.get(code="BB")
    outcome = services.register_for_webinar(
        webinar,
        acting_user=partner,
        email=outsider.email,
        first_name="X",
        member_state=barbados,
        position="Clerk",
        consent=True,
    )
    outcome.registration.refresh_from_db()
    assert outcome.registration.entered_member_state == barbados
    assert outcome.registration.entered_position == "Clerk"


def test_the_partners_page_shows_the_typed_member_state_and_staffs_the_directorys(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User
) -> None:
    client.force_login(partner)
    shown = [r.shown_member_state_name for r in registrants(client, webinar).context["registrations"]]
    assert shown == ["Barbados"]
    client.force_login(staff)
    shown = [r.shown_member_state_name for r in registrants(client, webinar).context["registrations"]]
    assert shown == ["Haiti"]


def test_the_partners_member_state_filter_does_not_confirm_the_directorys(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User
) -> None:
    client.force_login(partner)
    assert registrants(client, webinar, member_state="HT").context["total"] == 0
    assert registrants(client, webinar, member_state="BB").context["total"] == 1
    client.force_login(staff)
    assert registrants(client, webinar, member_state="HT").context["total"] == 1


def test_the_partners_csv_carries_the_typed_member_state_and_position(
    client: Client, webinar: Webinar, partner: User, outsider: User
) -> None:
    person = person_of(outsider)
    person.position = "Harbour Master"
    person.save()
    services.register_for_webinar(
        webinar,
        acting_user=partner,
        email=outsider.email,
        first_name="X",
        member_state=MemberState.objects.get(code="BB"),
        position="Clerk",
        consent=True,
    )
    client.force_login(partner)
    rows = registrants(client, webinar, format="csv").getvalue().decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[3:5] == ["BB", "Clerk"]


def test_the_staff_csv_carries_the_directorys_member_state_and_position(
    client: Client, webinar: Webinar, typed_by_partner: Registration, staff: User, outsider: User
) -> None:
    person = person_of(outsider)
    person.position = "Harbour Master"
    person.save()
    client.force_login(staff)
    rows = registrants(client, webinar, format="csv").getvalue().decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[3:5] == ["HT", "Harbour Master"]


def test_the_partners_xlsx_carries_the_typed_member_state(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, staff: User
) -> None:
    client.force_login(partner)
    sheet = load_workbook(io.BytesIO(registrants(client, webinar, format="xlsx").getvalue())).active
    assert sheet.cell(row=2, column=4).value == "BB"
    client.force_login(staff)
    sheet = load_workbook(io.BytesIO(registrants(client, webinar, format="xlsx").getvalue())).active
    assert sheet.cell(row=2, column=4).value == "HT"


def test_a_partner_who_is_also_the_persons_focal_point_sees_the_directorys_member_state(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User
) -> None:
    from faro.accounts.models import RoleAssignment

    RoleAssignment.objects.create(user=partner, role="focal_point", member_state=MemberState.objects.get(code="HT"))
    client.force_login(partner)
    [row] = registrants(client, webinar).context["registrations"]
    assert row.shown_member_state_name == "Haiti"
    assert row.shown_name == "Pierre Joseph"


def test_the_attendance_page_shows_the_typed_member_state_out_of_scope(
    client: Client, webinar: Webinar, typed_by_partner: Registration, partner: User, outsider: User
) -> None:
    Attendance.objects.create(webinar=webinar, person=person_of(outsider), registration=typed_by_partner, minutes=50)
    client.force_login(partner)
    page = client.get(reverse("webinars:manage_attendance", args=[webinar.pk])).content.decode()
    assert "Barbados" in page
    assert "Haiti" not in page


def test_the_backfill_gives_earlier_registrations_the_member_state_and_position_organisers_saw(
    webinar: Webinar, outsider: User
) -> None:
    from django.apps import apps

    module = "faro.webinars.migrations.0007_backfill_registration_entered_member_state_and_position"
    person = person_of(outsider)
    person.position = "Harbour Master"
    person.save()
    earlier = Registration.objects.create(
        webinar=webinar, person=person, status="confirmed", consented_at=webinar.starts_at
    )
    importlib.import_module(module).backfill(apps, None)
    earlier.refresh_from_db()
    assert earlier.entered_member_state == person.member_state
    assert earlier.entered_position == "Harbour Master"
