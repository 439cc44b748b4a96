"""#16.11: adding a delegate by email links the person without telling the adder what the directory knows."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from faro.accounts.models import User
from faro.directory.models import Person
from faro.meetings import services
from faro.meetings.models import Delegation, Meeting, Participant

pytestmark = pytest.mark.django_db


def add_by_email(client: Client, delegation: Delegation, email: str, **typed: str) -> Any:
    data = {"first_name": "Someone", "last_name": "Else", "email": email, "role": "delegate"}
    data["preferred_language"] = "en"
    return client.post(reverse("meetings:participant_create", args=[delegation.pk]), {**data, **typed})


def delegation_page(client: Client, delegation: Delegation) -> str:
    return client.get(reverse("meetings:delegation", args=[delegation.pk])).content.decode()


def test_a_focal_point_adding_someone_elses_address_sees_only_what_they_typed(
    client: Client, jamaica_delegation: Delegation, focal_point: User, outsider: User
) -> None:
    client.force_login(focal_point)
    assert add_by_email(client, jamaica_delegation, outsider.email.upper()).status_code == 302
    assert Participant.objects.get().person_id == outsider.person_id  # linked, not duplicated
    page = delegation_page(client, jamaica_delegation)
    assert "Someone Else" in page
    assert "Pierre" not in page
    assert "Joseph" not in page
    submit_page = client.get(reverse("meetings:delegation_submit", args=[jamaica_delegation.pk])).content.decode()
    assert "Joseph" not in submit_page


def test_staff_see_the_directorys_name_of_the_same_delegate(
    client: Client, jamaica_delegation: Delegation, focal_point: User, outsider: User, staff: User
) -> None:
    client.force_login(focal_point)
    add_by_email(client, jamaica_delegation, outsider.email)
    client.force_login(staff)
    assert "Pierre Joseph" in delegation_page(client, jamaica_delegation)


def test_a_person_of_the_focal_points_own_state_is_shown_as_the_directory_knows_them(
    client: Client, jamaica_delegation: Delegation, focal_point: User, participant: User
) -> None:
    client.force_login(focal_point)
    add_by_email(client, jamaica_delegation, participant.email)
    assert "Keisha Brown" in delegation_page(client, jamaica_delegation)


def test_an_address_already_registered_elsewhere_is_refused_without_its_name_or_gender(
    client: Client, jamaica_delegation: Delegation, focal_point: User, peru_delegation: Delegation, outsider: User
) -> None:
    Person.objects.filter(user=outsider).update(gender="man")
    services.add_participant(
        peru_delegation, acting_user=None, first_name="P", last_name="J", email=outsider.email, role="delegate"
    )
    client.force_login(focal_point)
    response = add_by_email(client, jamaica_delegation, outsider.email)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone Else is already registered for this meeting." in page
    assert "Joseph" not in page


def test_a_partner_adding_an_observer_by_address_sees_only_what_they_typed(
    client: Client, meeting: Meeting, partner: User, participant: User
) -> None:
    client.force_login(partner)
    institution = partner.roles.get().institution
    assert institution is not None
    client.post(reverse("meetings:delegation_register", args=[meeting.pk]), {"institution": institution.pk})
    delegation = Delegation.objects.get(institution=institution)
    response = add_by_email(client, delegation, participant.email, role="observer", first_name="K.", last_name="B.")
    assert response.status_code == 302
    page = delegation_page(client, delegation)
    assert "Keisha" not in page
    assert "Brown" not in page
    assert "K. B." in page
