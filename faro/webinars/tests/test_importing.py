"""The attendance import service, fed with hand-built parsed reports (the parsers are tested apart)."""

import pytest

from faro.accounts.models import User
from faro.core.imports import ImportRejected, RowError
from faro.core.models import AuditEntry
from faro.directory.models import Person
from faro.webinars.models import Attendance, AttendanceImport, Webinar
from faro.webinars.services import WebinarError
from faro.webinars.services import attendance as importing
from faro.webinars.tests.conftest import Record, Report, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def report() -> Report:
    return Report(
        rows=6,
        attendees=[
            Record("Ana Silva", "ANA@porto.example.br", 80, first_line=10),
            Record("José Pérez", None, 50, first_line=11),
            Record("Nuevo Asistente", "nuevo@port.example.pe", 70, country="Perú", first_line=12),
            Record("Laura Host", "host@cip.example.org", 95, role="host", first_line=3),
            Record("", None, 30, first_line=13),
        ],
    )


@pytest.fixture
def fed(monkeypatch: pytest.MonkeyPatch, report: Report) -> Report:
    monkeypatch.setattr(importing, "parse_report", lambda data, filename="": report)
    return report


def test_attendees_match_registrations_by_email_in_any_case_then_by_name(webinar: Webinar, report: Report) -> None:
    ana = register(webinar, "ana@porto.example.br").registration
    jose = register(webinar, "jose@port.example.mx", first="Jose", last="PEREZ").registration
    plan = importing.plan_attendance(webinar, report)
    matches = {row.name: (row.match, row.person_id) for row in plan.planned}
    assert matches["Ana Silva"] == ("registration-email", ana.person_id)
    assert matches["José Pérez"] == ("registration-name", jose.person_id)
    assert matches["Nuevo Asistente"][0] == "new"
    assert plan.counts["hosts"] == 1
    assert plan.counts["anonymous"] == 1
    assert not Attendance.objects.exists()  # a plan writes nothing


def test_import_records_minutes_creates_unregistered_people_once_and_keeps_hosts_apart(
    webinar: Webinar, fed: Report, staff: User
) -> None:
    register(webinar, "ana@porto.example.br")
    plan = importing.import_attendance(webinar, acting_user=staff, data=b"file-1", filename="zoom.csv")
    assert plan.created == 3  # the host Faro does not know is kept apart, not added to the directory
    new = Person.objects.with_email("nuevo@port.example.pe").get()
    assert (new.first_name, new.last_name, new.member_state.code) == ("Nuevo", "Asistente", "PE")  # type: ignore[union-attr]  # the record has a member state
    assert not Person.objects.filter(email="host@cip.example.org").exists()
    assert plan.counts["hosts_not_recorded"] == 1
    webinar.attended_rule, webinar.attended_threshold = Webinar.AttendedRule.MINUTES, 60
    webinar.save(update_fields=["attended_rule", "attended_threshold"])  # the rule is read from the database
    assert {p.email for p in webinar.attended_people()} == {"ana@porto.example.br", "nuevo@port.example.pe"}
    entry = AuditEntry.objects.for_object(webinar).get(action="webinars.attendance.imported")
    assert entry.data["new_people"] == 2
    assert entry.actor == staff
    assert AttendanceImport.objects.get().status == AttendanceImport.Status.APPLIED


def test_reimporting_the_same_file_changes_nothing(webinar: Webinar, fed: Report, staff: User) -> None:
    importing.import_attendance(webinar, acting_user=staff, data=b"file-1", filename="zoom.csv")
    people, attendance = Person.objects.count(), list(Attendance.objects.values_list("person", "minutes"))
    again = importing.import_attendance(webinar, acting_user=staff, data=b"file-1", filename="zoom.csv")
    assert again.already_imported
    assert Person.objects.count() == people
    assert list(Attendance.objects.values_list("person", "minutes")) == attendance
    assert AttendanceImport.objects.count() == 1


def test_a_second_export_of_the_same_session_updates_without_duplicating(
    webinar: Webinar, fed: Report, staff: User
) -> None:
    importing.import_attendance(webinar, acting_user=staff, data=b"file-1")
    people = Person.objects.count()
    fed.attendees[0] = Record("Ana Silva", "ana@porto.example.br", 85, first_line=10)
    plan = importing.import_attendance(webinar, acting_user=staff, data=b"file-2")
    assert (plan.created, plan.updated) == (0, 1)
    assert Person.objects.count() == people
    assert Attendance.objects.get(person__email="ana@porto.example.br").minutes == 85


def test_a_dry_run_writes_nothing(webinar: Webinar, fed: Report, staff: User) -> None:
    plan = importing.import_attendance(webinar, acting_user=staff, data=b"file-1", dry_run=True)
    assert plan.counts["new_people"] == 3
    assert not Attendance.objects.exists()
    assert not AttendanceImport.objects.exists()


def test_any_row_error_rejects_the_whole_file(webinar: Webinar, fed: Report, staff: User) -> None:
    fed.attendees.append(Record("Bad Mail", "not-an-email", 40, first_line=14))
    fed.errors.append(RowError(15, "Leave time before join time"))
    people = Person.objects.count()
    with pytest.raises(ImportRejected) as rejected:
        importing.import_attendance(webinar, acting_user=staff, data=b"file-1")
    assert [e.line for e in rejected.value.errors] == [15, 14]
    assert "not a valid email" in rejected.value.errors[1].message
    assert Person.objects.count() == people
    assert not Attendance.objects.exists()


def test_rejoins_reported_twice_add_up(webinar: Webinar, monkeypatch: pytest.MonkeyPatch, staff: User) -> None:
    twice = Report(attendees=[Record("Ana", "ana@x.example.org", 20), Record("Ana", "ANA@x.example.org", 25)])
    monkeypatch.setattr(importing, "parse_report", lambda data, filename="": twice)
    importing.import_attendance(webinar, acting_user=staff, data=b"x")
    attendance = Attendance.objects.get()
    assert (attendance.minutes, attendance.joins) == (45, 2)


def test_a_draft_webinar_refuses_attendance(fed: Report, staff: User) -> None:
    from faro.webinars.tests.conftest import make_webinar

    draft = make_webinar(status=Webinar.Status.DRAFT)
    with pytest.raises(WebinarError, match="published or held"):
        importing.import_attendance(draft, acting_user=staff, data=b"x")


def test_share_rule_uses_the_duration(webinar: Webinar) -> None:
    webinar.attended_rule, webinar.attended_threshold = Webinar.AttendedRule.SHARE, 75
    assert webinar.duration_minutes == 90
    assert webinar.attended_minimum == 68
