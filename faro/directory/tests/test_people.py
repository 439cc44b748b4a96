import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import models
from django.test import Client

from conftest import make_person, make_user
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.directory import services
from faro.directory.models import Appointment, Institution, MemberState, Person

pytestmark = pytest.mark.django_db


def test_a_second_person_with_the_same_email_in_any_case_is_refused(jamaica: MemberState) -> None:
    services.create_person(acting_user=None, first_name="Keisha", last_name="Brown", email="keisha@port.example.jm")
    with pytest.raises(ValidationError, match="already uses the email"):
        services.create_person(acting_user=None, first_name="K.", last_name="Brown", email="KEISHA@Port.example.jm ")
    assert Person.objects.count() == 1


def test_the_person_form_refuses_a_duplicate_email_with_a_clear_message(
    client: Client, staff: User, participant: User, jamaica: MemberState
) -> None:
    client.force_login(staff)
    response = client.post(
        "/directory/people/new/",
        {
            "first_name": "Keisha",
            "last_name": "B.",
            "email": "Keisha@PORT.example.jm",
            "preferred_language": "en",
            "member_state": jamaica.pk,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Another person already uses the email keisha@port.example.jm: Keisha Brown" in page
    assert Person.objects.filter(last_name="B.").count() == 0


def test_staff_create_and_edit_a_person_and_the_history_shows_the_changed_fields(
    client: Client, staff: User, jamaica: MemberState
) -> None:
    client.force_login(staff)
    response = client.post(
        "/directory/people/new/",
        {
            "first_name": "Marlon",
            "last_name": "Grant",
            "email": "Marlon@Port.example.jm",
            "member_state": jamaica.pk,
            "preferred_language": "en",
            "gender": "man",
            "position_level": "middle",
        },
    )
    person = Person.objects.get(last_name="Grant")
    assert response["Location"] == f"/directory/people/{person.pk}/"
    assert person.email == "marlon@port.example.jm"
    data = {
        "first_name": "Marlon",
        "last_name": "Grant-Clarke",
        "email": person.email,
        "member_state": jamaica.pk,
        "preferred_language": "en",
        "timezone": "America/Jamaica",
    }
    client.post(f"/directory/people/{person.pk}/edit/", data)
    entry = AuditEntry.objects.for_object(person).first()
    assert entry is not None
    assert entry.action == "directory.person.updated"
    assert entry.actor == staff
    assert entry.changes["last_name"] == ["Grant", "Grant-Clarke"]
    assert "gender" in entry.changes  # cleared by the form: recorded too
    page = client.get(f"/directory/people/{person.pk}/").content.decode()
    assert "Grant-Clarke" in page
    assert "Updated" in page  # the history names the action in words, not by its code


def test_people_list_searches_and_filters(client: Client, staff: User, jamaica: MemberState) -> None:
    make_person("José", "Pérez", "PE", email="jose@apn.example.pe", gender="man", position_level="senior")
    make_person("Keisha", "Brown", "JM", email="keisha@port.example.jm", gender="woman")
    client.force_login(staff)
    assert "Pérez" in client.get("/directory/people/?q=jose%40apn").content.decode()
    page = client.get(f"/directory/people/?member_state={jamaica.pk}").content.decode()
    assert "Brown" in page
    assert "Pérez" not in page
    page = client.get("/directory/people/?gender=man&level=senior").content.decode()
    assert "Pérez" in page
    assert "Brown" not in page


def test_people_list_paginates(client: Client, staff: User) -> None:
    for n in range(30):
        make_person(f"Person{n:02d}", "Zed", "BB")
    client.force_login(staff)
    page = client.get("/directory/people/?q=Zed").content.decode()
    assert "Page 1 of 2" in page
    assert "q=Zed&amp;page=2" in page
    assert "Person29" in client.get("/directory/people/?q=Zed&page=2").content.decode()


def test_focal_points_see_their_own_states_people_read_only(
    client: Client, focal_point: User, participant: User, outsider: User
) -> None:
    client.force_login(focal_point)
    page = client.get("/directory/people/").content.decode()
    assert "Brown" in page
    assert "Joseph" not in page
    assert client.get(f"/directory/people/{participant.person_id}/").status_code == 200
    assert client.get(f"/directory/people/{outsider.person_id}/").status_code == 404
    assert client.get(f"/directory/people/{participant.person_id}/edit/").status_code == 404
    assert client.get("/directory/institutions/").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/directory/people/",
        "/directory/people/{pk}/",
        "/directory/people/{pk}/edit/",
        "/directory/institutions/",
        "/directory/member-states/",
        "/directory/member-states/JM/",
        "/directory/appointments/new/",
    ],
)
def test_outsiders_get_404(client: Client, outsider: User, participant: User, url: str) -> None:
    client.force_login(outsider)
    assert client.get(url.format(pk=participant.person_id)).status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client: Client, db: None) -> None:
    assert client.get("/directory/people/")["Location"].startswith("/accounts/login/")


