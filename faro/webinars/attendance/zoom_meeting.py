"""Zoom meeting participants export: a flat CSV (Name (Original Name), User Email, Join Time,
Leave Time, Duration (Minutes), Guest, In Waiting Room …), optionally after a block of meeting
columns. The 2025 export writes headers in lower case and names the host in that summary block
(a "host" field holding name and email); the host is kept apart, and rows spent in the waiting
room are not attendance.
"""

import re

from faro.core.imports import RowError

from .common import (
    Block,
    RawRow,
    bad_duration_error,
    bad_email_error,
    cell,
    clean_email,
    day_first_for,
    find_column,
    fold,
    incomplete_error,
    misencoded_error,
    norm_header,
    normalise_email,
    parse_datetime,
    parse_duration,
)

FORMAT = "zoom-meeting"
_NAMES = ("name original name", "participant", "name", "user name original name")
_MINUTES = ("duration minutes", "total duration minutes", "duration")


def is_participant_block(block: Block) -> bool:
    names = {norm_header(h) for h in block.header}
    return bool(names & set(_NAMES)) and bool(names & set(_MINUTES)) and "topic" not in names


def is_meeting_block(block: Block) -> bool:
    names = {norm_header(h) for h in block.header}
    hosted = any(name.startswith("host") for name in names)
    return "topic" in names and ("meeting id" in names or "start time" in names or hosted)


_YES = {"yes", "si", "sim", "oui", "true", "1"}
_NAME_AND_EMAIL = re.compile(r"^(.*?)\s*[(<\[]?\s*([^\s()<>\[\]]+@[^\s()<>\[\]]+)\s*[)>\]]?\s*$")


def matches(blocks: list[Block]) -> bool:
    return any(is_participant_block(b) for b in blocks)


def _host(blocks: list[Block]) -> tuple[str | None, str]:
    """(email, folded name) of the host named in the meeting columns; that participant is the host."""
    for block in blocks:
        if is_meeting_block(block) and block.rows:
            cells = block.rows[0][1]
            combined = cell(cells, find_column(block.header, "host"))
            email = cell(cells, find_column(block.header, "host email", "user email", "email"))
            name = cell(cells, find_column(block.header, "host name", "user name"))
            if match := _NAME_AND_EMAIL.match(combined):
                name, email = match.group(1), match.group(2)
            elif combined:
                name = combined
            return normalise_email(email), fold(name)
    return None, ""


def parse(blocks: list[Block]) -> tuple[list[RawRow], list[RowError], int]:
    rows: list[RawRow] = []
    errors: list[RowError] = []
    count = 0
    host = _host(blocks)
    for block in blocks:
        if is_participant_block(block):
            count += len(block.rows)
            _parse_block(block, host, rows, errors)
    return rows, errors, count


def _parse_block(block: Block, host: tuple[str | None, str], rows: list[RawRow], errors: list[RowError]) -> None:
    h = block.header
    col = {
        "name": find_column(h, *_NAMES),
        "email": find_column(h, "user email", "email", "email address"),
        "join": find_column(h, "join time"),
        "leave": find_column(h, "leave time"),
        "minutes": find_column(h, *_MINUTES),
        "waiting": find_column(h, "in waiting room", "waiting room"),
    }
    needed = max(i for i in (col["name"], col["email"], col["minutes"]) if i is not None)
    day_first = day_first_for((cell(c, col["join"]) for _line, c in block.rows), default=False)
    for line, cells in block.rows:
        if any("\ufffd" in c for c in cells):
            errors.append(misencoded_error(line))
            continue
        if len(cells) <= needed:
            errors.append(incomplete_error(line, len(cells), len(h)))
            continue
        if fold(cell(cells, col["waiting"])) in _YES:  # time in the waiting room is not attendance
            continue
        raw_email = cell(cells, col["email"])
        try:
            email = clean_email(raw_email)
        except ValueError:
            errors.append(bad_email_error(line, raw_email))
            continue
        raw_minutes = cell(cells, col["minutes"])
        seconds = parse_duration(raw_minutes) if raw_minutes else 0
        if seconds is None:
            errors.append(bad_duration_error(line, raw_minutes))
            continue
        join = parse_datetime(cell(cells, col["join"]), day_first=day_first)
        leave = parse_datetime(cell(cells, col["leave"]), day_first=day_first)
        if join and leave and leave < join:
            join = leave = None
        name = cell(cells, col["name"])
        is_host = (email is not None and email == host[0]) or (not email and bool(host[1]) and fold(name) == host[1])
        role = "host" if is_host else "attendee"
        rows.append(
            RawRow(
                line=line,
                name=name,
                email=email,
                role=role,
                seconds=seconds,
                join=join,
                leave=leave,
            )
        )
