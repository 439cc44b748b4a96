import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import TestCase

from conftest import make_person, make_user, state_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory.models import Institution, MemberState
from faro.meetings import services
from faro.meetings.models import (
    Attendance,
    Delegation,
    Document,
    DocumentCounter,
    Invitation,
    Meeting,
    Participant,
    SessionRole,
)
from faro.meetings.tests.conftest import exe_upload, pdf_upload


def test_creating_a_meeting_is_audited(meeting: Meeting) -> None:
    assert AuditEntry.objects.for_object(meeting).filter(action="meetings.meeting.created").exists()
    assert meeting.get_absolute_url() == f"/meetings/{meeting.pk}/"
    assert Meeting.objects.public().filter(pk=meeting.pk).exists()


def test_invitations_go_to_participating_states_only(meeting: Meeting, focal_point: User, staff: User) -> None:
    with TestCase.captureOnCommitCallbacks(execute=True):
        invited = services.invite_member_states(meeting, acting_user=staff)
    codes = {i.member_state.code for i in invited}
    assert "CU" not in codes
    assert "NI" not in codes  # Cuba does not take part; Nicaragua left in Nov 2023
    assert {"JM", "AR", "PE"} <= codes
    assert [m.to for m in mail.outbox] == [["andre@pa.example.jm"]]
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert services.invite_member_states(meeting, acting_user=staff) == []  # idempotent


def test_nicaragua_took_part_before_it_left(db: None) -> None:
    old = services.create_meeting(
        acting_user=None,
        kind="workshop",
        title={"en": "W"},
        start_date=datetime.date(2021, 5, 19),
        end_date=datetime.date(2021, 5, 21),
    )
    assert "NI" in {s.code for s in services.states_to_invite(old)}


@pytest.mark.parametrize("code", ["NI", "CU"])
def test_a_state_not_taking_part_cannot_register(meeting: Meeting, staff: User, code: str) -> None:
    state = MemberState.objects.get(code=code)
    with pytest.raises(ValidationError, match="not taking part"):
        services.register_delegation(meeting, acting_user=staff, member_state=state)
    assert not Delegation.objects.exists()


def test_a_focal_point_cannot_register_another_state(meeting: Meeting, focal_point: User, peru: MemberState) -> None:
    with pytest.raises(ValidationError):
        services.register_delegation(meeting, acting_user=focal_point, member_state=peru)
    assert not Delegation.objects.exists()


def test_registering_twice_gives_the_same_delegation(jamaica_delegation: Delegation, focal_point: User) -> None:
    again = services.register_delegation(
        jamaica_delegation.meeting, acting_user=focal_point, member_state=state_of(focal_point)
    )
    assert again == jamaica_delegation


def test_a_credentials_letter_must_be_a_pdf_or_image(jamaica_delegation: Delegation, focal_point: User) -> None:
    with pytest.raises(ValidationError, match="not an accepted type"):
        services.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=exe_upload())
    jamaica_delegation.refresh_from_db()
    assert not jamaica_delegation.credentials
    assert not AuditEntry.objects.filter(action="meetings.delegation.credentials_uploaded").exists()


def test_an_incomplete_delegation_cannot_be_submitted(jamaica_delegation: Delegation, focal_point: User) -> None:
    with pytest.raises(ValidationError) as error:
        services.submit_delegation(jamaica_delegation, acting_user=focal_point)
    assert len(error.value.messages) == 3
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == Delegation.Status.DRAFT


def test_only_one_head_and_one_registration_per_meeting(
    head: Participant, jamaica_delegation: Delegation, peru_delegation: Delegation, focal_point: User, staff: User
) -> None:
    with pytest.raises(ValidationError, match="already has a head"):
        services.add_participant(
            jamaica_delegation, acting_user=focal_point, first_name="A", last_name="B", role="head"
        )
    with pytest.raises(ValidationError, match="already registered"):
        services.add_participant(
            peru_delegation,
            acting_user=staff,
            first_name="M",
            last_name="G",
            email="MARLON@pa.example.jm",
            role="adviser",
        )


