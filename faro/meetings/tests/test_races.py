"""Two changes to one delegation at the same moment: one wins, the other is told (PostgreSQL only)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from conftest import at_the_same_moment
from faro.accounts.models import User
from faro.meetings import services
from faro.meetings.models import Delegation, Participant
from faro.meetings.tests.conftest import pdf_upload

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("real concurrent connections need PostgreSQL (CI runs the suite on it)")


def test_accrediting_and_sending_back_at_once_ends_one_way(
    jamaica_delegation: Delegation, head: Participant, focal_point: User, staff: User
) -> None:
    services.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=pdf_upload())
    services.submit_delegation(jamaica_delegation, acting_user=focal_point)
    one, other = (Delegation.objects.get(pk=jamaica_delegation.pk) for _ in range(2))
    results = at_the_same_moment(
        lambda: services.accredit_delegation(one, acting_user=staff),
        lambda: services.request_corrections(other, acting_user=staff, message="Letter unsigned"),
    )
    losers = [r for r in results if isinstance(r, ValidationError)]
    assert len(losers) == 1
    final = Delegation.objects.get(pk=jamaica_delegation.pk).status
    assert final == (Delegation.Status.CORRECTIONS if results[0] is losers[0] else Delegation.Status.ACCREDITED)


def test_a_participant_added_while_the_delegation_is_submitted_is_refused_or_in_before(
    jamaica_delegation: Delegation, head: Participant, focal_point: User
) -> None:
    services.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=pdf_upload())
    submitting, adding = (Delegation.objects.get(pk=jamaica_delegation.pk) for _ in range(2))
    results = at_the_same_moment(
        lambda: services.submit_delegation(submitting, acting_user=focal_point),
        lambda: services.add_participant(
            adding, acting_user=focal_point, first_name="Late", last_name="Comer", role=Participant.Role.DELEGATE
        ),
    )
    assert not isinstance(results[0], Exception)
    added = Participant.objects.filter(delegation=jamaica_delegation, person__last_name="Comer").exists()
    assert added != isinstance(results[1], ValidationError)
