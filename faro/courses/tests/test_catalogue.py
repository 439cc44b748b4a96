import pytest
from django.test import Client
from django.urls import reverse

from conftest import institution_of, person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Course, Enrolment, Offering
from faro.courses.services import enrol_person
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def test_anonymous_sees_published_courses_only(
    client: Client, course: Course, partner_institution: Institution
) -> None:
    hidden = make_course(partner_institution, title={"en": "Secret draft"}, is_published=False)
    response = client.get(reverse("courses:catalogue"))
    assert "Port Security" in response.text
    assert "Secret draft" not in response.text
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert list(Course.objects.public()) == [course]


def test_course_page_is_translated(client: Client, course: Course, offering: Offering) -> None:
    response = client.get(course.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    assert "Protección portuaria" in response.text
    assert client.get(offering.get_absolute_url()).status_code == 200
    assert list(Offering.objects.public()) == [offering]


def test_partner_sees_own_unpublished_course_and_outsider_does_not(
    client: Client, partner: User, outsider: User, other_institution: Institution
) -> None:
    draft = make_course(other_institution, is_published=False)
    mine = make_course(institution_of(partner), is_published=False)
    assert set(Course.objects.for_user(partner)) == {mine}
    client.force_login(outsider)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(reverse("courses:manage_courses")).status_code == 404


def test_partner_contribution_gives_visibility(partner: User, other_institution: Institution) -> None:
    from faro.courses.services import add_contribution

    course = make_course(other_institution, is_published=False)
    offering = make_offering(course)
    add_contribution(offering, acting_user=None, institution=partner.roles.get().institution, kind="fares")
    assert list(Offering.objects.for_user(partner)) == [offering]
    assert list(Course.objects.managed_by(partner)) == [course]


def test_staff_creates_course_and_offering_through_the_forms(
    client: Client, staff: User, partner_institution: Institution
) -> None:
    client.force_login(staff)
    data = {
        "title_0": "Dredging",
        "title_1": "Dragado",
        "provider": partner_institution.pk,
        "modality": "blended",
        "languages": ["es", "en"],
        "hours": 30,
        "minimum_grade": "60",
        "is_published": "on",
    }
    response = client.post(reverse("courses:course_create"), data)
    course = Course.objects.get()
    assert response.status_code == 302
    assert course.title["es"] == "Dragado"
    assert course.languages == ["es", "en"]
    response = client.post(
        reverse("courses:offering_create", args=[course.pk]),
        {"code": "DR-1", "start": "2030-01-10", "end": "2030-01-05", "seats": 20},
    )
    assert "The end is before the start." in response.text
    client.post(
        reverse("courses:offering_create", args=[course.pk]),
        {"code": "DR-1", "start": "2030-01-10", "end": "2030-03-05", "seats": 20},
    )
    offering = course.offerings.get()
    assert AuditEntry.objects.filter(action="courses.offering.created", object_id=str(offering.pk)).exists()
    assert client.get(reverse("courses:manage_offering", args=[offering.pk])).status_code == 200


def test_partner_cannot_manage_another_partners_course(
    client: Client, partner: User, other_institution: Institution
) -> None:
    course = make_course(other_institution)
    client.force_login(partner)
    assert client.get(reverse("courses:manage_course", args=[course.pk])).status_code == 404
    assert client.get(reverse("courses:manage_courses")).status_code == 200


def test_completed_people_are_those_with_completed_outcome(
    offering: Offering, participant: User, outsider: User
) -> None:
    done = enrol_person(offering, person_of(participant), acting_user=None)
    enrol_person(offering, person_of(outsider), acting_user=None)
    done.outcome = Enrolment.Outcome.COMPLETED
    done.save()
    assert list(offering.completed_people()) == [person_of(participant)]


def test_certification_rule(course: Course) -> None:
    from decimal import Decimal

    assert course.outcome_for(Decimal(80), finished=True, dropped=False) == "completed"
    assert course.outcome_for(Decimal(60), finished=True, dropped=False) == "failed"
    assert course.outcome_for(None, finished=False, dropped=False) == "dropped"
    assert course.outcome_for(None, finished=True, dropped=False) == "failed"
    assert course.outcome_for(Decimal(90), finished=True, dropped=True) == "dropped"
    course.minimum_grade = None
    course.requires_completion = True
    assert course.outcome_for(Decimal(10), finished=False, dropped=False) == "failed"
    assert course.outcome_for(Decimal(10), finished=True, dropped=False) == "completed"
