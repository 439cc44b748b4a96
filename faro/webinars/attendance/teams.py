"""Microsoft Teams attendance report: UTF-16, tab-separated, numbered sections whose titles are
in the organiser's language (Summary; Participants; In-Meeting Activities, one row per join).

Sections are recognised by their header row (known column names in several languages), then by
their number, never by the title words alone.
"""

from datetime import datetime

from faro.core.imports import RowError

from .common import (
    Block,
    RawRow,
    bad_date_error,
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

FORMAT = "teams"

# Labels as Teams writes them, per language; samples.py writes files with these.
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "summary": "1. Summary",
        "participants": "2. Participants",
        "activities": "3. In-Meeting Activities",
        "meeting_title": "Meeting title",
        "attended": "Attended participants",
        "start": "Start time",
        "end": "End time",
        "duration_total": "Meeting duration",
        "average": "Average attendance time",
        "name": "Name",
        "first_join": "First Join",
        "last_leave": "Last Leave",
        "in_meeting": "In-Meeting Duration",
        "email": "Email",
        "upn": "Participant ID (UPN)",
        "role": "Role",
        "join": "Join Time",
        "leave": "Leave Time",
        "duration": "Duration",
        "organizer": "Organizer",
        "presenter": "Presenter",
        "attendee": "Attendee",
    },
    "es": {
        "summary": "1. Resumen",
        "participants": "2. Participantes",
        "activities": "3. Actividades durante la reunión",
        "meeting_title": "Título de la reunión",
        "attended": "Participantes con asistencia",
        "start": "Hora de inicio",
        "end": "Hora de finalización",
        "duration_total": "Duración de la reunión",
        "average": "Tiempo medio de asistencia",
        "name": "Nombre",
        "first_join": "Primera unión",
        "last_leave": "Última salida",
        "in_meeting": "Duración en la reunión",
        "email": "Correo electrónico",
        "upn": "Id. de participante (UPN)",
        "role": "Rol",
        "join": "Hora de unión",
        "leave": "Hora de salida",
        "duration": "Duración",
        "organizer": "Organizador",
        "presenter": "Moderador",
        "attendee": "Asistente",
    },
    "pt": {
        "summary": "1. Resumo",
        "participants": "2. Participantes",
        "activities": "3. Atividades na reunião",
        "meeting_title": "Título da reunião",
        "attended": "Participantes presentes",
        "start": "Hora de início",
        "end": "Hora de término",
        "duration_total": "Duração da reunião",
        "average": "Tempo médio de participação",
        "name": "Nome",
        "first_join": "Primeira entrada",
        "last_leave": "Última saída",
        "in_meeting": "Duração na reunião",
        "email": "Email",
        "upn": "ID do participante (UPN)",
        "role": "Função",
        "join": "Hora de entrada",
        "leave": "Hora de saída",
        "duration": "Duração",
        "organizer": "Organizador",
        "presenter": "Apresentador",
        "attendee": "Participante",
    },
    "fr": {
        "summary": "1. Résumé",
        "participants": "2. Participants",
        "activities": "3. Activités pendant la réunion",
        "meeting_title": "Titre de la réunion",
        "attended": "Participants présents",
        "start": "Heure de début",
        "end": "Heure de fin",
        "duration_total": "Durée de la réunion",
        "average": "Durée moyenne de présence",
        "name": "Nom",
        "first_join": "Première arrivée",
        "last_leave": "Dernier départ",
        "in_meeting": "Durée dans la réunion",
        "email": "E-mail",
        "upn": "ID du participant (UPN)",
        "role": "Rôle",
        "join": "Heure d'arrivée",
        "leave": "Heure de départ",
        "duration": "Durée",
        "organizer": "Organisateur",
        "presenter": "Présentateur",
        "attendee": "Participant",
    },
}


def _synonyms(key: str, *extra: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys([*(norm_header(labels[key]) for labels in LABELS.values()), *extra]))


