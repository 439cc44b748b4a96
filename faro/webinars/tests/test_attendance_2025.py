"""Exports as Zoom and Teams write them now: British and translated roles, name suffixes,
Zoom's 2025 participants export, short stays, hosts never added to the directory."""

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from faro.accounts.models import User
from faro.directory.models import Person
from faro.webinars.attendance import UnknownFormat, parse_attendance
from faro.webinars.attendance.common import strip_guest_suffix
from faro.webinars.attendance.samples import SAMPLE_FILES
from faro.webinars.models import Attendance, Webinar
from faro.webinars.services.attendance import import_attendance
from faro.webinars.tests.conftest import register

FIXTURES = Path(__file__).parent / "fixtures"


def parse(name: str) -> Any:
    return parse_attendance((FIXTURES / name).read_bytes())


def people(report: Any) -> dict[str, tuple[int, str, bool]]:
    return {a.name: (a.minutes, a.role, a.external) for a in report.attendees}


def test_british_teams_organiser_is_the_organiser() -> None:
    found = people(parse("teams_en_gb_organiser.csv"))
    assert found["CIP Secretariat"] == (93, "organizer", False)
    assert found["Mark Bell"][1] == "presenter"


def test_teams_suffixes_become_a_flag_not_part_of_the_name() -> None:
    found = people(parse("teams_en_gb_organiser.csv"))
    assert found["Dwayne Clarke"] == (84, "attendee", True)
    assert found["Priya Ramdin"] == (50, "attendee", True)


def test_under_a_minute_is_present_for_that_time() -> None:
    lena = next(a for a in parse("teams_en_gb_organiser.csv").attendees if a.name == "Lena Fox")
    assert (lena.seconds, lena.minutes) == (25, 1)


def test_spanish_teams_roles_and_suffixes() -> None:
    found = people(parse("teams_es_roles_suffixes.csv"))
    assert found["Red PBIP México"][1] == "organizer"
    assert found["Luis Paz"][1] == "presenter"
    assert found["Carla Méndez"] == (79, "attendee", True)
    assert found["Jorge Ruiz"] == (55, "attendee", True)
    assert found["Ana Sousa"] == (35, "attendee", True)


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("Ana Pérez (External)", "Ana Pérez"),
        ("Jo (Guest) (Unverified)", "Jo"),
        ("Léa (Non vérifié)", "Léa"),
        ("João (Convidado)", "João"),
        ("Marc (Externe)", "Marc"),
        ("Rosa (Invitada)", "Rosa"),
        ("Port of Spain (Trinidad)", "Port of Spain (Trinidad)"),
    ],
)
def test_strip_guest_suffix(raw: str, name: str) -> None:
    assert strip_guest_suffix(raw)[0] == name


def test_teams_resaved_by_excel_with_british_roles() -> None:
    report = parse("teams_en_gb_resaved_by_excel.csv")
    assert report.format == "teams"
    assert people(report)["CIP Secretariat"][1] == "organizer"


def test_zoom_2025_host_from_the_summary_and_waiting_room_left_out() -> None:
    report = parse("zoom_participants_2025.csv")
    found = people(report)
    assert report.format == "zoom-meeting"
    assert found["Secretaría CIP"] == (100, "host", False)
    assert found["Kevin Joseph"] == (60, "attendee", False)  # the 12 minutes in the waiting room do not count
    assert "Only Waiting" not in found
    assert found["Marie Dupont"] == (1, "attendee", True)


def test_a_file_from_another_platform_says_which_formats_are_read() -> None:
    webex = b"Meeting Name,Attendee Name,Attendee Email,Join Time,Leave Time,Attendance Duration\nx,y,z,a,b,3 mins\n"
    with pytest.raises(UnknownFormat) as error:
        parse_attendance(webex)
    assert "Zoom meeting participants export" in str(error.value)
    assert "Microsoft Teams attendance report" in str(error.value)


@pytest.mark.parametrize("sample", sorted(SAMPLE_FILES))
def test_every_sample_is_read_back(sample: str) -> None:
    report = parse_attendance(SAMPLE_FILES[sample]())
    assert not report.errors
    assert {a.role for a in report.attendees} & {"host", "organizer"}


def test_parse_only_json_names_minutes_and_role() -> None:
    out = io.StringIO()
    path = FIXTURES / "teams_en_gb_organiser.csv"
    call_command("import_attendance", "--parse-only", str(path), "--json", stdout=out)
    lena = next(a for a in json.loads(out.getvalue())["attendees"] if a["name"] == "Lena Fox")
    assert lena == {
        "name": "Lena Fox",
        "email": "lfox@ports.example.gy",
        "minutes": 1,
        "seconds": 25,
        "role": "attendee",
        "external": True,
    }


@pytest.mark.django_db
def test_the_host_is_never_created_as_a_person(webinar: Webinar, staff: User) -> None:
    data = (FIXTURES / "teams_en_gb_organiser.csv").read_bytes()
    plan = import_attendance(webinar, acting_user=staff, data=data, filename="report.csv")
    assert not Person.objects.filter(email="cip@oas.example.org").exists()
    assert plan.counts["hosts_not_recorded"] == 1
    assert Person.objects.get(email="dclarke@ports.example.bb").last_name == "Clarke"
    assert webinar.attendances.get(person__email="mbell@oas.example.org").role == "presenter"  # kept apart


@pytest.mark.django_db
def test_a_known_host_is_recorded_with_the_host_role(webinar: Webinar, staff: User) -> None:
    register(webinar, "cip@oas.example.org", "CIP", "Secretariat")
    data = (FIXTURES / "zoom_participants_2025.csv").read_bytes()
    import_attendance(webinar, acting_user=staff, data=data, filename="participants.csv")
    assert webinar.attendances.get(person__email="cip@oas.example.org").role == Attendance.Role.HOST


@pytest.mark.django_db
def test_preview_says_in_words_how_each_person_was_matched(client: Client, staff: User, webinar: Webinar) -> None:
    register(webinar, "dclarke@ports.example.bb", "Dwayne", "Clarke")
    client.force_login(staff)
    upload = io.BytesIO((FIXTURES / "teams_en_gb_organiser.csv").read_bytes())
    upload.name = "report.csv"
    response = client.post(reverse("webinars:attendance_import", args=[webinar.pk]), {"file": upload}, follow=True)
    text = response.text
    assert "registered — matched by email" in text
    assert "new person — will be added to the directory" in text
    assert "host not known to Faro — kept apart, not added to the directory" in text
    assert "Hosts, panelists and organisers are kept apart" in text


@pytest.mark.django_db
def test_staff_download_samples_others_do_not(client: Client, staff: User, partner: User, webinar: Webinar) -> None:
    url = reverse("webinars:attendance_import_sample", args=[webinar.pk, "zoom-participants-2025"])
    client.force_login(partner)
    assert client.get(url).status_code == 404
    client.force_login(staff)
    response = client.get(url)
    assert parse_attendance(response.content).format == "zoom-meeting"
    missing = reverse("webinars:attendance_import_sample", args=[webinar.pk, "webex"])
    assert client.get(missing).status_code == 404
