"""Staff pages that list or count ask the database as often with eight rows as with two (no N+1).

Each page is visited once to warm per-process caches, counted, then counted again after six more
rows (all still on the first page, so a query per row would show).
"""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_person
from faro.accounts.models import User
from faro.core.audit import log_action
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, Person
from faro.scholarships.models import Application, Call, Review
from faro.scholarships.tests.factories import make_call, move_to
from faro.webinars.models import Attendance, Registration, Webinar
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db


def counted(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def assert_flat(client: Client, url: str, add_rows: Callable[[int, int], None]) -> None:
    add_rows(0, 2)
    client.get(url)
    few = counted(client, url)
    add_rows(2, 8)
    many = counted(client, url)
    assert many == few, f"{url}: {few} queries with 2 rows, {many} with 8"


def people(first: int, last: int, tag: str) -> list[Person]:
    countries = ["JM", "MX", "PE", "BR"]
    return [
        make_person(f"{tag} {n}", "Test", countries[n % 4], email=f"{tag.lower()}{n}@port.example.org")
        for n in range(first, last)
    ]


def test_the_registrants_list(client: Client, staff: User, partner_institution: Institution) -> None:
    webinar = make_webinar(capacity=100, partners=[partner_institution])

    def add(first: int, last: int) -> None:
        for person in people(first, last, "Registrant"):
            Registration.objects.create(webinar=webinar, person=person, status="confirmed", consented_at=timezone.now())

    client.force_login(staff)
    assert_flat(client, reverse("webinars:manage_registrants", args=[webinar.pk]), add)


def test_a_calls_review_table(client: Client, staff: User, partner_institution: Institution) -> None:
    course = make_course(partner_institution)
    call = make_call([make_offering(course)])
    move_to(call, Call.Status.REVIEW)
    reviewers = [User.objects.create(email=f"scorer{n}@reviews.example") for n in range(2)]

    def add(first: int, last: int) -> None:
        for person in people(first, last, "Applicant"):
            application = Application.objects.create(call=call, person=person, status="submitted")
            for reviewer in reviewers:
                Review.objects.create(
                    application=application, reviewer=reviewer, total=Decimal(70), submitted_at=timezone.now()
                )

    client.force_login(staff)
    assert_flat(client, reverse("scholarships:manage_call", args=[call.pk]), add)


def test_a_calls_history(client: Client, staff: User, partner_institution: Institution) -> None:
    course = make_course(partner_institution)
    call = make_call([make_offering(course)])

    def add(first: int, last: int) -> None:
        for n in range(first, last):
            log_action(call, "scholarships.call.updated", user=staff, changes={"year": [2020 + n, 2021 + n]})

    client.force_login(staff)
    assert_flat(client, reverse("scholarships:manage_call", args=[call.pk]), add)


def test_the_people_directory(client: Client, staff: User, partner_institution: Institution) -> None:
    def add(first: int, last: int) -> None:
        for person in people(first, last, "Official"):
            person.institution = partner_institution
            person.save()

    client.force_login(staff)
    assert_flat(client, reverse("directory:people"), add)


def test_the_dashboard(client: Client, staff: User, partner_institution: Institution) -> None:
    webinar = make_webinar(capacity=100, partners=[partner_institution])
    Webinar.objects.filter(pk=webinar.pk).update(status="held")

    def add(first: int, last: int) -> None:
        for person in people(first, last, "Attendee"):
            registration = Registration.objects.create(
                webinar=webinar, person=person, status="confirmed", consented_at=timezone.now()
            )
            Attendance.objects.create(webinar=webinar, person=person, registration=registration, minutes=60)

    client.force_login(staff)
    assert_flat(client, reverse("reports:dashboard"), add)  # this year, which holds the webinar