NAME = _synonyms("name", "full name", "nombre completo", "nome completo", "nom complet", "display name")
EMAIL = _synonyms("email", "e mail", "correo", "email address", "correo electronico", "courriel", "adresse e mail")
FIRST_JOIN = _synonyms("first_join", "primera entrada", "premiere participation", "primeira participacao")
LAST_LEAVE = _synonyms("last_leave", "ultima partida")
IN_MEETING = _synonyms("in_meeting", "duracion de la reunion", "duracao da reuniao", "duree de la reunion")
JOIN = _synonyms("join", "join time", "hora de entrada", "heure d arrivee")
LEAVE = _synonyms("leave", "leave time")
DURATION = _synonyms("duration", "attendance duration")
ROLE = _synonyms("role", "papel", "funcion")
# The 2020 download: one row per event, "Full Name / User Action / Timestamp".
ACTION = ("user action", "actividad del usuario", "accion del usuario", "acao do usuario", "action de l utilisateur")
TIMESTAMP = ("timestamp", "marca de tiempo", "marca de hora", "carimbo de data hora", "horodatage", "date et heure")
_LEAVE_WORDS = ("left", "sal", "izquierda", "saiu", "quitt", "parti")
_ROLE_WORDS = {
    "organizer": "organizer",
    "organiser": "organizer",  # tenants in British English
    "co organiser": "organizer",
    "coorganiser": "organizer",
    "organizadora": "organizer",
    "co organizador": "organizer",
    "organisatrice": "organizer",
    "co organisateur": "organizer",
    "presentadora": "presenter",
    "apresentadora": "presenter",
    "presentatrice": "presenter",
    "co organizer": "organizer",
    "coorganizer": "organizer",
    "organizador": "organizer",
    "coorganizador": "organizer",
    "organisateur": "organizer",
    "coorganisateur": "organizer",
    "presenter": "presenter",
    "presentador": "presenter",
    "moderador": "presenter",
    "apresentador": "presenter",
    "presentateur": "presenter",
}
_DAY_FIRST_WORDS = {"resumen", "resumo", "resume", "participantes", "actividades", "atividades", "activites"}


def _kind(block: Block) -> str | None:
    """'participants', 'activities' or None, from the header's shape; the title number decides ties."""
    h = block.header
    if find_column(h, *NAME) is not None and find_column(h, *ACTION) is not None and find_column(h, *TIMESTAMP):
        return "actions"
    if find_column(h, *NAME) is None or find_column(h, *EMAIL, contains="upn") is None:
        return None
    if find_column(h, *FIRST_JOIN, *LAST_LEAVE, *IN_MEETING) is not None:
        return "participants"
    if find_column(h, *JOIN, *LEAVE) is not None:
        return "activities"
    if find_column(h, *DURATION) is not None or find_column(h, *ROLE) is not None:
        return "activities" if block.title.strip().startswith("3") else "participants"
    return None


def matches(blocks: list[Block], delimiter: str) -> bool:
    if delimiter != "\t":  # re-saved by Excel: only Teams-only columns (Zoom has no role or UPN) decide
        teams_only = (*FIRST_JOIN, *IN_MEETING, *ROLE)
        return any(_kind(b) and find_column(b.header, *teams_only, contains="upn") is not None for b in blocks)
    return any(_kind(b) for b in blocks)


def _day_first(blocks: list[Block]) -> bool:
    """Spanish, Portuguese and French reports write day/month; English ones month/day."""
    words = set()
    for block in blocks:
        words.update(norm_header(block.title).split())
        words.update(norm_header(h) for h in block.header)
    return bool(words & _DAY_FIRST_WORDS) or "nombre" in words or "nome" in words or "nom" in words


def parse(blocks: list[Block]) -> tuple[list[RawRow], list[RowError], int]:
    kinds = [(b, _kind(b)) for b in blocks]
    participants = [b for b, k in kinds if k == "participants"]
    activities = [b for b, k in kinds if k == "activities"]
    default_day_first = _day_first(blocks)
    rows: list[RawRow] = []
    errors: list[RowError] = []
    chosen = participants or activities
    if not chosen:
        chosen = [b for b, k in kinds if k == "actions"]
        for block in chosen:
            _parse_actions(block, default_day_first, rows, errors)
    for block in participants or activities:
        _parse_block(block, bool(participants), default_day_first, rows, errors)
    if participants and activities:
        _count_joins(rows, activities)
    return rows, errors, sum(len(b.rows) for b in chosen)


def _columns(h: list[str], summary: bool) -> dict[str, int | None]:
    return {
        "name": find_column(h, *NAME),
        "email": find_column(h, *EMAIL),
        "upn": find_column(h, contains="upn"),
        "role": find_column(h, *ROLE),
        "join": find_column(h, *FIRST_JOIN) if summary else find_column(h, *JOIN),
        "leave": find_column(h, *LAST_LEAVE) if summary else find_column(h, *LEAVE),
        "duration": find_column(h, *IN_MEETING, *DURATION),
    }


