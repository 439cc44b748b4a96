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
    assert len(sheet.title) <= 31
    assert "/" not in sheet.title
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


# --- Collation ---------------------------------------------------------------------------------

from faro.lib.collation import collation_key, sorted_by_name  # noqa: E402


def test_accents_and_case_do_not_move_a_name() -> None:
    assert sorted_by_name(["Perú", "Panamá", "Paraguay", "pérez", "Oman"], language="es") == [
        "Oman",
        "Panamá",
        "Paraguay",
        "pérez",
        "Perú",
    ]


def test_st_is_filed_as_saint_in_english() -> None:
    names = ["Suriname", "St. Kitts & Nevis", "Jamaica", "Mexico", "Saint Martin", "Samoa"]
    assert sorted_by_name(names, language="en") == [
        "Jamaica",
        "Mexico",
        "St. Kitts & Nevis",
        "Saint Martin",
        "Samoa",
        "Suriname",
    ]


def test_french_hyphens_and_elisions_are_word_breaks() -> None:
    names = ["Sainte-Lucie", "Saint-Vincent-et-les Grenadines", "Saint-Christophe-et-Niévès", "Salvador", "États-Unis"]
    assert sorted_by_name(names, language="fr") == [
        "États-Unis",
        "Saint-Christophe-et-Niévès",
        "Saint-Vincent-et-les Grenadines",
        "Sainte-Lucie",
        "Salvador",
    ]


def test_spanish_files_enye_after_n() -> None:
    assert sorted_by_name(["Peña", "Penna", "Pena", "Pez"], language="es") == ["Pena", "Penna", "Peña", "Pez"]
    assert sorted_by_name(["Peña", "Penna"], language="en") == ["Peña", "Penna"]


def test_apostrophes_and_accents_in_peoples_names() -> None:
    """As ICU's default does: an apostrophe separates words, and a separator files before letters."""
    names = ["O'Neill", "Oakes", "Ó Briain", "Obando", "D'Souza", "Da Silva"]
    assert sorted_by_name(names, language="en") == ["D'Souza", "Da Silva", "Ó Briain", "O'Neill", "Oakes", "Obando"]


def test_the_key_is_total_and_prefers_the_plain_spelling_on_a_tie() -> None:
    assert collation_key("Peru", "es") < collation_key("Perú", "es")
    assert sorted_by_name(["Perú", "Peru", "peru"], language="es") == ["peru", "Peru", "Perú"]