def test_staff_manage_institutions_and_memberships(client: Client, staff: User, peru: MemberState) -> None:
    client.force_login(staff)
    response = client.post(
        "/directory/institutions/new/",
        {"name": "Terminal Internacional del Sur", "acronym": "TISUR", "kind": "port_operator", "country_code": "PE"},
    )
    institution = Institution.objects.get(acronym="TISUR")
    assert response["Location"] == f"/directory/institutions/{institution.pk}/"
    response = client.post(f"/directory/institutions/{institution.pk}/memberships/new/", {"kind": "associate_member"})
    assert "needs the member state that approved it" in response.content.decode()
    assert not institution.memberships.exists()
    client.post(
        f"/directory/institutions/{institution.pk}/memberships/new/",
        {"kind": "associate_member", "approving_state": peru.pk, "approved_on": "2019-10-16"},
    )
    assert institution.memberships.get().approving_state == peru
    client.post(
        f"/directory/institutions/{institution.pk}/edit/",
        {"name": "TISUR Arequipa", "acronym": "TISUR", "kind": "port_operator", "country_code": "PE"},
    )
    page = client.get(f"/directory/institutions/{institution.pk}/").content.decode()
    assert "TISUR Arequipa" in page
    assert "Membership added" in page
    assert (
        "TISUR Arequipa"
        in client.get("/directory/institutions/?q=arequipa&kind=port_operator&country=PE").content.decode()
    )


def test_a_duplicate_institution_name_in_a_country_is_refused(
    client: Client, staff: User, partner_institution: Institution
) -> None:
    client.force_login(staff)
    response = client.post(
        "/directory/institutions/new/",
        {"name": "autoridad portuaria nacional", "kind": "port_authority", "country_code": "PE"},
    )
    assert "already exists in this country" in response.content.decode()


def test_member_states_list_and_status_periods(client: Client, staff: User) -> None:
    client.force_login(staff)
    page = client.get("/directory/member-states/").content.decode()
    assert "Jamaica" in page
    assert "Withdrawn" in page
    assert "Caribbean" in page
    page = client.get("/directory/member-states/HN/").content.decode()
    assert "Suspended" in page
    response = client.post(
        "/directory/member-states/HN/statuses/new/", {"status": "suspended", "start": "2030-01-02", "end": "2029-01-01"}
    )
    assert "cannot be before the start date" in response.content.decode()
    client.post(
        "/directory/member-states/HN/statuses/new/",
        {"status": "suspended", "start": "2030-01-02", "note_0": "Test period"},
    )
    honduras = MemberState.objects.get(code="HN")
    assert not honduras.is_participating_on(datetime.date(2030, 6, 1))
    assert "Status added" in client.get("/directory/member-states/HN/").content.decode()


def test_appointments_are_created_edited_and_ended(
    client: Client, staff: User, participant: User, jamaica: MemberState
) -> None:
    client.force_login(staff)
    assert client.get(f"/directory/appointments/new/?person={participant.person_id}").status_code == 200
    client.post(
        "/directory/appointments/new/",
        {"person": participant.person_id, "member_state": jamaica.pk, "role": "alternate", "start": "2024-01-01"},
    )
    appointment = Appointment.objects.get()
    assert client.get(f"/directory/appointments/{appointment.pk}/edit/").status_code == 200
    client.post(
        f"/directory/appointments/{appointment.pk}/edit/",
        {
            "person": participant.person_id,
            "member_state": jamaica.pk,
            "role": "principal_delegate",
            "start": "2024-01-01",
        },
    )
    client.post(f"/directory/appointments/{appointment.pk}/end/", {"finish-end": "2025-06-30"})
    appointment.refresh_from_db()
    assert appointment.role == "principal_delegate"
    assert appointment.end == datetime.date(2025, 6, 30)
    assert not Appointment.objects.current().exists()
    actions = list(AuditEntry.objects.for_object(appointment).values_list("action", flat=True))
    assert actions == ["directory.appointment.ended", "directory.appointment.updated", "directory.appointment.created"]


# --- Merge ---------------------------------------------------------------------------------


