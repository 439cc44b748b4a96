"""The small readers under the attendance parsers: durations, dates, decoding, merging."""

from datetime import datetime

import pytest

from faro.webinars.attendance.common import RawRow, decode, merge_rows, parse_datetime, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("1h 27m 51s", 5271),
        ("45m 3s", 2703),
        ("27s", 27),
        ("1h", 3600),
        ("2 h 5 min 10 s", 7510),
        ("1 hr 12 min", 4320),
        ("1:27:51", 5271),
        ("47:03", 2823),
        ("95", 95 * 60),  # Zoom's "(minutes)" columns
        ("12.5", 750),
    ],
)
def test_it_reads_durations_as_the_platforms_write_them(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "mucho rato", "7/22/26, 7:02:11 PM", "5 parsecs", "-5"])
def test_an_unreadable_duration_is_none_not_zero(text: str) -> None:
    assert parse_duration(text) is None


@pytest.mark.parametrize(
    ("text", "day_first", "expected"),
    [
        ("10/21/2020 10:01:10 AM", False, datetime(2020, 10, 21, 10, 1, 10)),
        ("10/21/2020 12:30:00 PM", False, datetime(2020, 10, 21, 12, 30)),
        ("10/21/2020 12:30:00 AM", False, datetime(2020, 10, 21, 0, 30)),
        ("2020-10-21 15:03:12", False, datetime(2020, 10, 21, 15, 3, 12)),
        ("2020-10-21T15:03:12Z", False, datetime(2020, 10, 21, 15, 3, 12)),
        ("21/10/2020 16:55", True, datetime(2020, 10, 21, 16, 55)),
        ("7/22/26, 7:00:11 PM", False, datetime(2026, 7, 22, 19, 0, 11)),
        ("25/11/2020, 10:01:30", True, datetime(2020, 11, 25, 10, 1, 30)),
        ("Mar 28, 2020 08:07:27", False, datetime(2020, 3, 28, 8, 7, 27)),
        ("Mar 28, 2020 8:07 PM", False, datetime(2020, 3, 28, 20, 7)),
    ],
)
def test_it_reads_the_date_formats_of_each_version(text: str, day_first: bool, expected: datetime) -> None:
    assert parse_datetime(text, day_first=day_first) == expected


@pytest.mark.parametrize("text", ["--", "", "13/45/2020 10:00", "Foo 28, 2020 08:07"])
def test_an_unreadable_date_is_none(text: str) -> None:
    assert parse_datetime(text) is None


@pytest.mark.parametrize(
    "data",
    [
        "Näme,Émail".encode(),
        b"\xef\xbb\xbf" + "Näme,Émail".encode(),
        b"\xff\xfe" + "Näme,Émail".encode("utf-16-le"),
        b"\xfe\xff" + "Näme,Émail".encode("utf-16-be"),
        "Näme,Émail".encode("utf-16-le"),
        "Näme,Émail".encode("utf-16-be"),
        "Näme,Émail".encode("cp1252"),
    ],
)
def test_it_decodes_every_encoding_the_exports_come_in(data: bytes) -> None:
    assert decode(data) == "Näme,Émail"


def at(minute: int) -> datetime:
    return datetime(2020, 10, 21, 10, 0) + (datetime(2020, 1, 1, 0, minute) - datetime(2020, 1, 1))


def test_merging_counts_overlaps_once_and_keeps_the_strongest_role() -> None:
    rows = [
        RawRow(line=3, name="Ana", email="ana@x.org", seconds=1800, join=at(0), leave=at(30)),
        RawRow(line=4, name="Ana", email="ana@x.org", role="panelist", seconds=1800, join=at(20), leave=at(50)),
        RawRow(line=5, name="Ana", email="ana@x.org", seconds=600),  # no times: added as given
    ]
    [ana] = merge_rows(rows)
    assert (ana.minutes, ana.joins, ana.role, ana.first_line) == (60, 3, "panelist", 3)


def test_a_rejoin_without_email_joins_the_one_person_of_that_name() -> None:
    rows = [
        RawRow(line=2, name="José Pérez", email="jose@x.org", seconds=600),
        RawRow(line=3, name="JOSE  PEREZ", email=None, seconds=300),
        RawRow(line=4, name="", email=None, seconds=60),
        RawRow(line=5, name="", email=None, seconds=60),
    ]
    records = merge_rows(rows)
    assert [(r.name, r.email, r.minutes) for r in records] == [
        ("José Pérez", "jose@x.org", 15),
        ("Anonymous participant 1", None, 1),
        ("Anonymous participant 2", None, 1),
    ]


def test_the_parsers_stay_plain_python_without_models() -> None:
    import subprocess
    import sys

    code = (
        "import sys, faro.webinars.attendance, faro.webinars.attendance.samples;"
        "sys.exit(any(m.startswith(('django.db', 'faro.webinars.models')) for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
