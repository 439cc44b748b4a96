"""The public registration request's database work is pinned, so a change that adds queries fails here.

Counted from the view's first query to its last, in the test transaction: the service's transaction
is a savepoint here, so its SAVEPOINT/RELEASE are counted in the totals; `statements()` leaves them
out, as in production they are the transaction's BEGIN/COMMIT, which Django does not count. Mail and
webhooks are not in the count: they run after commit, in a Celery task when a broker is set; handing
them to the broker costs no statement (the outbox rows are marked handed over in their INSERT).
`bench/registration_load.py` measures what these queries cost under load.
"""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import DjangoAssertNumQueries

from conftest import person_of
from faro.accounts.models import User
from faro.core.models import OutboxMessage
from faro.directory.models import MemberState, Person
from faro.webinars.models import Registration, Webinar

pytestmark = pytest.mark.django_db

# webinar, questions, member state | INSERT person unless known by email (ON CONFLICT DO NOTHING) |
# lock the webinar (its row holds the confirmed count) | INSERT registration | INSERT audit entry |
# one INSERT of the outbox rows of the mail and the partners' event
# (one broker message after commit). A person new in this transaction has no registration to look up.
NEW_REGISTRANT_STATEMENTS = 8
# The same for a person already known by email: the INSERT writes nothing, they are read and their
# registration is looked up.
KNOWN_PERSON_STATEMENTS = 10
# webinar, questions, member state | INSERT person (writes nothing), person by email | lock, this
# person's registration, the outbox row of the mail that sends them their link again (throttled).
REPLAY_STATEMENTS = 9
SERVICE_TRANSACTION = 2  # SAVEPOINT and RELEASE here; BEGIN and COMMIT in production


def statements(captured: Any) -> list[str]:
    """The SQL a production request sends inside and around its transaction (no savepoints)."""
    return [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]


def form_data(email: str) -> dict[str, Any]:
    return {
        "email": email,
        "first_name": "María",
        "last_name": "García",
        "language": "es",
        "consent": "on",
        "member_state": MemberState.objects.get(code="MX").pk,
    }


@pytest.fixture(autouse=True)
def warm_content_types() -> None:
    """A running server has the audit log's content type cached after its first request."""
    ContentType.objects.get_for_model(Registration)


def test_a_new_registrant_costs_a_fixed_number_of_queries_and_no_session(
    client: Client, webinar: Webinar, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url = reverse("webinars:registration_create", args=[webinar.pk])
    data = form_data("maria@port.example.mx")
    with django_assert_max_num_queries(NEW_REGISTRANT_STATEMENTS + SERVICE_TRANSACTION) as captured:
        response = client.post(url, data)
    assert len(statements(captured)) <= NEW_REGISTRANT_STATEMENTS
    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    assert Registration.objects.filter(webinar=webinar, person__email="maria@port.example.mx").exists()


def test_a_known_person_costs_a_fixed_number_of_queries(
    client: Client, webinar: Webinar, participant: User, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url = reverse("webinars:registration_create", args=[webinar.pk])
    data = form_data(participant.email.upper())
    with django_assert_max_num_queries(KNOWN_PERSON_STATEMENTS + SERVICE_TRANSACTION) as captured:
        response = client.post(url, data)
    assert len(statements(captured)) <= KNOWN_PERSON_STATEMENTS
    assert response["Location"] == reverse("webinars:registration_sent", args=[webinar.pk])
    assert Registration.objects.get(webinar=webinar).person == person_of(participant)


def test_a_replayed_registration_writes_nothing_but_the_mail_with_the_link(
    client: Client, webinar: Webinar, django_assert_max_num_queries: DjangoAssertNumQueries
) -> None:
    url = reverse("webinars:registration_create", args=[webinar.pk])
    data = form_data("maria@port.example.mx")
    client.post(url, data)
    people, outbox = Person.objects.count(), OutboxMessage.objects.count()
    with django_assert_max_num_queries(REPLAY_STATEMENTS + SERVICE_TRANSACTION) as captured:
        response = client.post(url, data)
    assert len(statements(captured)) <= REPLAY_STATEMENTS
    assert response["Location"] == reverse("webinars:registration_sent", args=[webinar.pk])
    writes = [sql for sql in statements(captured) if sql.startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split('"')[1] for sql in writes] == ["directory_person", "core_outboxmessage"]
    assert Person.objects.count() == people  # the person INSERT found the address and wrote nothing
    assert OutboxMessage.objects.count() == outbox + 1  # only the mail with their link
    assert Registration.objects.filter(webinar=webinar).count() == 1
