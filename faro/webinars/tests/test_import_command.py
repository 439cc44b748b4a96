"""`manage.py import_attendance WEBINAR_ID FILE [--dry-run] --json` through the real parser and importer."""

import datetime
import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from conftest import person_of
from faro.webinars.attendance import samples
from faro.webinars.models import Attendance, Webinar
from faro.webinars.tests.conftest import make_webinar, register

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def held() -> Webinar:
    start = timezone.now() - datetime.timedelta(days=2)
    return make_webinar(starts_at=start, ends_at=start + datetime.timedelta(minutes=90))


def run(*args: str) -> dict[str, Any]:
    out = StringIO()
    call_command("import_attendance", *args, "--json", stdout=out)
    printed: dict[str, Any] = json.loads(out.getvalue())
    return printed


def test_dry_run_then_import_then_reimport(held: Webinar) -> None:
    path = str(FIXTURES / "teams_es.csv")
    preview = run(str(held.pk), path, "--dry-run")
    assert preview["dry_run"]
    assert preview["format"] == "teams"
    assert not Attendance.objects.exists()
    done = run(str(held.pk), path)
    assert done["imported"]
    assert done["created"] == Attendance.objects.count() > 0
    again = run(str(held.pk), path)
    assert again["already_imported"]
    assert not again["imported"]


def test_a_file_with_row_errors_imports_nothing(held: Webinar, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes((FIXTURES / "zoom_meeting_flat_iso.csv").read_bytes().replace(b"acastillo@", b"acastillo#"))
    with pytest.raises(CommandError) as caught:
        call_command("import_attendance", str(held.pk), str(bad), "--json", stdout=StringIO())
    assert caught.value.returncode == 1
    assert not Attendance.objects.exists()


def test_an_unknown_webinar_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="no webinar"):
        call_command("import_attendance", "999999", str(FIXTURES / "teams_es.csv"))


def test_generated_zoom_file_matches_registrations_and_keeps_panelists_apart(held: Webinar) -> None:
    before = held.starts_at - datetime.timedelta(days=3)
    ana = register(held, "Ana.Silva@porto.example.br", first="Ana", last="Silva", registered_at=before).registration
    held.status = Webinar.Status.HELD
    held.save()
    attendees = [
        {
            "name": "Ana Silva",
            "email": "ana.silva@PORTO.example.br",
            "country": "Brazil",
            "minutes": 70,
            "splits": [30, 40],
        },
        {"name": "José Pérez", "email": "", "country": "Mexico", "minutes": 30},
        {"name": "Absent Person", "email": "absent@x.example.org", "country": "Peru", "minutes": 0},
    ]
    panelists = [{"name": "Laura Ruiz", "email": "laura@valenciaport.example.es", "country": "Spain", "minutes": 90}]
    data = samples.zoom_webinar_csv(attendees, topic="Dredging", start=held.starts_at, panelists=panelists)
    from faro.webinars.services.attendance import import_attendance

    plan = import_attendance(held, acting_user=None, data=data, filename="zoom.csv")
    rows = {a.person.full_name: a for a in Attendance.objects.select_related("person")}
    assert rows["Ana Silva"].registration_id == ana.pk
    assert rows["Ana Silva"].minutes == 70
    assert rows["José Pérez"].person.member_state.code == "MX"  # type: ignore[union-attr]  # the record has a member state
    assert rows["Laura Ruiz"].role == "panelist"
    assert "Absent Person" not in rows
    assert plan.counts["registered"] == 1
    assert list(held.attended_people()) == [person_of(ana)]  # 50 % of 90 minutes: Ana (70) only
