"""Write attendance exports exactly as Zoom and Teams do, for the demo, tests and benchmarks.

Each attendee is a dict: ``name``, ``email`` (or None/""), ``country``, ``minutes`` and optionally
``splits`` (minutes of each session when the person left and rejoined; they add up to
``minutes``). ``minutes == 0`` means registered but absent (Zoom writes ``Attended = No``;
Teams leaves them out). Output is deterministic for the same input.
"""

import csv
import functools
import io
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from .teams import LABELS

Attendee = dict[str, Any]
_GAP = timedelta(minutes=3)


def _sessions(attendee: Attendee, start: datetime, index: int) -> list[tuple[datetime, datetime]]:
    """Join/leave pairs for the attendee's splits, a few minutes apart, from a staggered start."""
    splits = list(attendee.get("splits") or [attendee["minutes"]])
    if sum(splits) != attendee["minutes"]:
        raise ValueError(f"splits of {attendee['name']!r} do not add up to {attendee['minutes']} minutes")
    moment = start + timedelta(seconds=(index * 37) % 600)
    out = []
    for minutes in splits:
        out.append((moment, moment + timedelta(minutes=minutes)))
        moment += timedelta(minutes=minutes) + _GAP
    return out


def _us(moment: datetime) -> str:
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def _csv(rows: Iterable[Sequence[Any]], *, bom: bool, delimiter: str = ",", encoding: str = "utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    text = buffer.getvalue()
    if encoding == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = (name or "").partition(" ")
    return first, last


def zoom_webinar_csv(
    attendees: Sequence[Attendee],
    *,
    topic: str,
    start: datetime,
    hosts: Sequence[Attendee] = (),
    panelists: Sequence[Attendee] = (),
    webinar_id: str = "912 3456 7890",
    bom: bool = True,
) -> bytes:
    """A Zoom webinar attendee report: summary, host, panelist and attendee blocks."""
    duration = max([a["minutes"] for a in [*attendees, *hosts, *panelists]] or [60]) + 15
    present = [a for a in attendees if a["minutes"] > 0]
    rows: list[Sequence[Any]] = [
        ["Attendee Report", ""],
        ["Report Generated:", _us(start + timedelta(days=1))],
        [
            "Topic",
            "Webinar ID",
            "Actual Start Time",
            "Actual Duration (minutes)",
            "# Registered",
            "# Cancelled",
            "Unique Viewers",
            "Total Users",
            "Max Concurrent Views",
        ],
        [topic, webinar_id, _us(start), duration, len(attendees), 0, len(present), len(present), len(present)],
    ]
    staff_header = [
        "Attended",
        "User Name (Original Name)",
        "Email",
        "Join Time",
        "Leave Time",
        "Time in Session (minutes)",
        "Is Guest",
        "Country/Region Name",
    ]
    for title, people in (("Host Details", hosts), ("Panelist Details", panelists)):
        rows += [[title, ""], staff_header]
        for index, person in enumerate(people):
            for join, leave in _sessions(person, start - timedelta(minutes=10), index):
                minutes = int((leave - join).total_seconds() // 60)
                rows.append(
                    [
                        "Yes",
                        person["name"],
                        person.get("email") or "",
                        _us(join),
                        _us(leave),
                        minutes,
                        "No",
                        person.get("country") or "",
                    ]
                )
    rows += [
        ["Attendee Details", ""],
        [
            "Attended",
            "User Name (Original Name)",
            "First Name",
            "Last Name",
            "Email",
            "Registration Time",
            "Approval Status",
            "Join Time",
            "Leave Time",
            "Time in Session (minutes)",
            "Is Guest",
            "Country/Region Name",
            "Institution",
        ],
    ]
    registered = _us(start - timedelta(days=7))
    for index, person in enumerate(attendees):
        first, last = _split_name(person["name"])
        base = [person["name"], first, last, person.get("email") or "", registered, "approved"]
        tail = ["No", person.get("country") or "--", person.get("institution", "")]
        if person["minutes"] <= 0:
            rows.append(["No", *base, "--", "--", "--", *tail])
            continue
        for number, (join, leave) in enumerate(_sessions(person, start, index)):
            minutes = int((leave - join).total_seconds() // 60)
            row_base = base if number == 0 else [*base[:4], "--", "--"]
            rows.append(["Yes", *row_base, _us(join), _us(leave), minutes, *tail])
    return _csv(rows, bom=bom)


def zoom_meeting_csv(
    attendees: Sequence[Attendee],
    *,
    topic: str,
    start: datetime,
    host: Attendee | None = None,
    meeting_id: str = "835 2210 4471",
    with_meeting_columns: bool = True,
) -> bytes:
    """A Zoom meeting participants export (one row per join), optionally after the meeting columns."""
    people = [host, *attendees] if host else list(attendees)
    present = [p for p in people if p["minutes"] > 0]
    duration = max([p["minutes"] for p in present] or [60]) + 10
    rows: list[Sequence[Any]] = []
    if with_meeting_columns:
        rows += [
            ["Meeting ID", "Topic", "Start Time", "End Time", "User Email", "Duration (Minutes)", "Participants"],
            [
                meeting_id,
                topic,
                _us(start),
                _us(start + timedelta(minutes=duration)),
                (host or {}).get("email") or "",
                duration,
                len(present),
            ],
            [],
        ]
    rows.append(
        [
            "Name (Original Name)",
            "User Email",
            "Join Time",
            "Leave Time",
            "Duration (Minutes)",
            "Guest",
            "Recording Consent",
            "In Waiting Room",
        ]
    )
    for index, person in enumerate(present):
        for join, leave in _sessions(person, start, index):
            minutes = int((leave - join).total_seconds() // 60)
            guest = "No" if person.get("email") else "Yes"
            rows.append([person["name"], person.get("email") or "", _us(join), _us(leave), minutes, guest, "", "No"])
    return _csv(rows, bom=False)


def _teams_time(moment: datetime, language: str) -> str:
    if language == "en":
        return f"{moment.month}/{moment.day}/{moment:%y}, {moment:%I:%M:%S %p}".replace(", 0", ", ")
    return f"{moment:%d/%m/%Y}, {moment:%H:%M:%S}"


def _teams_duration(seconds: int) -> str:
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{hours}h"] if hours else []
    parts += [f"{minutes}m"] if minutes or hours else []
    return " ".join([*parts, f"{secs}s"])


def teams_csv(
    attendees: Sequence[Attendee],
    *,
    title: str,
    start: datetime,
    language: str = "en",
    organizer: Attendee | None = None,
    presenters: Sequence[Attendee] = (),
) -> bytes:
    """A Teams attendance report: UTF-16 LE with BOM, tabs, sections titled in `language`."""
    labels = LABELS[language]
    people = [(p, "organizer") for p in ([organizer] if organizer else [])]
    people += [(p, "presenter") for p in presenters] + [(p, "attendee") for p in attendees]
    people = [(p, role) for p, role in people if p["minutes"] > 0]
    sessions = [_sessions(p, start, index) for index, (p, _role) in enumerate(people)]
    end = max([s[-1][1] for s in sessions] or [start])
    rows: list[Sequence[Any]] = [
        [labels["summary"]],
        [labels["meeting_title"], title],
        [labels["attended"], len(people)],
        [labels["start"], _teams_time(start, language)],
        [labels["end"], _teams_time(end, language)],
        [labels["duration_total"], _teams_duration(int((end - start).total_seconds()))],
        [],
        [labels["participants"]],
        [labels[k] for k in ("name", "first_join", "last_leave", "in_meeting", "email", "upn", "role")],
    ]
    for (person, role), spans in zip(people, sessions, strict=True):
        email = person.get("email") or ""
        rows.append(
            [
                person["name"],
                _teams_time(spans[0][0], language),
                _teams_time(spans[-1][1], language),
                _teams_duration(person["minutes"] * 60),
                email,
                email,
                labels[role],
            ]
        )
    rows += [[], [labels["activities"]], [labels[k] for k in ("name", "join", "leave", "duration", "email", "role")]]
    for (person, role), spans in zip(people, sessions, strict=True):
        for join, leave in spans:
            rows.append(
                [
                    person["name"],
                    _teams_time(join, language),
                    _teams_time(leave, language),
                    _teams_duration(int((leave - join).total_seconds())),
                    person.get("email") or "",
                    labels[role],
                ]
            )
    return _csv(rows, bom=True, delimiter="\t", encoding="utf-16")


def zoom_participants_2025_csv(
    attendees: Sequence[Attendee],
    *,
    topic: str,
    start: datetime,
    host: Attendee,
    waiting: Sequence[Attendee] = (),
    meeting_id: str = "835 2210 4471",
) -> bytes:
    """Zoom's 2025 participants export: lower-case headers, the host (name and email) in the summary,
    and an "in waiting room" column — `waiting` people sat there for their minutes first."""
    present = [p for p in [host, *attendees] if p["minutes"] > 0]
    duration = max(p["minutes"] for p in present) + 10
    summary_head = ["topic", "meeting id", "host", "duration (minutes)", "start time", "end time", "participants"]
    summary = [
        topic,
        meeting_id,
        f"{host['name']} ({host['email']})",
        duration,
        _us(start),
        _us(start + timedelta(minutes=duration)),
        len(present),
    ]
    head = [
        "name (original name)",
        "email",
        "join time",
        "leave time",
        "duration (minutes)",
        "guest",
        "in waiting room",
    ]
    rows: list[Sequence[Any]] = [summary_head, summary, [], head]
    for person in waiting:
        leave = start + timedelta(minutes=person["minutes"])
        rows.append([person["name"], person.get("email") or "", _us(start), _us(leave), person["minutes"], "No", "Yes"])
    for index, person in enumerate(present):
        for join, leave in _sessions(person, start, index):
            minutes = int((leave - join).total_seconds() // 60)
            guest = "No" if person.get("email") else "Yes"
            rows.append([person["name"], person.get("email") or "", _us(join), _us(leave), minutes, guest, "No"])
    return _csv(rows, bom=True)


_SAMPLE_START = datetime(2026, 11, 4, 15, 0)
_SAMPLE_HOST = {"name": "Secretaría CIP", "email": "cip@oas.example.org", "country": "US", "minutes": 95}
_SAMPLE_PEOPLE = [
    {"name": "Andrea Castillo", "email": "acastillo@puerto.example.cl", "country": "Chile", "minutes": 88},
    {
        "name": "Kevin Joseph",
        "email": "kjoseph@ports.example.lc",
        "country": "Saint Lucia",
        "minutes": 70,
        "splits": [40, 30],
    },
    {"name": "Marie Dupont (Guest)", "email": "", "country": "Haiti", "minutes": 52},
    {"name": "João Silva", "email": "joao.silva@portos.example.br", "country": "Brazil", "minutes": 0},
]


def _present(people: Sequence[Attendee]) -> list[Attendee]:
    return [p for p in people if p["minutes"] > 0]


def _teams_sample(language: str) -> bytes:
    people = _present(_SAMPLE_PEOPLE)
    return teams_csv(people, title="Port security", start=_SAMPLE_START, language=language, organizer=_SAMPLE_HOST)


SAMPLE_FILES: dict[str, Callable[[], bytes]] = {
    "zoom-webinar": lambda: zoom_webinar_csv(
        _SAMPLE_PEOPLE, topic="Port security", start=_SAMPLE_START, hosts=[_SAMPLE_HOST]
    ),
    "zoom-meeting": lambda: zoom_meeting_csv(
        _present(_SAMPLE_PEOPLE), topic="Port security", start=_SAMPLE_START, host=_SAMPLE_HOST
    ),
    "zoom-participants-2025": lambda: zoom_participants_2025_csv(
        _present(_SAMPLE_PEOPLE),
        topic="Port security",
        start=_SAMPLE_START,
        host=_SAMPLE_HOST,
        waiting=[{"name": "Kevin Joseph", "email": "kjoseph@ports.example.lc", "minutes": 4}],
    ),
    **{f"teams-{language}": functools.partial(_teams_sample, language) for language in ("en", "es", "pt", "fr")},
}
