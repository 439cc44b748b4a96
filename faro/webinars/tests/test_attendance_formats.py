"""The attendance parsers on hand-written files shaped exactly like the platforms' exports."""

from pathlib import Path

import pytest

from faro.webinars.attendance import AttendeeRecord, ParsedReport, is_anonymous, parse_attendance, report_to_json

FIXTURES = Path(__file__).parent / "fixtures"


def parse(name: str) -> ParsedReport:
    return parse_attendance((FIXTURES / name).read_bytes(), filename=name)


def by_email(report: ParsedReport) -> dict[str | None, AttendeeRecord]:
    return {a.email: a for a in report.attendees if a.email}


def test_it_reads_a_zoom_webinar_report_with_bom_blocks_and_rejoins() -> None:
    report = parse("zoom_webinar_bom_rejoins.csv")
    people = by_email(report)
    assert report.format == "zoom-webinar"
    assert report.rows == 12
    assert report.errors == []
    assert len(report.attendees) == 8
    assert people["ana.perez@apn.gob.mx"].minutes == 85
    assert people["ana.perez@apn.gob.mx"].joins == 3


def test_it_counts_overlapping_zoom_sessions_once() -> None:
    carlos = by_email(parse("zoom_webinar_bom_rejoins.csv"))["cbrown@portauthority.gov.jm"]
    assert carlos.minutes == 75  # 10:05–11:00 and 10:30–11:20 on two devices, not 55 + 50
    assert carlos.joins == 2


def test_it_keeps_hosts_and_panelists_apart_from_attendees() -> None:
    people = by_email(parse("zoom_webinar_bom_rejoins.csv"))
    assert people["cip.secretariat@oas.org"].role == "host"
    assert people["mflopez@puertosmexico.gob.mx"].role == "panelist"
    assert people["raznar@fundacion.valenciaport.com"].minutes == 93
    assert people["slaurent@apn.gouv.ht"].role == "attendee"


def test_a_registrant_who_did_not_attend_has_zero_minutes_and_keeps_the_email() -> None:
    dwayne = by_email(parse("zoom_webinar_bom_rejoins.csv"))["dcampbell@barbadosport.com"]
    assert dwayne.minutes == 0
    assert dwayne.name == "Dwayne Campbell"


def test_it_prefers_registration_names_and_country() -> None:
    people = by_email(parse("zoom_webinar_bom_rejoins.csv"))
    assert people["jperez@apordom.gob.do"].name == "José Pérez"
    assert people["cbrown@portauthority.gov.jm"].name == "Carlos Brown"
    assert people["ana.perez@apn.gob.mx"].country == "Mexico"
    assert people["ana.perez@apn.gob.mx"].first_line == 15


def test_it_reads_an_older_zoom_webinar_report_with_text_dates_and_lower_case_headers() -> None:
    report = parse("zoom_webinar_2020_textdates.csv")
    people = by_email(report)
    assert report.format == "zoom-webinar"
    assert report.errors == []
    assert people["cip@oas.org"].role == "host"
    assert people["lgomez@enapu.gob.pe"].minutes == 75
    assert people["mdubois@apc.gouv.ht"].minutes == 0


def test_it_reads_a_zoom_meeting_export_after_meeting_columns_with_day_first_dates() -> None:
    report = parse("zoom_meeting_participants_dmy.csv")
    people = by_email(report)
    assert report.format == "zoom-meeting"
    assert report.rows == 8
    assert people["coordinacion@redpbip.mx"].role == "host"
    assert people["jramirez@puertolazarocardenas.com.mx"].minutes == 60
    patricia = next(a for a in report.attendees if a.name == "Patricia Núñez")
    assert (patricia.email, patricia.minutes, patricia.joins) == (None, 53, 2)


def test_anonymous_rows_stay_distinct_people_with_a_placeholder_name() -> None:
    report = parse("zoom_meeting_participants_dmy.csv")
    anonymous = [a for a in report.attendees if is_anonymous(a)]
    assert [a.minutes for a in anonymous] == [20, 10]
    assert len({a.name for a in anonymous}) == 2
    assert len(report.attendees) == 6


def test_it_reads_a_flat_zoom_meeting_export_with_iso_dates() -> None:
    report = parse("zoom_meeting_flat_iso.csv")
    people = by_email(report)
    assert report.format == "zoom-meeting"
    assert people["kjoseph@slaspa.org.lc"].minutes == 75  # email in two casings, one person
    assert len(report.attendees) == 3


