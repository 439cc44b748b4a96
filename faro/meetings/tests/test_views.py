import datetime
import io

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertInHTML

from conftest import institution_of, make_person, make_user, state_of
from faro.accounts.models import User
from faro.directory.models import MemberState
from faro.meetings import services
from faro.meetings.models import Attendance, Delegation, Meeting, Participant
from faro.meetings.tests.conftest import exe_upload, pdf_upload

MANAGE_PAGES = [
    "meetings:manage_meeting",
    "meetings:meeting_edit",
    "meetings:checkin",
    "meetings:participants",
    "meetings:badges",
    "meetings:session_create",
    "meetings:document_create",
]
NO_ROLES = {"roles-TOTAL_FORMS": "0", "roles-INITIAL_FORMS": "0"}


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_the_public_list_and_page_show_public_meetings(client: Client, meeting: Meeting) -> None:
    response = client.get(reverse("meetings:meetings"))
    assert "XIII Regular Meeting of the CIP" in response.content.decode()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Buenos Aires" in page
    assert "https://meet.example.org/xiii" not in page  # the link is for registered people only


def test_the_online_link_is_shown_to_registered_people(
    client: Client, accredited: Delegation, focal_point: User
) -> None:
    page = login(client, focal_point).get(accredited.meeting.get_absolute_url()).content.decode()
    assert "https://meet.example.org/xiii" in page