def test_travel_funding_is_recorded(jamaica_delegation: Delegation, focal_point: User) -> None:
    from decimal import Decimal

    participant = services.add_participant(
        jamaica_delegation,
        acting_user=focal_point,
        first_name="Simone",
        last_name="Clarke",
        role="delegate",
        travel_funded=True,
        fare=Decimal("912.50"),
        per_diem=Decimal("247"),
        paid_by="OAS",
    )
    assert (participant.fare, participant.per_diem, participant.paid_by) == (Decimal("912.50"), Decimal("247"), "OAS")
    assert participant.person.member_state == jamaica_delegation.member_state


def test_accreditation_and_corrections_notify_the_focal_point(
    jamaica_delegation: Delegation, head: Participant, focal_point: User, staff: User
) -> None:
    services.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=pdf_upload())
    services.submit_delegation(jamaica_delegation, acting_user=focal_point)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.request_corrections(jamaica_delegation, acting_user=staff, message="Sign the letter")
    assert jamaica_delegation.status == "corrections"
    assert "Sign the letter" in mail.outbox[-1].body
    services.submit_delegation(jamaica_delegation, acting_user=focal_point)
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.accredit_delegation(jamaica_delegation, acting_user=staff)
    assert jamaica_delegation.status == "accredited"
    assert "Accredited" in mail.outbox[-1].subject
    with pytest.raises(ValidationError):
        services.add_participant(
            jamaica_delegation, acting_user=focal_point, first_name="X", last_name="Y", role="adviser"
        )


