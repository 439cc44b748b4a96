"""Shared pieces of the attendance parsers: records, decoding, tables, dates, durations, merging.

Plain Python (no models). Each format module turns the table into `RawRow`s; `merge_rows`
turns those into one `AttendeeRecord` per person.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from faro.core.imports import RowError
from faro.lib.text import fold as fold
from faro.lib.text import normalise_email as normalise_email

ROLES = ("attendee", "host", "panelist", "presenter", "organizer")
# When one person appears under several roles, the most responsible one wins.
_ROLE_RANK = {"attendee": 0, "panelist": 1, "presenter": 2, "host": 3, "organizer": 4}
ANONYMOUS_NAME = "Anonymous participant"


@dataclass
class AttendeeRecord:
    name: str
    email: str | None
    minutes: int
    role: str
    country: str | None
    first_line: int
    joins: int  # rows merged into this record
    seconds: int = 0  # time present, before rounding to minutes
    external: bool = False  # the platform marked the name (External), (Guest), (Unverified) …


@dataclass
class ParsedReport:
    format: str
    rows: int
    attendees: list[AttendeeRecord]
    errors: list[RowError]


class UnknownFormat(ValueError):
    """The content is none of the exports we know; the message says which were expected."""


def is_anonymous(record: AttendeeRecord) -> bool:
    """True for people who opted out of being identified (placeholder name, no email)."""
    return record.email is None and record.name.startswith(ANONYMOUS_NAME)


@dataclass
class RawRow:
    """One data row of an export, already interpreted."""

    line: int
    name: str
    email: str | None
    role: str = "attendee"
    country: str | None = None
    seconds: int | None = None  # time in session on this row, when the export gives it
    join: datetime | None = None  # an exact presence interval, when the export gives one
    leave: datetime | None = None
    joins: int = 1  # joins this row stands for (a Teams participant row sums several)
    external: bool = False


@dataclass
class Block:
    """A run of rows after an optional title line: header plus data rows with line numbers."""

    title: str
    header: list[str]
    header_line: int
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


# --- decoding -------------------------------------------------------------------------------


def decode(data: bytes) -> str:
    """Bytes to text: UTF-8 (BOM or not), UTF-16 (BOM or bare), else Windows-1252 from Excel."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").lstrip("\ufeff")
    sample = data[:2000]
    if sample and sample.count(0) > len(sample) // 4:
        even_nuls = sample[0::2].count(0)
        return data.decode("utf-16-be" if even_nuls > sample[1::2].count(0) else "utf-16-le", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Valid multi-byte sequences elsewhere: broken UTF-8, and the bad lines get errors.
        if re.search(rb"[\xc2-\xf4][\x80-\xbf]+", data):
            return data.decode("utf-8", errors="replace")
        return data.decode("cp1252", errors="replace")


def looks_binary(text: str) -> bool:
    sample = text[:4000]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t")
    return "\x00" in sample or controls > len(sample) // 20


def sniff_delimiter(text: str) -> str:
    head = text[:4000]
    return "\t" if head.count("\t") > head.count(",") else ","


def read_table(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Rows with the (1-based) line each starts on, cells stripped."""
    lines = text.splitlines(keepends=True)
    reader = csv.reader(lines, delimiter=delimiter)
    out: list[tuple[int, list[str]]] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            cells = ["\ufffd"]  # reported as a mis-encoded line
        out.append((start, [c.strip() for c in cells]))
        start = reader.line_num + 1
    return out


def _filled(cells: list[str]) -> list[str]:
    return [c for c in cells if c]


def split_blocks(table: list[tuple[int, list[str]]]) -> list[Block]:
    """Cut the table at blank lines and title lines (a lone first cell followed by a header)."""
    blocks: list[Block] = []
    current: Block | None = None
    title = ""
    for index, (line, cells) in enumerate(table):
        filled = _filled(cells)
        if not filled:
            current, title = None, ""
            continue
        following = table[index + 1][1] if index + 1 < len(table) else []
        is_title = len(filled) == 1 and cells[0] and len(_filled(following)) > 1
        if is_title and (current is None or len(current.header) > 1):
            current, title = None, cells[0]
            continue
        if current is None:
            current = Block(title=title, header=cells, header_line=line)
            blocks.append(current)
        else:
            current.rows.append((line, cells))
    return blocks


def norm_header(text: str) -> str:
    """'In-Meeting Duration' → 'in meeting duration'; 'Participant ID (UPN)' → 'participant id upn'."""
    return re.sub(r"[^a-z0-9#]+", " ", fold(text).replace("\ufeff", "")).strip()


def find_column(header: list[str], *synonyms: str, contains: str = "") -> int | None:
    normalised = [norm_header(h) for h in header]
    for synonym in synonyms:
        if synonym in normalised:
            return normalised.index(synonym)
    if contains:
        for index, name in enumerate(normalised):
            if contains in name:
                return index
    return None


def cell(cells: list[str], index: int | None) -> str:
    if index is None or index >= len(cells):
        return ""
    value = cells[index]
    return "" if value in {"--", "-", "N/A", "NA"} else value


# --- dates and durations --------------------------------------------------------------------

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})[T ](\d{1,2}):(\d{2})(?::(\d{2}))?")
_NUMERIC = re.compile(
    r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?\s*[Mm]?\.?"
)
_TEXTUAL = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?")
_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}


def day_first_for(values: Iterable[str], default: bool) -> bool:
    """Decide DD/MM or MM/DD for a whole column: any part above 12 settles it."""
    for value in values:
        match = _NUMERIC.match(value)
        if match:
            first, second = int(match[1]), int(match[2])
            if first > 12:
                return True
            if second > 12:
                return False
    return default


def _clock(hour: int, minute: int, second: str | None, meridiem: str | None) -> tuple[int, int, int]:
    if meridiem:
        hour = hour % 12 + (12 if meridiem.lower() == "p" else 0)
    return hour, minute, int(second or 0)


def parse_datetime(value: str, *, day_first: bool = False) -> datetime | None:
    """The date formats the platforms write (ISO, MM/DD/YYYY hh:mm:ss AM, DD/MM/YY HH:MM, Mar 28, 2020 …)."""
    value = value.strip()
    try:
        if match := _ISO.match(value):
            y, mo, d, h, mi, s = match.groups()
            return datetime(int(y), int(mo), int(d), int(h), int(mi), int(s or 0))
        if match := _NUMERIC.match(value):
            a, b, y, h, mi, s, ap = match.groups()
            day, month = (int(a), int(b)) if day_first else (int(b), int(a))
            year = int(y) + (2000 if len(y) == 2 else 0)
            return datetime(year, month, day, *_clock(int(h), int(mi), s, ap))
        if match := _TEXTUAL.match(value):
            mon, d, y, h, mi, s, ap = match.groups()
            if mon.lower() not in _MONTHS:
                return None
            return datetime(int(y), _MONTHS[mon.lower()], int(d), *_clock(int(h), int(mi), s, ap))
    except ValueError:
        return None
    return None


_UNIT = re.compile(r"(\d+(?:[.,]\d+)?)\s*([a-zA-Z.]+)")
_HOURS = {"h", "hr", "hrs", "hour", "hours", "hora", "horas", "heure", "heures", "godz"}
_MINUTES = {"m", "min", "mins", "minute", "minutes", "minuto", "minutos", "mn"}
_SECONDS = {"s", "sec", "secs", "second", "seconds", "seg", "segundo", "segundos", "seconde", "secondes", "sek"}


def parse_duration(value: str, *, bare_unit: int = 60) -> int | None:
    """Seconds in '1h 27m 51s', '45m 3s', '27s', '1:27:51' or a bare number of `bare_unit` seconds."""
    if value.isdigit():
        return int(value) * bare_unit
    value = value.strip().lower()
    if not value:
        return None
    if re.fullmatch(r"\d+(?:[.,]\d+)?", value):
        return round(float(value.replace(",", ".")) * bare_unit)
    if re.fullmatch(r"\d+:\d{2}(?::\d{2})?", value):
        parts = [int(p) for p in value.split(":")]
        parts = parts if len(parts) == 3 else [0, *parts]
        return parts[0] * 3600 + parts[1] * 60 + parts[2]
    total, seen = 0.0, False
    for number, unit in _UNIT.findall(value):
        unit = unit.rstrip(".")
        scale = 3600 if unit in _HOURS else 60 if unit in _MINUTES else 1 if unit in _SECONDS else None
        if scale is None:
            return None
        total += float(number.replace(",", ".")) * scale
        seen = True
    leftover = _UNIT.sub("", value).strip()
    return round(total) if seen and not leftover else None


# --- display-name suffixes -----------------------------------------------------------------

# What Teams and Zoom append to a display name for someone outside the tenant or not signed in;
# not part of the name. Compared accent- and case-free.
GUEST_SUFFIXES = {
    "external",
    "guest",
    "unverified",
    "visitor",
    "anonymous",  # en
    "externo",
    "externa",
    "invitado",
    "invitada",
    "no comprobado",
    "no verificado",
    "no verificada",  # es
    "convidado",
    "convidada",
    "nao verificado",
    "nao verificada",
    "visitante",  # pt
    "externe",
    "invite",
    "invitee",
    "non verifie",
    "non verifiee",  # fr
}
_SUFFIX = re.compile(r"\s*[(\[]([^()\[\]]+)[)\]]\s*$")


def strip_guest_suffix(name: str) -> tuple[str, bool]:
    """'Ana Pérez (External)' → ('Ana Pérez', True); several suffixes are all removed."""
    external = False
    while (match := _SUFFIX.search(name)) and fold(match.group(1)) in GUEST_SUFFIXES:
        name, external = name[: match.start()].rstrip(), True
    return name, external


# --- checks and merging ---------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s,;<>()\[\]]+@[^@\s,;<>()\[\]]+\.[^@\s,;<>()\[\]]+$")


def clean_email(value: str) -> str | None:
    """Normalised email, None when blank; ValueError when it is not an email."""
    email = normalise_email(value)
    if email is None:
        return None
    if not _EMAIL.match(email):
        raise ValueError(email)
    return email


def bad_email_error(line: int, value: str) -> RowError:
    return RowError(line, _("Line %(line)s: “%(value)s” is not an email address.") % {"line": line, "value": value})


def misencoded_error(line: int) -> RowError:
    return RowError(line, _("Line %(line)s is damaged or not in the file's text encoding.") % {"line": line})


def incomplete_error(line: int, found: int, expected: int) -> RowError:
    return RowError(
        line,
        _("Line %(line)s is incomplete: %(found)s of %(expected)s columns.")
        % {"line": line, "found": found, "expected": expected},
    )


def bad_date_error(line: int, value: str) -> RowError:
    return RowError(line, _("Line %(line)s: “%(value)s” is not a date and time.") % {"line": line, "value": value})


def bad_duration_error(line: int, value: str) -> RowError:
    return RowError(line, _("Line %(line)s: “%(value)s” is not a duration.") % {"line": line, "value": value})


def _union_seconds(intervals: list[tuple[datetime, datetime]]) -> int:
    total = timedelta()
    end: datetime | None = None
    for start, stop in sorted(intervals):
        if end is not None and start < end:
            start = end
        if stop > start:
            total += stop - start
        end = stop if end is None or stop > end else end
    return int(total.total_seconds())


def _person_key(row: RawRow, index: int) -> tuple[str, str]:
    if row.email:
        return ("email", row.email)
    if row.name:
        return ("name", fold(row.name))
    return ("anonymous", str(index))  # opted out: every row stays its own person


def merge_rows(rows: list[RawRow]) -> list[AttendeeRecord]:
    """One record per person: rows grouped by email, then by name; time summed without overlaps."""
    groups: dict[tuple[str, str], list[RawRow]] = {}
    for row in rows:
        row.name, external = strip_guest_suffix(row.name)
        row.external = row.external or external
    for index, row in enumerate(rows):
        groups.setdefault(_person_key(row, index), []).append(row)
    _fold_named_into_emailed(groups)
    records = []
    anonymous = 0
    for group in groups.values():
        record = _record_for(group)
        if not record.name:
            anonymous += 1
            record.name = f"{ANONYMOUS_NAME} {anonymous}"
        records.append(record)
    records.sort(key=lambda r: r.first_line)
    return records


def _fold_named_into_emailed(groups: dict[tuple[str, str], list[RawRow]]) -> None:
    """A rejoin without email (phone, guest) joins the one emailed person of the same name."""
    named_only = [k for k in groups if k[0] == "name"]
    if not named_only:
        return
    by_name: dict[str, list[tuple[str, str]]] = {}
    for key, group in groups.items():
        if key[0] == "email" and group[0].name:
            by_name.setdefault(fold(group[0].name), []).append(key)
    for key in named_only:
        owners = by_name.get(key[1], [])
        if len(owners) == 1:
            groups[owners[0]].extend(groups.pop(key))


def minutes_present(seconds: int) -> int:
    """Whole minutes, rounded; someone present for under a minute counts one minute, not zero."""
    return max(1, (seconds + 30) // 60) if seconds > 0 else 0


def _record_for(group: list[RawRow]) -> AttendeeRecord:
    group.sort(key=lambda r: r.line)
    intervals = [(r.join, r.leave) for r in group if r.join and r.leave]
    loose = sum(r.seconds or 0 for r in group if not (r.join and r.leave))
    seconds = _union_seconds(intervals) + loose
    named = next((r for r in group if r.name), group[0])
    return AttendeeRecord(
        name=named.name,
        email=next((r.email for r in group if r.email), None),
        minutes=minutes_present(seconds),
        seconds=seconds,
        external=any(r.external for r in group),
        role=max((r.role for r in group), key=lambda role: _ROLE_RANK.get(role, 0)),
        country=next((r.country for r in group if r.country), None),
        first_line=group[0].line,
        joins=sum(r.joins for r in group),
    )
