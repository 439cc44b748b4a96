"""The seats taken are kept on the webinar row by the database, and always equal the count of its
confirmed registrations, however the registrations were written."""

import pytest
from django.utils import timezone

from faro.accounts.models import User
from faro.directory.models import MemberState, Person
from faro.webinars import services
from faro.webinars.models import Registration, Webinar
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db

S = Registration.Status


def _kept_and_counted(webinar: Webinar) -> tuple[int, int]:
    kept = Webinar.objects.values_list("confirmed_registrations", flat=True).get(pk=webinar.pk)
    return kept, webinar.registrations.filter(status=S.CONFIRMED).count()


def _register(webinar: Webinar, n: int) -> Registration:
    outcome = services.register_for_webinar(
        webinar, acting_user=None, email=f"official{n}@port.example.org", first_name="Ana", consent=True
    )
    return outcome.registration


def _person(n: int, state: MemberState) -> Person:
    return Person.objects.create(first_name="P", last_name=str(n), email=f"p{n}@port.example.org", member_state=state)


def test_registering_cancelling_and_promoting_keep_the_count(staff: User) -> None:
    webinar = make_webinar(capacity=2)
    first, _second, third = (_register(webinar, n) for n in range(3))
    assert third.status == S.WAITLISTED
    assert _kept_and_counted(webinar) == (2, 2)
    promoted = services.cancel_registration(first, acting_user=staff)
    assert [r.pk for r in promoted] == [third.pk]
    assert _kept_and_counted(webinar) == (2, 2)


def test_the_seat_decision_reads_the_kept_count() -> None:
    webinar = make_webinar(capacity=1)
    assert _register(webinar, 1).status == S.CONFIRMED
    assert _register(webinar, 2).status == S.WAITLISTED


def test_writes_outside_the_services_move_it_too(peru: MemberState) -> None:
    webinar, other = make_webinar(capacity=50), make_webinar(capacity=50)
    people = [_person(n, peru) for n in range(6)]
    Registration.objects.bulk_create(
        Registration(webinar=webinar, person=p, status=S.CONFIRMED, consented_at=timezone.now()) for p in people[:4]
    )
    assert _kept_and_counted(webinar) == (4, 4)
    Registration.objects.filter(webinar=webinar, person__in=people[:1]).update(status=S.CANCELLED)
    assert _kept_and_counted(webinar) == (3, 3)
    Registration.objects.filter(webinar=webinar, person__in=people[1:2]).update(webinar=other)
    assert _kept_and_counted(webinar) == (2, 2)
    assert _kept_and_counted(other) == (1, 1)
    people[2].delete()  # its registrations go with it
    assert _kept_and_counted(webinar) == (1, 1)
    Registration.objects.filter(webinar=webinar).update(status=S.CONFIRMED)  # the cancelled one too
    assert _kept_and_counted(webinar) == (2, 2)


def test_a_save_of_a_confirmed_registration_does_not_count_it_twice(peru: MemberState) -> None:
    webinar = make_webinar(capacity=50)
    registration = Registration.objects.create(
        webinar=webinar, person=_person(1, peru), status=S.CONFIRMED, consented_at=timezone.now()
    )
    registration.language = "fr"
    registration.save()
    assert _kept_and_counted(webinar) == (1, 1)


def test_a_stale_webinar_saved_does_not_undo_the_count() -> None:
    webinar = make_webinar(capacity=50)
    stale = Webinar.objects.get(pk=webinar.pk)
    _register(webinar, 1)
    stale.capacity = 60
    stale.save()
    assert _kept_and_counted(webinar) == (1, 1)
    assert Webinar.objects.get(pk=webinar.pk).capacity == 60


def test_importing_registrants_keeps_the_count(staff: User) -> None:
    webinar = make_webinar(capacity=2)
    rows = [{"email": f"imported{n}@port.example.org", "first_name": "Imp", "last_name": str(n)} for n in range(3)]
    services.import_registrations(webinar, acting_user=staff, people=rows, registered_at=timezone.now())
    assert _kept_and_counted(webinar) == (2, 2)


def test_seats_left_reads_the_row_without_counting(django_assert_num_queries: object) -> None:
    webinar = make_webinar(capacity=3)
    _register(webinar, 1)
    fresh = Webinar.objects.get(pk=webinar.pk)
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert fresh.seats_left() == 2