def _parse_block(block: Block, summary: bool, day_first: bool, rows: list[RawRow], errors: list[RowError]) -> None:
    col = _columns(block.header, summary)
    needed = max(i for i in (col["name"], col["email"]) if i is not None)
    day_first = day_first_for((cell(c, col["join"]) for _line, c in block.rows), default=day_first)
    for line, cells in block.rows:
        if any("\ufffd" in c for c in cells):
            errors.append(misencoded_error(line))
            continue
        if len(cells) <= needed:
            errors.append(incomplete_error(line, len(cells), len(block.header)))
            continue
        row = _row(line, cells, col, summary, day_first, errors)
        if row is not None:
            rows.append(row)


def _email(cells: list[str], col: dict[str, int | None]) -> str:
    email = cell(cells, col["email"])
    upn = cell(cells, col["upn"])
    if not email and "@" in upn and "#ext#" not in upn.lower():
        return upn
    return email


def _row(
    line: int, cells: list[str], col: dict[str, int | None], summary: bool, day_first: bool, errors: list[RowError]
) -> RawRow | None:
    raw_email = _email(cells, col)
    try:
        email = clean_email(raw_email)
    except ValueError:
        errors.append(bad_email_error(line, raw_email))
        return None
    raw_duration = cell(cells, col["duration"])
    seconds = parse_duration(raw_duration, bare_unit=1) if raw_duration else None
    if raw_duration and seconds is None:
        errors.append(bad_duration_error(line, raw_duration))
        return None
    role = _ROLE_WORDS.get(norm_header(cell(cells, col["role"])), "attendee")
    row = RawRow(line=line, name=cell(cells, col["name"]), email=email, role=role, seconds=seconds)
    if not summary:  # activity rows are exact presence intervals; First Join/Last Leave are not
        row.join = parse_datetime(cell(cells, col["join"]), day_first=day_first)
        row.leave = parse_datetime(cell(cells, col["leave"]), day_first=day_first)
        if row.join and row.leave and row.leave < row.join:
            row.join = row.leave = None
        if row.seconds is None and not (row.join and row.leave):
            row.seconds = 0
    elif row.seconds is None:
        row.seconds = 0
    return row


def _count_joins(rows: list[RawRow], activities: list[Block]) -> None:
    """Participants rows stand for people; the activity rows say how many times each joined."""
    counts: dict[str, int] = {}
    for block in activities:
        col = _columns(block.header, summary=False)
        for _line, cells in block.rows:
            key = (_email(cells, col) or fold(cell(cells, col["name"]))).lower()
            if key:
                counts[key] = counts.get(key, 0) + 1
    for row in rows:
        key = (row.email or fold(row.name)).lower()
        row.joins = max(counts.get(key, 1), 1)


def _parse_actions(block: Block, day_first: bool, rows: list[RawRow], errors: list[RowError]) -> None:
    """Pair each person's Joined/Left events (in time order) into presence intervals."""
    h = block.header
    name_at, action_at, time_at = find_column(h, *NAME), find_column(h, *ACTION), find_column(h, *TIMESTAMP)
    day_first = day_first_for((cell(c, time_at) for _line, c in block.rows), default=day_first)
    events: dict[str, list[tuple[datetime, bool, int, str]]] = {}
    for line, cells in block.rows:
        if any("\ufffd" in c for c in cells):
            errors.append(misencoded_error(line))
            continue
        moment = parse_datetime(cell(cells, time_at), day_first=day_first)
        if moment is None:
            errors.append(bad_date_error(line, cell(cells, time_at)))
            continue
        name = cell(cells, name_at)
        leaving = any(word in fold(cell(cells, action_at)) for word in _LEAVE_WORDS)
        events.setdefault(fold(name) or f"#{line}", []).append((moment, not leaving, line, name))
    last = max((e[0] for person in events.values() for e in person), default=None)
    for person in events.values():
        rows.extend(_intervals(sorted(person), last))


def _intervals(events: list[tuple[datetime, bool, int, str]], last: datetime | None) -> list[RawRow]:
    out: list[RawRow] = []
    opened: tuple[datetime, int] | None = None
    name = events[0][3]
    for moment, joining, line, _name in events:
        if joining and opened is None:
            opened = (moment, line)
        elif not joining and opened is not None:
            out.append(RawRow(line=opened[1], name=name, email=None, join=opened[0], leave=moment))
            opened = None
    if opened is not None:  # still in the meeting when the list was downloaded
        out.append(RawRow(line=opened[1], name=name, email=None, join=opened[0], leave=last or opened[0]))
    return out or [RawRow(line=events[0][2], name=name, email=None, seconds=0)]
