"""A reviewer invited for named calls is offered only those calls' applications."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from faro.accounts import invitations
from faro.accounts.models import Invitation, RoleAssignment, User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution
from faro.scholarships import services as scholarships
from faro.scholarships.tests.factories import make_call

pytestmark = pytest.mark.django_db


def test_a_reviewer_of_named_calls_is_in_the_pool_of_those_calls_only(
    client: Client,
    staff: User,
    partner_institution: Institution,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    first = make_call([make_offering(make_course(partner_institution))])
    second = make_call([make_offering(make_course(partner_institution), code="DR-1")], title={"en": "Dredging call"})
    client.force_login(staff)
    form = client.get(reverse("accounts:invitation_create")).content.decode()
    assert "Port scholarships" in form  # the calls to choose from
    assert "Dredging call" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitation_create"),
            {
                "email": "carla@review.example.cl",
                "role": RoleAssignment.Role.REVIEWER,
                "calls": [first.pk],
                "starts_on": timezone.localdate().isoformat(),
            },
        )
    assert response.status_code == 302
    assert Invitation.objects.get().call_ids == [first.pk]
    link = mail.outbox[0].body.split("/accounts/invitation/", 1)[1].split("/", 1)[0]
    client.logout()
    client.post(f"/accounts/invitation/{link}/", {"full_name": "Carla Méndez", "preferred_language": "es"})
    carla = User.objects.get(email="carla@review.example.cl")
    assert carla.roles.get().call_ids == [first.pk]
    assert carla in scholarships.reviewers(first)
    assert carla not in scholarships.reviewers(second)
    assert carla in scholarships.reviewers()


def test_an_invitation_records_calls_only_for_reviewers(staff: User) -> None:
    invitation, _link = invitations.send_invitation(
        "x@example.org", role=RoleAssignment.Role.STAFF, call_ids=[1, 2], acting_user=staff
    )
    assert invitation.call_ids == []
