"""Printed output: badges (several per A4 page, with a QR code) and the list of participants."""

import io
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from faro.lib.collation import collation_key
from faro.lib.pdf import register_fonts
from faro.lib.qr import qr_png
from faro.lib.xlsx import workbook_bytes
from faro.meetings.models import Meeting, Participant

BADGE_WIDTH, BADGE_HEIGHT = 95 * mm, 64 * mm
COLUMNS, ROWS = 2, 4  # eight badges per A4 page
MARGIN_X = (A4[0] - COLUMNS * BADGE_WIDTH) / 2
MARGIN_Y = (A4[1] - ROWS * BADGE_HEIGHT) / 2


def fonts() -> tuple[str, str]:
    """DejaVu (covers every Latin accent) when installed, else the PDF standard Helvetica."""
    return register_fonts(fallback=True)


@dataclass(frozen=True)
class Row:
    delegation: str
    role: str
    name: str
    position: str
    institution: str
    email: str


def participant_groups(meeting: Meeting, language: str) -> list[tuple[str, list[Row]]]:
    """Accredited delegations as in a final report: member states by name, then observers."""
    participants = Participant.objects.of_meeting(meeting).filter(delegation__status="accredited")
    groups: dict[tuple[bool, str], list[tuple[int, str, Row]]] = {}
    with translation.override(language):
        for p in participants:
            name = p.delegation.name_in(language)
            row = Row(
                name,
                p.role_label,
                p.person.full_name,
                p.person.position,
                str(p.person.institution or ""),
                p.person.email or "",
            )
            groups.setdefault((p.delegation.is_observer, name), []).append((p.role_rank, p.person.last_name, row))
    ordered = sorted(groups.items(), key=lambda item: (item[0][0], collation_key(item[0][1], language)))
    return [
        (
            key[1],
            [
                t[2]
                for t in sorted(
                    rows, key=lambda t: (t[0], collation_key(t[1], language), collation_key(t[2].name, language))
                )
            ],
        )
        for key, rows in ordered
    ]


def participants_xlsx(meeting: Meeting, language: str) -> bytes:
    with translation.override(language):
        header = [_("Delegation"), _("Role"), _("Name"), _("Position"), _("Institution"), _("Email")]
        title = _("Participants")
    rows = [
        (r.delegation, r.role, r.name, r.position, r.institution, r.email)
        for _name, group in participant_groups(meeting, language)
        for r in group
    ]
    return workbook_bytes([(title, header, rows)])


def participants_pdf(meeting: Meeting, language: str) -> bytes:
    """The list of participants, grouped by delegation, in `language`."""
    regular, bold = fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    height = A4[1]
    y = height - 20 * mm

    def line(text: str, font: str, size: float, indent: float = 0, gap: float = 5.5 * mm) -> None:
        nonlocal y
        if y < 20 * mm:
            canvas.showPage()
            y = height - 20 * mm
        canvas.setFont(font, size)
        canvas.drawString(20 * mm + indent, y, text[:110])
        y -= gap

    with translation.override(language):
        line(meeting.title.in_language(language), bold, 14, gap=7 * mm)
        line(_("List of participants"), bold, 12, gap=9 * mm)
        for name, rows in participant_groups(meeting, language):
            y -= 2 * mm
            line(name.upper(), bold, 11, gap=6 * mm)
            for r in rows:
                line(f"{r.name} — {r.role}", regular, 10, indent=6 * mm, gap=4.5 * mm)
                detail = ", ".join(x for x in [r.position, r.institution] if x)
                if detail:
                    line(detail, regular, 8.5, indent=6 * mm)
    canvas.save()
    return buffer.getvalue()


def _badge(canvas: Canvas, participant: Participant, x: float, y: float, meeting_title: str) -> None:
    regular, bold = fonts()
    canvas.setStrokeColorRGB(0.6, 0.6, 0.6)
    canvas.rect(x, y, BADGE_WIDTH, BADGE_HEIGHT)
    canvas.setFillColorRGB(0.043, 0.31, 0.424)
    canvas.rect(x, y + BADGE_HEIGHT - 11 * mm, BADGE_WIDTH, 11 * mm, stroke=0, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont(bold, 8.5)
    canvas.drawString(x + 4 * mm, y + BADGE_HEIGHT - 7 * mm, meeting_title[:60])
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFont(bold, 14)
    canvas.drawString(x + 4 * mm, y + 36 * mm, participant.person.first_name[:24])
    canvas.drawString(x + 4 * mm, y + 30 * mm, participant.person.last_name[:24])
    canvas.setFont(regular, 10)
    canvas.drawString(x + 4 * mm, y + 20 * mm, participant.delegation.name[:34])
    canvas.setFont(bold, 10)
    canvas.drawString(x + 4 * mm, y + 12 * mm, participant.role_label[:34])
    qr = ImageReader(io.BytesIO(qr_png(participant.badge_code, scale=4, border=1)))
    canvas.drawImage(qr, x + BADGE_WIDTH - 30 * mm, y + 4 * mm, 26 * mm, 26 * mm)
    canvas.setFont(regular, 6)
    canvas.drawString(x + BADGE_WIDTH - 30 * mm, y + 2 * mm, participant.badge_code)


def badges_pdf(meeting: Meeting, language: str) -> bytes:
    """Badges for accredited participants, eight to an A4 page, cut along the frames."""
    participants = sorted(
        Participant.objects.of_meeting(meeting).filter(delegation__status="accredited"),
        key=lambda p: (
            p.delegation.is_observer,
            collation_key(p.delegation.name_in(language), language),
            p.role_rank,
            collation_key(p.person.last_name, language),
        ),
    )
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    title = meeting.title.in_language(language)
    with translation.override(language):
        for index, participant in enumerate(participants):
            slot = index % (COLUMNS * ROWS)
            if index and slot == 0:
                canvas.showPage()
            column, row = slot % COLUMNS, slot // COLUMNS
            x = MARGIN_X + column * BADGE_WIDTH
            y = A4[1] - MARGIN_Y - (row + 1) * BADGE_HEIGHT
            _badge(canvas, participant, x, y, title)
        if not participants:
            canvas.setFont(fonts()[0], 12)
            canvas.drawString(20 * mm, A4[1] - 20 * mm, _("No accredited participants yet."))
    canvas.save()
    return buffer.getvalue()
