"""Bad attendance files: a clear UnknownFormat or per-line errors, never an exception escaping."""

import contextlib
from pathlib import Path

import pytest

from faro.webinars.attendance import UnknownFormat, parse_attendance

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"   \r\n\r\n",
        b"Name,Phone,City\r\nAna,555,Kingston\r\n",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00",
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",
        b"Just some notes about the webinar.\nNothing tabular here.",
    ],
)
def test_it_says_which_formats_it_expected(data: bytes) -> None:
    with pytest.raises(UnknownFormat) as caught:
        parse_attendance(data)
    assert "Zoom webinar" in str(caught.value)
    assert "Teams" in str(caught.value)


def test_unknown_format_is_a_value_error() -> None:
    assert issubclass(UnknownFormat, ValueError)


def test_an_email_that_is_not_an_email_is_a_row_error() -> None:
    text = (FIXTURES / "zoom_meeting_flat_iso.csv").read_bytes().replace(b"kjoseph@slaspa.org.lc", b"kjoseph at slaspa")
    report = parse_attendance(text)
    assert [e.line for e in report.errors] == [5]
    assert "kjoseph at slaspa" in report.errors[0].message
    assert {a.email for a in report.attendees} >= {"kjoseph@slaspa.org.lc"}  # the other row still counts


@pytest.mark.parametrize("name", [p.name for p in sorted(FIXTURES.glob("*.csv"))])
@pytest.mark.parametrize("cut", [0.35, 0.6, 0.97])
def test_a_truncated_file_gives_line_errors_or_unknown_format(name: str, cut: float) -> None:
    data = (FIXTURES / name).read_bytes()
    data = data[: int(len(data) * cut)]
    try:
        report = parse_attendance(data)
    except UnknownFormat:
        return
    assert all(error.line > 0 for error in report.errors)


def test_a_row_cut_in_the_middle_is_reported_with_its_line() -> None:
    data = (FIXTURES / "zoom_webinar_bom_rejoins.csv").read_bytes()
    data = data[: data.index(b"Autorit\xc3\xa9") - 40]  # inside the last attendee row
    report = parse_attendance(data)
    assert [e.line for e in report.errors] == [22]
    assert "incomplete" in report.errors[0].message


def test_a_misencoded_line_is_reported_and_the_rest_is_read() -> None:
    data = (FIXTURES / "zoom_meeting_participants_dmy.csv").read_bytes()
    data = data.replace("Patricia Núñez".encode(), "Patricia Núñez".encode("latin-1"), 1)
    report = parse_attendance(data)
    assert [e.line for e in report.errors] == [7]
    assert any(a.email == "jramirez@puertolazarocardenas.com.mx" for a in report.attendees)


def test_a_windows_1252_file_is_read_as_such() -> None:
    text = (FIXTURES / "zoom_meeting_flat_iso.csv").read_bytes().decode("utf-8-sig")
    report = parse_attendance(text.encode("cp1252"))
    assert report.errors == []
    assert report.attendees[0].name == "Fundación Valenciaport"


def test_utf16_with_an_odd_byte_count_does_not_crash() -> None:
    data = (FIXTURES / "teams_en.csv").read_bytes()[:-1]
    report = parse_attendance(data)
    assert report.format == "teams"


def test_a_bad_duration_is_a_row_error() -> None:
    text = (FIXTURES / "teams_es.csv").read_bytes().decode("utf-16").replace("28m 45s\t", "mucho rato\t", 1)
    report = parse_attendance(text.encode("utf-16"))
    assert len(report.errors) == 1
    assert "mucho rato" in report.errors[0].message


@pytest.mark.parametrize("seed", range(30))
def test_random_damage_never_raises_anything_but_unknown_format(seed: int) -> None:
    import random

    rng = random.Random(seed)
    name = rng.choice(sorted(FIXTURES.glob("*.csv")))
    data = bytearray(name.read_bytes())
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    with contextlib.suppress(UnknownFormat):
        parse_attendance(bytes(data))