def test_merge_moves_appointments_and_the_account_then_deletes_the_source(staff: User, jamaica: MemberState) -> None:
    target = make_person("Keisha", "Brown", "JM", email="keisha@port.example.jm")
    source = make_person("Keisha", "Brown-Smith", "JM", email="k.brown@old.example.jm", position="PFSO")
    user = make_user("k.brown@old.example.jm", person=source, role="focal_point", member_state=jamaica)
    Appointment.objects.create(person=source, member_state=jamaica, role="alternate", start=datetime.date(2020, 1, 1))
    services.merge_people(source, target, acting_user=staff)
    assert not Person.objects.filter(pk=source.pk).exists()
    user.refresh_from_db()
    assert user.person == target
    assert target.appointments.count() == 1
    target.refresh_from_db()
    assert target.position == "PFSO"  # blanks are filled from the duplicate
    entry = AuditEntry.objects.for_object(target).get(action="directory.person.merged")
    assert entry.data["source"]["email"] == "k.brown@old.example.jm"
    assert entry.data["relations"]["directory.Appointment.person"]["moved"] == 1
    assert entry.data["relations"]["accounts.User.person"]["moved"] == 1


def test_merge_keeps_the_targets_row_when_both_have_a_unique_one(staff: User) -> None:
    target = make_person("Ana", "Silva", "BR", email="ana@port.example.br")
    source = make_person("Ana", "Silva", "BR", email="ana.silva@old.example.br")
    kept = make_user("ana@port.example.br", person=target)
    other = make_user("ana.silva@old.example.br", person=source)
    services.merge_people(source, target, acting_user=staff)
    kept.refresh_from_db()
    other.refresh_from_db()
    assert kept.person == target
    assert other.person is None
    entry = AuditEntry.objects.for_object(target).get(action="directory.person.merged")
    assert entry.data["relations"]["accounts.User.person"]["detached_duplicates"] == [other.pk]


def test_merge_through_the_back_office(client: Client, staff: User) -> None:
    target = make_person("Ana", "Silva", "BR", email="ana@port.example.br")
    source = make_person("Ana", "S.", "BR", email="ana.s@old.example.br")
    client.force_login(staff)
    page = client.post(f"/directory/people/{target.pk}/merge/", {"duplicate": "ANA.S@old.example.br"}).content.decode()
    assert "Merge the two records" in page
    assert "ana.s@old.example.br" in page
    assert (
        "into itself" in client.post(f"/directory/people/{target.pk}/merge/", {"duplicate": target.pk}).content.decode()
    )
    response = client.post(f"/directory/people/{target.pk}/merge/", {"duplicate": source.pk, "confirm": "1"})
    assert response["Location"] == f"/directory/people/{target.pk}/"
    assert not Person.objects.filter(pk=source.pk).exists()


def test_merge_refuses_to_merge_a_record_into_itself(staff: User) -> None:
    person = make_person("Ana", "Silva", "BR")
    with pytest.raises(ValidationError):
        services.merge_people(person, person, acting_user=staff)


def test_merge_handles_every_relation_that_points_at_person() -> None:
    """Whatever app adds a relation to Person, merge must be able to move it."""
    handled = {(rel.related_model, rel.field.name) for rel in services.person_relations()}
    for model in [m for m in __import__("django.apps").apps.apps.get_models(include_auto_created=True)]:
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey) and field.related_model is Person:
                assert (model, field.name) in handled, f"{model._meta.label}.{field.name} is not moved by merge"
            if isinstance(field, models.ManyToManyField) and field.related_model is Person:
                through = field.remote_field.through
                fk = field.m2m_reverse_field_name()
                assert (through, fk) in handled, f"{model._meta.label}.{field.name} is not moved by merge"
    for rel in services.person_relations():
        assert rel.one_to_many or rel.one_to_one, f"{rel} is a relation kind merge does not know"
    assert {(User, "person"), (Appointment, "person")} <= handled


def test_merge_deletes_a_source_row_that_would_break_a_unique_rule(staff: User, jamaica: MemberState) -> None:
    """The same appointment is recorded once; the same shape applies to any app's unique rows."""
    target = make_person("Andre", "Campbell", "JM", email="andre@pa.example.jm")
    source = make_person("André", "Campbell", "JM", email="andre.c@old.example.jm")
    start = datetime.date(2020, 1, 1)
    Appointment.objects.create(person=target, member_state=jamaica, role="focal_point", start=start)
    duplicate = Appointment.objects.create(person=source, member_state=jamaica, role="focal_point", start=start)
    Appointment.objects.create(person=source, member_state=jamaica, role="alternate", start=start)
    services.merge_people(source, target, acting_user=staff)
    assert target.appointments.count() == 2
    assert not Appointment.objects.filter(pk=duplicate.pk).exists()
    entry = AuditEntry.objects.for_object(target).get(action="directory.person.merged")
    assert entry.data["relations"]["directory.Appointment.person"] == {
        "moved": 1,
        "deleted_duplicates": [duplicate.pk],
        "detached_duplicates": [],
    }