def test_a_private_meeting_is_hidden_from_outsiders(client: Client, outsider: User, staff: User) -> None:
    hidden = services.create_meeting(
        acting_user=staff,
        kind="tag",
        title={"en": "Closed TAG"},
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 1),
        is_public=False,
    )
    assert login(client, outsider).get(hidden.get_absolute_url()).status_code == 404
    assert login(client, staff).get(hidden.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_staff_pages_are_404_for_everyone_else(
    client: Client, meeting: Meeting, persona: str, name: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert login(client, user).get(reverse(name, args=[meeting.pk])).status_code == 404


def test_staff_pages_send_anonymous_visitors_to_log_in(client: Client, meeting: Meeting) -> None:
    response = client.get(reverse("meetings:manage_meeting", args=[meeting.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_staff_pages_render(client: Client, accredited: Delegation, staff: User, name: str) -> None:
    assert login(client, staff).get(reverse(name, args=[accredited.meeting.pk])).status_code == 200


def test_staff_create_a_meeting(client: Client, staff: User) -> None:
    data = {
        "kind": "workshop",
        "title_0": "Port security workshop",
        "title_2": "",
        "start_date": "2026-03-10",
        "end_date": "2026-03-11",
        "time_zone": "America/Panama",
        "mode": "hybrid",
        "is_public": "on",
        "document_series": "CIDI/CIP",
        "online_link": "https://meet.example.org/w",
    }
    response = login(client, staff).post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.title["en"] == "Port security workshop"
    assert meeting.mode == "hybrid"


def test_a_meeting_with_a_bad_time_zone_is_refused(client: Client, staff: User) -> None:
    data = {
        "kind": "workshop",
        "title_0": "W",
        "start_date": "2026-03-10",
        "end_date": "2026-03-09",
        "time_zone": "Mars/Olympus",
        "mode": "on_site",
        "document_series": "CIDI/CIP",
    }
    response = login(client, staff).post(reverse("meetings:meeting_create"), data)
    assert response.status_code == 400
    assert not Meeting.objects.exists()


def test_a_focal_point_sees_invitations_and_registers(
    client: Client, meeting: Meeting, focal_point: User, staff: User
) -> None:
    services.invite_member_states(meeting, acting_user=staff)
    login(client, focal_point)
    page = client.get(reverse("meetings:delegations")).content.decode()
    assert "Register the delegation of Jamaica" in page
    response = client.post(
        reverse("meetings:delegation_register", args=[meeting.pk]),
        {"member_state": focal_point.roles.get().member_state_id},
    )
    delegation = Delegation.objects.get()
    assert response["Location"] == reverse("meetings:delegation", args=[delegation.pk])


def test_a_withdrawn_state_cannot_register(client: Client, meeting: Meeting) -> None:
    nicaragua = MemberState.objects.get(code="NI")
    person = make_person("Luis", "Ortiz", "NI", email="luis@epn.example.ni")
    user = make_user("luis@epn.example.ni", person=person, role="focal_point", member_state=nicaragua)
    response = login(client, user).post(
        reverse("meetings:delegation_register", args=[meeting.pk]), {"member_state": nicaragua.pk}, follow=True
    )
    assert "is not taking part in the CIP" in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_focal_point_cannot_register_another_state_by_post(
    client: Client, meeting: Meeting, focal_point: User, peru: MemberState
) -> None:
    response = login(client, focal_point).post(
        reverse("meetings:delegation_register", args=[meeting.pk]), {"member_state": peru.pk}, follow=True
    )
    assert "not the focal point of Peru" in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_focal_point_adds_people_and_submits(
    client: Client, jamaica_delegation: Delegation, focal_point: User
) -> None:
    login(client, focal_point)
    url = reverse("meetings:participant_create", args=[jamaica_delegation.pk])
    data = {
        "first_name": "Marlon",
        "last_name": "Grant",
        "email": "marlon@pa.example.jm",
        "role": "head",
        "preferred_language": "en",
        "travel_funded": "on",
        "fare": "900",
        "per_diem": "250",
        "paid_by": "OAS",
    }
    assert client.post(url, data).status_code == 302
    upload = client.post(
        reverse("meetings:credentials_upload", args=[jamaica_delegation.pk]), {"credentials": pdf_upload()}
    )
    assert upload.status_code == 302
    client.post(reverse("meetings:delegation_submit", args=[jamaica_delegation.pk]), {"confirm": "yes"})
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == "submitted"
    assert jamaica_delegation.participants.get().fare == 900


def test_funded_travel_needs_who_pays(client: Client, jamaica_delegation: Delegation, focal_point: User) -> None:
    data = {"first_name": "A", "last_name": "B", "role": "delegate", "preferred_language": "en", "travel_funded": "on"}
    response = login(client, focal_point).post(
        reverse("meetings:participant_create", args=[jamaica_delegation.pk]), data
    )
    assert response.status_code == 400
    assert "Say who pays" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_credentials_letter_is_downloaded_as_what_it_is_never_as_the_uploaders_type(
    client: Client, jamaica_delegation: Delegation, focal_point: User
) -> None:
    """Uploaded as `letter.html` with type text/html (the content is a PDF): served as a PDF download."""
    upload = pdf_upload(name="letter.html")
    upload.content_type = "text/html"
    services.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=upload)
    response = login(client, focal_point).get(reverse("meetings:credentials", args=[jamaica_delegation.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="credentials-{jamaica_delegation.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_credentials_letter_that_is_not_a_pdf_or_image_is_refused(
    client: Client, jamaica_delegation: Delegation, focal_point: User
) -> None:
    url = reverse("meetings:credentials_upload", args=[jamaica_delegation.pk])
    response = login(client, focal_point).post(url, {"credentials": exe_upload()})
    assert response.status_code == 400
    assert "not an accepted type" in response.content.decode()
    jamaica_delegation.refresh_from_db()
    assert not jamaica_delegation.credentials


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("meetings:delegation", "get"),
        ("meetings:participant_create", "post"),
        ("meetings:credentials_upload", "post"),
        ("meetings:delegation_submit", "post"),
        ("meetings:credentials", "get"),
    ],
)
def test_a_focal_point_editing_another_countrys_delegation_gets_404(
    client: Client, peru_delegation: Delegation, focal_point: User, name: str, method: str
) -> None:
    url = reverse(name, args=[peru_delegation.pk])
    data = {
        "first_name": "X",
        "last_name": "Y",
        "role": "delegate",
        "preferred_language": "en",
        "credentials": pdf_upload(),
    }
    response = getattr(login(client, focal_point), method)(url, data if method == "post" else None)
    assert response.status_code == 404
    assert not peru_delegation.participants.exists()


@pytest.mark.parametrize("persona", ["outsider", "participant", "reviewer", "partner"])
def test_other_personas_cannot_open_a_delegation(
    client: Client, jamaica_delegation: Delegation, persona: str, request: pytest.FixtureRequest
) -> None:
    user = request.getfixturevalue(persona)
    assert login(client, user).get(reverse("meetings:delegation", args=[jamaica_delegation.pk])).status_code == 404


def test_staff_cannot_accredit_a_delegation_that_was_never_submitted(
    client: Client, jamaica_delegation: Delegation, head: Participant, staff: User
) -> None:
    response = login(client, staff).post(
        reverse("meetings:delegation_review", args=[jamaica_delegation.pk]), {"decision": "accredit"}
    )
    assert response.status_code == 400
    assert "Only a delegation submitted" in response.content.decode()
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == Delegation.Status.DRAFT


def test_removing_a_participant_of_another_country_is_404(
    client: Client, head: Participant, peru_focal_point: User
) -> None:
    assert (
        login(client, peru_focal_point).post(reverse("meetings:participant_remove", args=[head.pk])).status_code == 404
    )
    assert Participant.objects.filter(pk=head.pk).exists()


def test_staff_accredit_or_ask_for_corrections(
    client: Client, jamaica_delegation: Delegation, head: Participant, staff: User
) -> None:
    login(client, staff)
    url = reverse("meetings:delegation_review", args=[jamaica_delegation.pk])
    Delegation.objects.filter(pk=jamaica_delegation.pk).update(status=Delegation.Status.SUBMITTED)
    assert client.post(url, {"decision": "corrections", "message": ""}).status_code == 400
    client.post(url, {"decision": "corrections", "message": "Letter unsigned"})
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == "corrections"
    assert jamaica_delegation.review_message == "Letter unsigned"
    assert client.post(url, {"decision": "accredit"}).status_code == 400  # not submitted again yet
    Delegation.objects.filter(pk=jamaica_delegation.pk).update(status=Delegation.Status.SUBMITTED)
    client.post(url, {"decision": "accredit"})
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == "accredited"


def test_status_change_from_the_staff_page(client: Client, meeting: Meeting, staff: User) -> None:
    login(client, staff).post(
        reverse("meetings:meeting_status", args=[meeting.pk]), {"status": "cancelled", "note_0": "Sorry"}
    )
    meeting.refresh_from_db()
    assert meeting.status == "cancelled"
    assert meeting.status_note["en"] == "Sorry"


def test_check_in_by_badge_code_twice_records_once(
    client: Client, accredited: Delegation, head: Participant, staff: User
) -> None:
    url = reverse("meetings:checkin", args=[accredited.meeting.pk])
    login(client, staff)
    first = client.post(url, {"code": head.badge_code, "day": "2027-05-20"}, follow=True)
    assert "Marlon Grant is checked in" in first.content.decode()
    second = client.post(url, {"code": head.badge_code, "day": "2027-05-20"}, follow=True)
    assert "already checked in" in second.content.decode()
    assert Attendance.objects.count() == 1


@pytest.mark.parametrize("code", ["forged-AAAAAAAAAAAAAAAA", "' OR 1=1 --"])
def test_a_forged_badge_code_records_nothing(client: Client, accredited: Delegation, staff: User, code: str) -> None:
    response = login(client, staff).post(
        reverse("meetings:checkin", args=[accredited.meeting.pk]), {"code": code, "day": "2027-05-20"}
    )
    assert response.status_code == 400
    assert "No badge has this code" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_foreign_badge_code_records_nothing(
    client: Client, accredited: Delegation, head: Participant, other_meeting: Meeting, staff: User
) -> None:
    response = login(client, staff).post(
        reverse("meetings:checkin", args=[other_meeting.pk]), {"code": head.badge_code, "day": "2027-10-01"}
    )
    assert response.status_code == 400
    assert "belongs to another meeting" in response.content.decode()
    assert not Attendance.objects.exists()


def test_check_in_by_name_search(client: Client, accredited: Delegation, head: Participant, staff: User) -> None:
    login(client, staff)
    url = reverse("meetings:checkin", args=[accredited.meeting.pk])
    page = client.get(url, {"q": "marlon GRANT", "day": "2027-05-21"}).content.decode()
    assert "Check in Marlon Grant" in page
    client.post(url, {"participant": head.pk, "day": "2027-05-21"})
    assert Attendance.objects.get().day == datetime.date(2027, 5, 21)


def test_check_in_outside_the_meeting_days_is_refused(
    client: Client, accredited: Delegation, head: Participant, staff: User
) -> None:
    response = login(client, staff).post(
        reverse("meetings:checkin", args=[accredited.meeting.pk]), {"code": head.badge_code, "day": "2027-06-01"}
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_badges_pdf_holds_name_delegation_role_and_code(
    client: Client, accredited: Delegation, head: Participant, staff: User, focal_point: User
) -> None:
    peru = services.register_delegation(
        accredited.meeting, acting_user=staff, member_state=MemberState.objects.get(code="PE")
    )
    for n in range(9):
        services.add_participant(
            peru,
            acting_user=staff,
            first_name=f"Ana{n}",
            last_name="Quispe",
            role="head" if n == 0 else "delegate",
        )
    services.upload_credentials(peru, acting_user=staff, upload=pdf_upload())
    services.submit_delegation(peru, acting_user=staff)
    services.accredit_delegation(peru, acting_user=staff)
    response = login(client, staff).get(reverse("meetings:badges", args=[accredited.meeting.pk]), {"language": "fr"})
    assert response["Content-Type"] == "application/pdf"
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 2  # ten badges, eight per page
    text = _pdf_text(response.content)
    assert "Marlon" in text
    assert "Grant" in text
    assert "Jamaïque" in text
    assert "Chef de délégation" in text
    assert head.badge_code in text
    assert "Pérou" in text


def test_participants_list_as_xlsx_in_spanish(
    client: Client, accredited: Delegation, head: Participant, staff: User
) -> None:
    from openpyxl import load_workbook

    response = login(client, staff).get(
        reverse("meetings:participants", args=[accredited.meeting.pk]), {"format": "xlsx", "language": "es"}
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Delegación", "Función", "Nombre")
    assert rows[1][:3] == ("Jamaica", "Jefe de delegación", "Marlon Grant")


def test_a_delegate_name_typed_as_a_formula_stays_text_in_the_staff_workbook(
    client: Client, meeting: Meeting, focal_point: User, staff: User
) -> None:
    """The attack: a focal point names a delegate `=cmd|' /C calc'!A0`; staff open the XLSX."""
    from faro.lib.tests.test_formulas import HOSTILE, formula_problems_xlsx

    delegation = services.register_delegation(meeting, acting_user=focal_point, member_state=state_of(focal_point))
    for index, value in enumerate(HOSTILE):
        services.add_participant(
            delegation,
            acting_user=focal_point,
            first_name=value,
            last_name=value,
            position=value,
            role="head" if index == 0 else "delegate",
        )
    response = login(client, staff).get(reverse("meetings:participants", args=[meeting.pk]), {"format": "xlsx"})
    assert formula_problems_xlsx(response.content) == []


def test_participants_list_as_pdf_in_french(
    client: Client, accredited: Delegation, head: Participant, staff: User
) -> None:
    response = login(client, staff).get(
        reverse("meetings:participants", args=[accredited.meeting.pk]), {"format": "pdf", "language": "fr"}
    )
    text = _pdf_text(response.content)
    assert "Liste des participants" in text
    assert "JAMAÏQUE" in text
    assert "Marlon Grant — Chef de délégation" in text


def test_documents_download_and_restriction(client: Client, meeting: Meeting, staff: User, outsider: User) -> None:
    public = services.add_document(
        meeting, acting_user=staff, title={"en": "Agenda"}, visibility="public", language="es", upload=pdf_upload()
    )
    closed = services.add_document(
        meeting, acting_user=staff, title={"en": "Draft"}, visibility="delegations", language="en", upload=pdf_upload()
    )
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "CIDI/CIP/doc. 1/27" in page
    assert "CIDI/CIP/doc. 2/27" not in page
    assert client.get(reverse("meetings:document_file", args=[public.pk, "es"])).status_code == 200
    assert client.get(reverse("meetings:document_file", args=[public.pk, "fr"])).status_code == 404
    assert login(client, outsider).get(reverse("meetings:document_file", args=[closed.pk, "en"])).status_code == 404


def test_staff_add_session_and_documents_through_pages(client: Client, meeting: Meeting, staff: User) -> None:
    login(client, staff)
    data = {"title_0": "Opening", "day": "2027-05-19", "start": "09:00", "end": "10:00", "room": "A", **NO_ROLES}
    assert client.post(reverse("meetings:session_create", args=[meeting.pk]), data).status_code == 302
    bad = {"title_0": "Late", "day": "2027-05-19", "start": "11:00", "end": "10:00", **NO_ROLES}
    assert client.post(reverse("meetings:session_create", args=[meeting.pk]), bad).status_code == 400
    doc = {"title_0": "Agenda", "visibility": "public", "language": "en", "file": pdf_upload()}
    assert client.post(reverse("meetings:document_create", args=[meeting.pk]), doc).status_code == 302
    document = meeting.documents.get()
    revise = {"language": "en", "file": pdf_upload(), "revise": "1"}
    assert client.post(reverse("meetings:document_files", args=[document.pk]), revise).status_code == 302
    assert [d.reference for d in meeting.documents.all()] == ["CIDI/CIP/doc. 1/27", "CIDI/CIP/doc. 1/27 rev.1"]
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Opening" in page
    assert "09:00" in page


def test_a_partner_registers_observers(client: Client, meeting: Meeting, partner: User) -> None:
    login(client, partner)
    assert client.get(reverse("meetings:manage_meetings")).status_code == 302
    page = client.get(reverse("meetings:delegations")).content.decode()
    assert "Register observers for" in page
    institution = institution_of(partner)
    client.post(reverse("meetings:delegation_register", args=[meeting.pk]), {"institution": institution.pk})
    delegation = Delegation.objects.get(institution=institution)
    data = {"first_name": "Rosa", "last_name": "Quispe", "role": "observer", "preferred_language": "es"}
    assert client.post(reverse("meetings:participant_create", args=[delegation.pk]), data).status_code == 302


def test_delegations_page_is_404_for_people_without_a_role(client: Client, db: None, participant: User) -> None:
    assert login(client, participant).get(reverse("meetings:delegations")).status_code == 404


def test_a_participant_sees_their_own_registration(client: Client, accredited: Delegation, head: Participant) -> None:
    user = make_user("marlon@pa.example.jm", person=head.person)
    page = login(client, user).get(accredited.meeting.get_absolute_url()).content.decode()
    assert "You are registered as Head of delegation, delegation of Jamaica (Accredited)" in page
    assert "https://meet.example.org/xiii" in page


def test_the_list_orders_delegations_by_name_in_the_language_and_people_by_role(
    accredited: Delegation, head: Participant, staff: User
) -> None:
    from faro.meetings import printing

    for code in ["EC", "BR"]:
        delegation = services.register_delegation(
            accredited.meeting, acting_user=staff, member_state=MemberState.objects.get(code=code)
        )
        for first, role in [("Zoe", "adviser"), ("Ana", "delegate"), ("Bea", "delegate"), ("Luz", "head")]:
            services.add_participant(delegation, acting_user=staff, first_name=first, last_name="Silva", role=role)
        services.upload_credentials(delegation, acting_user=staff, upload=pdf_upload())
        services.submit_delegation(delegation, acting_user=staff)
        services.accredit_delegation(delegation, acting_user=staff)
    groups = printing.participant_groups(accredited.meeting, "fr")
    assert [name for name, _rows in groups] == ["Brésil", "Équateur", "Jamaïque"]
    assert [row.name for row in groups[0][1]] == ["Luz Silva", "Ana Silva", "Bea Silva", "Zoe Silva"]


def test_staff_edit_a_meeting(client: Client, meeting: Meeting, staff: User) -> None:
    data = {
        "kind": "regular",
        "title_0": "XIII Regular Meeting of the CIP",
        "title_3": "XIIIe Réunion",
        "start_date": "2027-05-19",
        "end_date": "2027-05-22",
        "time_zone": "America/Argentina/Buenos_Aires",
        "mode": "hybrid",
        "is_public": "on",
        "document_series": "CIDI/CIP",
        "city": "Rosario",
    }
    response = login(client, staff).post(reverse("meetings:meeting_edit", args=[meeting.pk]), data)
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.city, meeting.end_date, meeting.mode) == ("Rosario", datetime.date(2027, 5, 22), "hybrid")
    assert meeting.title["fr"] == "XIIIe Réunion"


def test_past_meetings_come_in_pages_and_upcoming_ones_stay_on_top(
    client: Client, meeting: Meeting, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("faro.core.pagination.PER_PAGE", 2)
    for year in (2001, 2002, 2003):
        services.create_meeting(
            acting_user=None,
            kind="cecip",
            title={"en": f"CECIP {year}"},
            start_date=datetime.date(year, 3, 1),
            end_date=datetime.date(year, 3, 2),
        )
    url = reverse("meetings:meetings")
    first, second = client.get(url), client.get(url, {"page": 2})
    assert "CECIP 2003" in first.text
    assert "CECIP 2002" in first.text
    assert "CECIP 2001" not in first.text
    assert 'href="?page=2"' in first.text
    assert "CECIP 2001" in second.text
    assert "CECIP 2002" not in second.text
    assert "XIII Regular Meeting of the CIP" in first.text
    assert "XIII Regular Meeting of the CIP" in second.text
    for bad in ("abc", "999"):
        assert client.get(url, {"page": bad}).status_code == 200
    assert "CECIP 2001" in client.get(url, {"page": "999"}).text


def test_staff_give_a_meeting_its_languages_and_priority_areas(client: Client, staff: User) -> None:
    from faro.core.models import AuditEntry
    from faro.directory.models import PriorityArea

    first, second = PriorityArea.objects.filter(plan__start_year=2023).order_by("number")[:2]
    data = {
        "kind": "workshop",
        "title_0": "Port security workshop",
        "start_date": "2026-03-10",
        "end_date": "2026-03-11",
        "time_zone": "America/Panama",
        "mode": "on_site",
        "document_series": "CIDI/CIP",
        "languages": ["es", "en"],
        "priority_areas": [first.pk, second.pk],
    }
    login(client, staff)
    assert 'name="priority_areas"' in client.get(reverse("meetings:meeting_create")).text
    assert client.post(reverse("meetings:meeting_create"), data).status_code == 302
    meeting = Meeting.objects.get()
    assert meeting.languages == ["es", "en"]
    assert set(meeting.priority_areas.all()) == {first, second}
    assert meeting.language_names() == ["English", "Spanish"]  # the reader's order, not the order ticked
    edit = {**data, "languages": ["fr"], "priority_areas": [second.pk]}
    assert client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), edit).status_code == 302
    meeting.refresh_from_db()
    assert meeting.languages == ["fr"]
    assert list(meeting.priority_areas.all()) == [second]
    entry = AuditEntry.objects.for_object(meeting).get(action="meetings.meeting.updated")
    assert entry.changes["priority_areas"] == [sorted([first.pk, second.pk]), [second.pk]]
    assert entry.changes["languages"] == [["es", "en"], ["fr"]]


@pytest.mark.parametrize("persona", ["anonymous", "participant", "outsider"])
def test_the_public_page_shows_languages_and_priority_areas_in_the_viewers_language(
    client: Client, meeting: Meeting, persona: str, request: pytest.FixtureRequest
) -> None:
    from faro.directory.models import PriorityArea

    area = PriorityArea.objects.get(plan__start_year=2023, number=2)
    services.update_meeting(meeting, acting_user=None, languages=["es", "fr"], priority_areas=[area])
    if persona != "anonymous":
        login(client, request.getfixturevalue(persona))
    english = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").text
    assert "French, Spanish" in english  # the reader's order, not the order ticked
    assert "2. Port Protection and Security" in english
    spanish = client.get(meeting.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").text
    assert "español, francés" in spanish.lower()
    assert "2. Protección y seguridad portuaria" in spanish


def test_the_public_page_leaves_out_languages_and_areas_when_there_are_none(client: Client, meeting: Meeting) -> None:
    page = client.get(meeting.get_absolute_url()).text
    assert "<dt>Languages</dt>" not in page
    assert "<dt>Priority areas</dt>" not in page


def session_data(**roles: str) -> dict[str, str]:
    base = {"title_0": "Plenary", "day": "2027-05-20", "start": "10:00", "end": "12:00", "room": "Sala 2"}
    management = {"roles-TOTAL_FORMS": "4", "roles-INITIAL_FORMS": "0"}
    blanks = {f"roles-{n}-role": "speaker" for n in range(4)}  # what a browser sends for untouched rows
    return {**base, **management, **blanks, **roles}


def test_staff_pick_chairs_and_speakers_among_participants_or_type_a_guest(
    client: Client, meeting: Meeting, head: Participant, staff: User
) -> None:
    login(client, staff)
    url = reverse("meetings:session_create", args=[meeting.pk])
    form = client.get(url).text
    assert f'<option value="{head.person.pk}">Marlon Grant</option>' in form
    data = session_data(
        **{
            "roles-0-role": "chair",
            "roles-0-person": str(head.person.pk),
            "roles-1-name": "Ana Torres",
            "roles-2-person": str(head.person.pk),
        }
    )
    assert client.post(url, data).status_code == 302
    session = meeting.sessions.get()
    assert [(r.role, r.person, r.name) for r in session.roles.all()] == [
        ("chair", head.person, ""),
        ("speaker", None, "Ana Torres"),
        ("speaker", head.person, ""),
    ]
    client.logout()
    page = client.get(meeting.get_absolute_url()).text
    assertInHTML("<td>Marlon Grant</td><td>Ana Torres, Marlon Grant</td>", page)  # the chair's and speakers' cells
    api = client.get(f"/api/v1/meetings/{meeting.pk}/").json()["sessions"][0]
    assert (api["chairs"], api["speakers"]) == (["Marlon Grant"], ["Ana Torres", "Marlon Grant"])


@pytest.mark.parametrize("bad", ["stranger", "both", "neither", "unknown_id"])
def test_a_session_form_with_a_bad_chair_is_refused_and_writes_nothing(
    client: Client, meeting: Meeting, head: Participant, staff: User, bad: str
) -> None:
    stranger = make_person("Pierre", "Louis", "HT")
    row = {
        "stranger": {"roles-0-person": str(stranger.pk)},
        "both": {"roles-0-person": str(head.person.pk), "roles-0-name": "Ana Torres"},
        "neither": {"roles-0-role": "chair"},
        "unknown_id": {"roles-0-person": "999999"},
    }[bad]
    response = login(client, staff).post(reverse("meetings:session_create", args=[meeting.pk]), session_data(**row))
    assert response.status_code == 400
    assert 'class="message error"' in response.text or "errorlist" in response.text
    assert not meeting.sessions.exists()


def test_staff_edit_a_sessions_chairs_and_speakers_later(
    client: Client, meeting: Meeting, head: Participant, staff: User
) -> None:
    session = services.add_session(
        meeting,
        acting_user=staff,
        title={"en": "Plenary"},
        day=meeting.start_date,
        start=datetime.time(10),
        end=datetime.time(12),
        roles=[{"role": "chair", "name": "To be confirmed"}, {"role": "speaker", "name": "APN"}],
    )
    login(client, staff)
    assert (
        reverse("meetings:session_edit", args=[session.pk])
        in client.get(reverse("meetings:manage_meeting", args=[meeting.pk])).text
    )
    url = reverse("meetings:session_edit", args=[session.pk])
    form = client.get(url).text
    assert 'value="To be confirmed"' in form
    assert 'value="10:00"' in form
    data = {
        "title_0": "Plenary",
        "day": "2027-05-19",
        "start": "10:00",
        "end": "12:00",
        "room": "",
        "roles-TOTAL_FORMS": "6",
        "roles-INITIAL_FORMS": "2",
        "roles-0-role": "chair",
        "roles-0-person": str(head.person.pk),
        "roles-0-name": "",
        "roles-1-role": "speaker",
        "roles-1-name": "APN",
        **{f"roles-{n}-role": "speaker" for n in range(2, 6)},
    }
    assert client.post(url, data).status_code == 302
    assert [(r.role, r.person, r.name) for r in session.roles.all()] == [
        ("chair", head.person, ""),
        ("speaker", None, "APN"),
    ]
    assert client.post(url, {**data, "roles-1-DELETE": "on"}).status_code == 302
    assert [r.display_name for r in session.roles.all()] == ["Marlon Grant"]


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_the_session_edit_page_is_404_for_everyone_but_staff(
    client: Client, meeting: Meeting, staff: User, persona: str, request: pytest.FixtureRequest
) -> None:
    session = services.add_session(
        meeting,
        acting_user=staff,
        title={"en": "Plenary"},
        day=meeting.start_date,
        start=datetime.time(10),
        end=datetime.time(12),
    )
    url = reverse("meetings:session_edit", args=[session.pk])
    assert login(client, request.getfixturevalue(persona)).get(url).status_code == 404
    assert client.post(url, {"title_0": "Hijacked"}).status_code == 404
    assert str(meeting.sessions.get().title) == "Plenary"


def test_submitting_a_delegation_asks_first_and_refuses_a_forged_post(
    client: Client, jamaica_delegation: Delegation, focal_point: User
) -> None:
    url = reverse("meetings:delegation_submit", args=[jamaica_delegation.pk])
    page = login(client, focal_point).get(url)
    assert "You cannot change it until the Secretariat answers" in page.content.decode()
    client.post(url)  # no confirmation: the page again
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == Delegation.Status.DRAFT
    forger = Client(enforce_csrf_checks=True)
    forger.force_login(focal_point)
    assert forger.post(url, {"confirm": "yes"}).status_code == 403
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == Delegation.Status.DRAFT