def test_it_reads_a_utf16_teams_report_in_english() -> None:
    report = parse("teams_en.csv")
    people = by_email(report)
    assert report.format == "teams"
    assert report.rows == 7
    assert report.errors == []
    assert people["cip@oas.org"].role == "organizer"
    assert people["rsingh@maritime.gov.gy"].role == "presenter"
    assert people["rsingh@maritime.gov.gy"].minutes == 88  # 1h 27m 51s
    assert people["jbpierre@apn.gouv.ht"].minutes == 45  # 45m 3s
    assert people["mtorres@anp.gob.pa"].joins == 2


def test_teams_guests_and_opted_out_attendees_are_kept() -> None:
    report = parse("teams_en.csv")
    grace = next(a for a in report.attendees if a.name == "Grace Williams")
    assert grace.email is None  # the UPN of an external guest is not an address
    assert (grace.seconds, grace.minutes) == (27, 1)  # under a minute is present for that time, not absent
    assert [a.minutes for a in report.attendees if is_anonymous(a)] == [60, 30]


def test_it_reads_a_spanish_teams_report_by_its_shape() -> None:
    report = parse("teams_es.csv")
    people = by_email(report)
    assert report.format == "teams"
    assert report.errors == []
    assert people["secretaria.cip@oas.org"].role == "organizer"
    assert people["lfernandez@anp.com.uy"].role == "presenter"
    assert people["omartinez@enp.gob.gt"].minutes == 66
    assert people["omartinez@enp.gob.gt"].joins == 2
    assert people["vrojas@dimar.mil.co"].name == "Valentina Rojas"


def test_it_adds_up_teams_activities_without_double_counting() -> None:
    report = parse("teams_fr_activities_only.csv")  # UTF-16 BE, French, no Participants section
    nadege = by_email(report)["njoseph@apn.gouv.ht"]
    assert report.format == "teams"
    assert report.rows == 4
    assert (nadege.minutes, nadege.joins) == (43, 3)
    assert by_email(report)["plafontaine@port-montreal.ca"].role == "organizer"


@pytest.mark.parametrize("title", ["1. Summary", "1. Resumen", "1. Résumé", "1. Resumo", "Zusammenfassung"])
def test_section_titles_in_any_language_do_not_matter(title: str) -> None:
    text = (FIXTURES / "teams_en.csv").read_bytes().decode("utf-16").replace("1. Summary", title)
    text = text.replace("2. Participants", "2. Participantes").replace("3. In-Meeting Activities", "3. Atividades")
    report = parse_attendance(b"\xff\xfe" + text.encode("utf-16-le"))
    assert report.format == "teams"
    assert len(report.attendees) == 7


def test_teams_without_bom_is_still_read() -> None:
    text = (FIXTURES / "teams_es.csv").read_bytes().decode("utf-16")
    assert parse_attendance(text.encode("utf-16-le")).format == "teams"
    assert parse_attendance(text.encode("utf-8")).format == "teams"


def test_format_comes_from_content_not_from_the_file_name() -> None:
    data = (FIXTURES / "teams_es.csv").read_bytes()
    assert parse_attendance(data, filename="zoom_webinar.csv").format == "teams"


def test_report_to_json_has_the_documented_shape() -> None:
    result = report_to_json(parse("zoom_meeting_participants_dmy.csv"))
    assert set(result) == {"format", "rows", "attendees", "errors"}
    assert result["attendees"][0] == {
        "name": "Red PBIP México",
        "email": "coordinacion@redpbip.mx",
        "minutes": 75,
        "seconds": 4500,
        "role": "host",
        "external": False,
    }


def test_it_pairs_joined_and_left_events_of_the_2020_teams_attendance_list() -> None:
    report = parse("teams_2020_user_actions.csv")
    minutes = {a.name: (a.minutes, a.joins) for a in report.attendees}
    assert report.format == "teams"
    assert report.rows == 9
    assert minutes["Winston Baptiste"] == (75, 2)  # 40 + 35
    assert minutes["Camila Soto"] == (56, 2)  # still in the meeting at the last event, 11:25:10
    assert minutes["Secretaría CIP"] == (90, 1)


def test_a_teams_report_resaved_by_excel_as_comma_csv_is_still_teams() -> None:
    text = (FIXTURES / "teams_fr_activities_only.csv").read_bytes().decode("utf-16").replace("\t", ",")
    report = parse_attendance(text.encode("utf-8"))
    assert report.format == "teams"
    assert {a.email: a.minutes for a in report.attendees}["njoseph@apn.gouv.ht"] == 43
