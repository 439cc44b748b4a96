"""The public registration request's database work is pinned, so a change that adds queries fails here.

Counted from the view's first query to its last, in the test transaction (the service's transaction
is a savepoint here, so SAVEPOINT/RELEASE are counted too). Mail and webhooks are not in the count:
they run after commit, in a Celery task when a broker is set. `bench/registration_load.py` measures
what these queries cost under load.
"""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from faro.directory.models import MemberState
from faro.webinars.models import Registration, Webinar

pytestmark = pytest.mark.django_db

# webinar, questions, member state | person by email, SAVEPOINT, INSERT person, RELEASE, partner ids |
# lock the webinar, confirmed count, INSERT registration, INSERT audit entry (a person new in this
# transaction has no registration to look up), and the SAVEPOINT/RELEASE of the service's transaction;
# the two outbox rows written with it (the confirmation mail, the registration.created event).
NEW_REGISTRANT_QUERIES = 16
# The same for a person already known by email: no INSERT person, but their registration is looked up.
KNOWN_PERSON_QUERIES = 14
# webinar, questions, member state | SAVEPOINT, person by email, partner ids | lock, this person's
# registration, the outbox row of the mail that sends them their link again (throttled per address), RELEASE.
REPLAY_QUERIES = 11


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
    client: Client, webinar: Webinar, django_assert_max_num_queries: Any
) -> None:
    url = reverse("webinars:register", args=[webinar.pk])
    data = form_data("maria@port.example.mx")
    with django_assert_max_num_queries(NEW_REGISTRANT_QUERIES):
        response = client.post(url, data)
    assert response.status_code == 302
    assert "sessionid" not in response.cookies
    assert Registration.objects.filter(webinar=webinar, person__email="maria@port.example.mx").exists()


def test_a_known_person_costs_a_fixed_number_of_queries(
    client: Client, webinar: Webinar, participant: Any, django_assert_max_num_queries: Any
) -> None:
    url = reverse("webinars:register", args=[webinar.pk])
    data = form_data(participant.email.upper())
    with django_assert_max_num_queries(KNOWN_PERSON_QUERIES):
        response = client.post(url, data)
    assert response["Location"] == reverse("webinars:registration_sent", args=[webinar.pk])
    assert Registration.objects.get(webinar=webinar).person == participant.person


def test_a_replayed_registration_writes_nothing_but_the_mail_with_the_link(
    client: Client, webinar: Webinar, django_assert_max_num_queries: Any
) -> None:
    url = reverse("webinars:register", args=[webinar.pk])
    data = form_data("maria@port.example.mx")
    client.post(url, data)
    with django_assert_max_num_queries(REPLAY_QUERIES) as captured:
        response = client.post(url, data)
    assert response["Location"] == reverse("webinars:registration_sent", args=[webinar.pk])
    writes = [q["sql"] for q in captured.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert [sql.split('"')[1] for sql in writes] == ["core_outboxmessage"]  # only the mail with their link
    assert Registration.objects.filter(webinar=webinar).count() == 1
