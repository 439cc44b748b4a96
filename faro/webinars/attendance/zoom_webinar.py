"""Zoom webinar attendee report: blocks after title lines (Attendee Report, Host Details,
Panelist Details, Attendee Details, Other Attended …), one row per join/leave."""

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
    parse_datetime,
    parse_duration,
)

FORMAT = "zoom-webinar"


def is_participant_block(block: Block) -> bool:
    names = {norm_header(h) for h in block.header}
    has_time = "time in session minutes" in names or "time in session" in names
    return has_time and ("attended" in names or "user name original name" in names or "user name" in names)


def matches(blocks: list[Block]) -> bool:
    return any(is_participant_block(b) for b in blocks)


def _role_for(title: str) -> str:
    title = fold(title)
    if "host" in title:
        return "host"
    if "panelist" in title:
        return "panelist"
    return "attendee"


def parse(blocks: list[Block]) -> tuple[list[RawRow], list[RowError], int]:
    rows: list[RawRow] = []
    errors: list[RowError] = []
    count = 0
    for block in blocks:
        if is_participant_block(block):
            count += len(block.rows)
            _parse_block(block, rows, errors)
    return rows, errors, count


def _parse_block(block: Block, rows: list[RawRow], errors: list[RowError]) -> None:
    h = block.header
    col = {
        "attended": find_column(h, "attended"),
        "name": find_column(h, "user name original name", "user name", "name original name", "name"),
        "first": find_column(h, "first name"),
        "last": find_column(h, "last name"),
        "email": find_column(h, "email", "user email", "email address"),
        "join": find_column(h, "join time"),
        "leave": find_column(h, "leave time"),
        "minutes": find_column(h, "time in session minutes", "time in session"),
        "country": find_column(h, "country region", "country"),
        "country_ip": find_column(h, "country region name"),
    }
    needed = max(i for i in (col["name"], col["email"], col["minutes"]) if i is not None)
    role = _role_for(block.title)
    day_first = day_first_for((cell(c, col["join"]) for _line, c in block.rows), default=False)
    for line, cells in block.rows:
        if any("\ufffd" in c for c in cells):
            errors.append(misencoded_error(line))
            continue
        if len(cells) <= needed:
            errors.append(incomplete_error(line, len(cells), len(h)))
            continue
        row = _row(line, cells, col, role, day_first, errors)
        if row is not None:
            rows.append(row)


def _row(
    line: int, cells: list[str], col: dict[str, int | None], role: str, day_first: bool, errors: list[RowError]
) -> RawRow | None:
    raw_email = cell(cells, col["email"])
    try:
        email = clean_email(raw_email)
    except ValueError:
        errors.append(bad_email_error(line, raw_email))
        return None
    first, last = cell(cells, col["first"]), cell(cells, col["last"])
    name = f"{first} {last}".strip() or cell(cells, col["name"])
    country = cell(cells, col["country"]) or cell(cells, col["country_ip"]) or None
    if cell(cells, col["attended"]).lower() in {"no", "false"}:
        return RawRow(line=line, name=name, email=email, role=role, country=country, seconds=0)
    raw_minutes = cell(cells, col["minutes"])
    seconds = parse_duration(raw_minutes) if raw_minutes else 0
    if seconds is None:
        errors.append(bad_duration_error(line, raw_minutes))
        return None
    join = parse_datetime(cell(cells, col["join"]), day_first=day_first)
    leave = parse_datetime(cell(cells, col["leave"]), day_first=day_first)
    if join and leave and leave < join:
        join = leave = None
    return RawRow(
        line=line, name=name, email=email, role=role, country=country, seconds=seconds, join=join, leave=leave
    )
