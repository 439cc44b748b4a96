import datetime
import io

from icalendar import Calendar
from openpyxl import load_workbook

from faro.lib.ics import CalendarEvent, calendar_bytes
from faro.lib.qr import qr_png, qr_svg
from faro.lib.xlsx import workbook_bytes


def test_qr_codes_render_as_svg_and_png() -> None:
    assert qr_svg("https://faro.example/verify/ABCD").startswith("<svg")
    assert qr_png("ABCD").startswith(b"\x89PNG")


def test_workbook_has_one_sheet_per_breakdown_with_long_titles_cut() -> None:
    data = workbook_bytes([("By member state / region: a very long title", ["State", "People"], [["Jamaica", 3]])])
    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    assert len(sheet.title) <= 31 and "/" not in sheet.title
    assert [c.value for c in sheet[2]] == ["Jamaica", 3]


def test_calendar_parses_back() -> None:
    start = datetime.datetime(2020, 6, 4, 15, tzinfo=datetime.UTC)
    event = CalendarEvent(
        uid="webinar-1@faro", title="Puertos verdes", start=start, end=start + datetime.timedelta(hours=2)
    )
    parsed = Calendar.from_ical(calendar_bytes([event], name="Faro"))
    [vevent] = parsed.walk("VEVENT")
    assert str(vevent["summary"]) == "Puertos verdes"
    assert vevent.decoded("dtstart") == start
