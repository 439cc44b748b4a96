"""`manage.py import_attendance --parse-only FILE --json` (importing into a webinar: test_import_command.py)."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

FIXTURES = Path(__file__).parent / "fixtures"


def test_parse_only_prints_the_report_as_json() -> None:
    out = StringIO()
    call_command("import_attendance", "--parse-only", str(FIXTURES / "teams_es.csv"), "--json", stdout=out)
    result = json.loads(out.getvalue())
    assert result["format"] == "teams"
    assert result["rows"] == 4
    assert result["errors"] == []
    assert {
        "name": "Óscar Martínez",
        "email": "omartinez@enp.gob.gt",
        "minutes": 66,
        "seconds": 3960,
        "role": "attendee",
        "external": False,
    } in result["attendees"]


def test_parse_only_lists_row_errors_with_their_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_bytes((FIXTURES / "zoom_meeting_flat_iso.csv").read_bytes().replace(b"acastillo@", b"acastillo#"))
    out = StringIO()
    call_command("import_attendance", "--parse-only", str(bad), "--json", stdout=out)
    assert [e["line"] for e in json.loads(out.getvalue())["errors"]] == [3]


def test_parse_only_without_json_prints_a_summary() -> None:
    out = StringIO()
    call_command("import_attendance", "--parse-only", str(FIXTURES / "zoom_webinar_bom_rejoins.csv"), stdout=out)
    assert out.getvalue().startswith("zoom-webinar: 12 rows, 8 people")


def test_an_unknown_file_is_a_clear_error(tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("Name,Phone\nAna,555\n")
    with pytest.raises(CommandError, match="Teams") as caught:
        call_command("import_attendance", "--parse-only", str(other))
    assert caught.value.returncode == 2