def test_a_status_change_tells_everyone_registered_in_their_language(
    accredited: Delegation, peru_delegation: Delegation, staff: User
) -> None:
    services.add_participant(
        peru_delegation,
        acting_user=staff,
        first_name="José",
        last_name="Pérez",
        email="jose@apn.example.pe",
        role="head",
        preferred_language="es",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.change_meeting_status(
            accredited.meeting,
            acting_user=staff,
            status="postponed",
            note={"en": "New dates soon", "es": "Nuevas fechas"},
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "Reportée" in by_address["marlon@pa.example.jm"].subject
    assert "Aplazada" in by_address["jose@apn.example.pe"].subject
    assert "Nuevas fechas" in by_address["jose@apn.example.pe"].body
    assert "andre@pa.example.jm" in by_address  # the focal point who registered the delegation
    entry = AuditEntry.objects.for_object(accredited.meeting).get(action="meetings.meeting.status_changed")
    assert entry.changes["status"] == ["planned", "postponed"]


def test_moving_online_makes_the_meeting_virtual(meeting: Meeting, staff: User) -> None:
    services.change_meeting_status(meeting, acting_user=staff, status="moved_online")
    assert meeting.mode == "virtual"
    assert meeting.is_online


def test_documents_are_numbered_without_gaps_per_series_and_year(
    meeting: Meeting, other_meeting: Meeting, staff: User
) -> None:
    refs = [
        services.add_document(
            meeting, acting_user=staff, title={"en": f"D{n}"}, visibility="public", language="en", upload=pdf_upload()
        ).reference
        for n in range(3)
    ]
    assert refs == ["CIDI/CIP/doc. 1/27", "CIDI/CIP/doc. 2/27", "CIDI/CIP/doc. 3/27"]
    with pytest.raises(ValidationError):
        services.add_document(
            meeting, acting_user=staff, title={"en": "bad"}, visibility="public", language="en", upload=exe_upload()
        )
    fourth = services.add_document(
        meeting, acting_user=staff, title={"en": "D4"}, visibility="public", language="en", upload=pdf_upload()
    )
    assert fourth.reference == "CIDI/CIP/doc. 4/27"
    cecip = services.add_document(
        other_meeting, acting_user=staff, title={"en": "A"}, visibility="public", language="en", upload=pdf_upload()
    )
    assert cecip.reference == "CIDI/CECIP/doc. 1/27"
    assert DocumentCounter.objects.get(series="CIDI/CIP", year=2027).last_number == 4


def test_a_rollback_gives_the_number_back(meeting: Meeting, staff: User) -> None:
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        services.add_document(
            meeting, acting_user=staff, title={"en": "X"}, visibility="public", language="en", upload=pdf_upload()
        )
        raise RuntimeError
    again = services.add_document(
        meeting, acting_user=staff, title={"en": "Y"}, visibility="public", language="en", upload=pdf_upload()
    )
    assert again.number == 1


def test_revisions_and_language_versions(meeting: Meeting, staff: User) -> None:
    document = services.add_document(
        meeting, acting_user=staff, title={"en": "Agenda"}, visibility="public", language="es", upload=pdf_upload()
    )
    services.add_document_language(document, acting_user=staff, language="en", upload=pdf_upload())
    services.add_document_language(document, acting_user=staff, language="en", upload=pdf_upload())  # replaces
    assert sorted(document.files.values_list("language", flat=True)) == ["en", "es"]
    rev1 = services.revise_document(document, acting_user=staff, language="es", upload=pdf_upload())
    rev2 = services.revise_document(document, acting_user=staff, language="es", upload=pdf_upload())
    assert rev1.reference == "CIDI/CIP/doc. 1/27 rev.1"
    assert rev2.reference == "CIDI/CIP/doc. 1/27 rev.2"
    assert Document.objects.filter(number=1).count() == 3


def test_restricted_documents_are_for_delegations(
    meeting: Meeting, accredited: Delegation, staff: User, focal_point: User, outsider: User, participant: User
) -> None:
    services.add_document(
        meeting, acting_user=staff, title={"en": "Open"}, visibility="public", language="en", upload=pdf_upload()
    )
    restricted = services.add_document(
        meeting, acting_user=staff, title={"en": "Closed"}, visibility="delegations", language="en", upload=pdf_upload()
    )
    head_user = make_user("marlon@pa.example.jm", person=accredited.participants.get().person)
    assert restricted in Document.objects.for_user(focal_point)
    assert restricted in Document.objects.for_user(head_user)
    assert restricted not in Document.objects.for_user(outsider)
    assert Document.objects.for_user(outsider).count() == 1


def test_check_in_is_idempotent(accredited: Delegation, head: Participant, staff: User) -> None:
    day = accredited.meeting.start_date
    _first, created = services.check_in(head, acting_user=staff, day=day)
    _second, again = services.check_in(head, acting_user=staff, day=day)
    assert (created, again) == (True, False)
    assert Attendance.objects.count() == 1
    assert list(accredited.meeting.attended_people()) == [head.person]


def test_check_in_per_session(accredited: Delegation, head: Participant, staff: User) -> None:
    meeting = accredited.meeting
    session = services.add_session(
        meeting,
        acting_user=staff,
        title={"en": "Opening"},
        day=meeting.start_date,
        start=datetime.time(9),
        end=datetime.time(10),
    )
    services.check_in(head, acting_user=staff, day=meeting.end_date, session=session)
    services.check_in(head, acting_user=staff, day=meeting.end_date, session=session)
    attendance = Attendance.objects.get()
    assert attendance.session == session
    assert attendance.day == meeting.start_date


def test_a_delegation_must_be_accredited_to_check_in(head: Participant, staff: User) -> None:
    with pytest.raises(ValidationError, match="not accredited"):
        services.check_in(head, acting_user=staff, day=head.delegation.meeting.start_date)
    assert not Attendance.objects.exists()


def test_forged_and_foreign_badge_codes_are_refused(
    accredited: Delegation, other_meeting: Meeting, head: Participant
) -> None:
    with pytest.raises(ValidationError, match="No badge"):
        services.find_badge(accredited.meeting, "forged-code")
    with pytest.raises(ValidationError, match="another meeting"):
        services.find_badge(other_meeting, head.badge_code)
    assert services.find_badge(accredited.meeting, f"  {head.badge_code} ") == head
    assert len(head.badge_code) >= 16


def test_sessions_are_stored_in_venue_time(meeting: Meeting, staff: User) -> None:
    session = services.add_session(
        meeting,
        acting_user=staff,
        title={"en": "Opening"},
        day=meeting.start_date,
        start=datetime.time(9),
        end=datetime.time(10),
    )
    assert session.starts_at.astimezone(datetime.UTC).hour == 12  # Buenos Aires is UTC−3
    with pytest.raises(ValidationError):
        services.add_session(
            meeting,
            acting_user=staff,
            title={"en": "Late"},
            day=datetime.date(2030, 1, 1),
            start=datetime.time(9),
            end=datetime.time(10),
        )


def test_observers_register_through_their_institution(
    meeting: Meeting, partner: User, partner_institution: Institution, other_institution: Institution
) -> None:
    delegation = services.register_observers(meeting, acting_user=partner, institution=partner_institution)
    assert delegation.is_observer
    with pytest.raises(ValidationError):
        services.register_observers(meeting, acting_user=partner, institution=other_institution)
    with pytest.raises(ValidationError, match="Observer"):
        services.add_participant(delegation, acting_user=partner, first_name="R", last_name="Q", role="delegate")
    services.add_participant(delegation, acting_user=partner, first_name="R", last_name="Q", role="observer")
    services.submit_delegation(delegation, acting_user=partner)  # observers need no credentials letter


def test_scopes(
    accredited: Delegation, peru_delegation: Delegation, staff: User, focal_point: User, outsider: User, partner: User
) -> None:
    assert set(Delegation.objects.for_user(staff)) == {accredited, peru_delegation}
    assert list(Delegation.objects.for_user(focal_point)) == [accredited]
    assert not Delegation.objects.for_user(outsider).exists()
    assert not Delegation.objects.for_user(partner).exists()
    head_user = make_user("marlon@pa.example.jm", person=accredited.participants.get().person)
    assert list(Participant.objects.for_user(head_user)) == list(accredited.participants.all())
    assert not Participant.objects.for_user(outsider).exists()
    hidden = services.create_meeting(
        acting_user=staff,
        kind="tag",
        title={"en": "Closed TAG"},
        start_date=datetime.date(2024, 1, 1),
        end_date=datetime.date(2024, 1, 1),
        is_public=False,
    )
    assert hidden not in Meeting.objects.for_user(outsider)
    assert hidden in Meeting.objects.for_user(staff)


def test_invitations_are_unique(meeting: Meeting, staff: User) -> None:
    services.invite_member_states(meeting, acting_user=staff)
    services.invite_member_states(meeting, acting_user=staff)
    assert Invitation.objects.filter(member_state__code="JM").count() == 1


def test_a_person_from_another_state_may_advise(jamaica_delegation: Delegation, focal_point: User) -> None:
    adviser = make_person("Ana", "Silva", "BR", email="ana@example.br")
    participant = services.add_participant(
        jamaica_delegation,
        acting_user=focal_point,
        first_name="x",
        last_name="y",
        email="ana@example.br",
        role="adviser",
    )
    assert participant.person == adviser


def test_new_dates_are_sent_to_everyone_registered(accredited: Delegation, staff: User) -> None:
    meeting = accredited.meeting
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.update_meeting(
            meeting, acting_user=staff, start_date=datetime.date(2027, 6, 2), end_date=datetime.date(2027, 6, 4)
        )
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "les informations ont changé" in by_address["marlon@pa.example.jm"].subject
    entry = AuditEntry.objects.for_object(meeting).get(action="meetings.meeting.updated")
    assert entry.changes["start_date"] == ["2027-05-19", "2027-06-02"]
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        services.update_meeting(meeting, acting_user=staff, description={"en": "More words"})
    assert mail.outbox == []


def test_a_session_has_participants_and_guests_as_chairs_and_speakers(
    meeting: Meeting, head: Participant, staff: User
) -> None:
    roles: list[dict[str, Any]] = [
        {"role": "speaker", "person": None, "name": " Ana Torres (guest) "},
        {"role": "chair", "person": head.person, "name": ""},
        {"role": "speaker", "person": head.person, "name": ""},
    ]
    session = services.add_session(
        meeting,
        acting_user=staff,
        title={"en": "Opening"},
        day=meeting.start_date,
        start=datetime.time(9),
        end=datetime.time(10),
        roles=roles,
    )
    assert [item.display_name for item in session.chairs()] == ["Marlon Grant"]
    assert [item.display_name for item in session.speakers()] == ["Ana Torres (guest)", "Marlon Grant"]
    entry = AuditEntry.objects.for_object(session).get(action="meetings.session.added")
    assert entry.data["roles"] == [
        ["chair", head.person.pk, ""],
        ["speaker", None, "Ana Torres (guest)"],
        ["speaker", head.person.pk, ""],
    ]


def test_editing_a_session_replaces_its_chairs_and_speakers_and_audits_the_change(
    meeting: Meeting, head: Participant, staff: User
) -> None:
    times: dict[str, Any] = {"day": meeting.start_date, "start": datetime.time(9), "end": datetime.time(10)}
    session = services.add_session(
        meeting, acting_user=staff, title={"en": "Opening"}, roles=[{"role": "chair", "name": "Ana Torres"}], **times
    )
    roles: list[dict[str, Any]] = [{"role": "chair", "person": head.person, "name": ""}]
    services.update_session(session, acting_user=staff, title={"en": "Opening"}, room="B", roles=roles, **times)
    assert [(r.role, r.person, r.name) for r in session.roles.all()] == [("chair", head.person, "")]
    entry = AuditEntry.objects.for_object(session).get(action="meetings.session.updated")
    assert entry.changes["roles"] == [[["chair", None, "Ana Torres"]], [["chair", head.person.pk, ""]]]
    assert entry.changes["room"] == ["", "B"]
    with pytest.raises(ValidationError):
        services.update_session(session, acting_user=staff, title={"en": "Opening"}, roles=[{"role": "chair"}], **times)
    assert session.roles.get().person == head.person


@pytest.mark.parametrize("bad", ["outsider", "nobody", "role"])
def test_a_session_refuses_chairs_who_are_not_participants_and_writes_nothing(
    meeting: Meeting, head: Participant, staff: User, bad: str
) -> None:
    stranger = make_person("Pierre", "Louis", "HT")
    rows: dict[str, dict[str, Any]] = {
        "outsider": {"role": "chair", "person": stranger, "name": ""},
        "nobody": {"role": "chair", "person": None, "name": "  "},
        "role": {"role": "moderator", "person": head.person, "name": ""},
    }
    row = rows[bad]
    with pytest.raises(ValidationError):
        services.add_session(
            meeting,
            acting_user=staff,
            title={"en": "Opening"},
            day=meeting.start_date,
            start=datetime.time(9),
            end=datetime.time(10),
            roles=[row],
        )
    assert not meeting.sessions.exists()
    assert not SessionRole.objects.exists()


def test_a_session_with_check_ins_keeps_its_day(meeting: Meeting, head: Participant, staff: User) -> None:
    first, second = meeting.start_date, meeting.start_date + datetime.timedelta(days=1)
    times: dict[str, Any] = {"start": datetime.time(9), "end": datetime.time(10)}
    session = services.add_session(meeting, acting_user=staff, title={"en": "Opening"}, day=first, **times)
    Delegation.objects.filter(pk=head.delegation_id).update(status=Delegation.Status.ACCREDITED)
    services.check_in(Participant.objects.get(pk=head.pk), acting_user=staff, day=first, session=session)
    with pytest.raises(ValidationError, match="cannot move to another day"):
        services.update_session(session, acting_user=staff, title={"en": "Opening"}, day=second, **times)
    services.update_session(
        session, acting_user=staff, title={"en": "Opening"}, day=first, room="B", **times
    )  # same day
    session.refresh_from_db()
    assert (session.starts_at.astimezone(meeting.zone).date(), session.room) == (first, "B")
