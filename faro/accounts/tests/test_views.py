"""The signed-in person's own page."""

import pytest
from django.test import Client
from django.urls import reverse

from faro.accounts.models import User


@pytest.mark.django_db
def test_my_page_links_to_my_applications_and_certificates(client: Client, participant: User) -> None:
    client.force_login(participant)
    page = client.get("/accounts/me/").content.decode()
    assert reverse("certificates:my_certificates") in page
    assert reverse("scholarships:my_applications") in page
    assert reverse("api:tokens") in page
    assert reverse("api:webhooks") not in page
