"""Attendance exports from Zoom and Microsoft Teams, read exactly as the platforms write them.

`parse_attendance(data)` detects the format from the content and returns one `AttendeeRecord`
per person (rejoins merged, overlapping time counted once) plus per-line errors. It never
raises on bad content other than `UnknownFormat`. Plain Python: no models, no database.
"""

from typing import Any

from django.utils.translation import gettext as _

from . import teams, zoom_meeting, zoom_webinar
from .common import (
    ANONYMOUS_NAME,
    AttendeeRecord,
    ParsedReport,
    UnknownFormat,
    decode,
    is_anonymous,
    looks_binary,
    merge_rows,
    read_table,
    sniff_delimiter,
    split_blocks,
)

__all__ = [
    "ANONYMOUS_NAME",
    "FORMATS",
    "AttendeeRecord",
    "ParsedReport",
    "UnknownFormat",
    "is_anonymous",
    "parse_attendance",
    "report_to_json",
]

FORMATS = (zoom_webinar.FORMAT, zoom_meeting.FORMAT, teams.FORMAT)


def _unknown() -> UnknownFormat:
    return UnknownFormat(
        _(
            "This file is not an attendance export Faro reads. Faro reads: the Zoom webinar attendee report, "
            "the Zoom meeting participants export (including the 2025 export with a host summary and a waiting "
            "room column), and the Microsoft Teams attendance report (as downloaded, or saved again from "
            "Excel as CSV), in English, Spanish, Portuguese or French."
        )
    )


def parse_attendance(data: bytes, *, filename: str = "") -> ParsedReport:
    """Parse an attendance export; the format comes from the content, never from `filename`."""
    text = decode(data)
    if not text.strip() or looks_binary(text):
        raise _unknown()
    delimiter = sniff_delimiter(text)
    blocks = split_blocks(read_table(text, delimiter))
    if teams.matches(blocks, delimiter):
        fmt, (rows, errors, count) = teams.FORMAT, teams.parse(blocks)
    elif zoom_webinar.matches(blocks):
        fmt, (rows, errors, count) = zoom_webinar.FORMAT, zoom_webinar.parse(blocks)
    elif zoom_meeting.matches(blocks):
        fmt, (rows, errors, count) = zoom_meeting.FORMAT, zoom_meeting.parse(blocks)
    else:
        raise _unknown()
    return ParsedReport(format=fmt, rows=count, attendees=merge_rows(rows), errors=errors)


def report_to_json(report: ParsedReport) -> dict[str, Any]:
    return {
        "format": report.format,
        "rows": report.rows,
        "attendees": [
            {
                "name": a.name,
                "email": a.email,
                "minutes": a.minutes,
                "seconds": a.seconds,
                "role": a.role,
                "external": a.external,
            }
            for a in report.attendees
        ],
        "errors": [error.as_dict() for error in report.errors],
    }
