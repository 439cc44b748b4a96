"""200 people register at once for 50 seats: exactly 50 confirmed, 150 waitlisted (PostgreSQL only).

On SQLite, IMMEDIATE transactions already let one writer in at a time; the row lock that makes
this hold on PostgreSQL is `select_for_update` on the webinar in `register_for_webinar`.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from faro.directory.models import MemberState
from faro.webinars.models import Registration, Webinar
from faro.webinars.services import register_for_webinar
from faro.webinars.tests.conftest import make_webinar

REGISTRANTS = 200
SEATS = 50
WORKERS = 40  # concurrent connections; PostgreSQL's default limit is 100 for everyone


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_overbook() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL (CI runs the suite on it)")
    webinar = make_webinar(capacity=SEATS)
    country = MemberState.objects.get(code="MX")
    start = threading.Barrier(WORKERS)

    def attempt(index: int) -> str:
        try:
            if index < WORKERS:
                start.wait(timeout=30)  # the first wave leaves together
            outcome = register_for_webinar(
                webinar,
                acting_user=None,
                email=f"racer{index}@port.example.mx",
                first_name=f"Racer {index}",
                member_state=country,
                consent=True,
            )
            return outcome.registration.status
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        statuses = list(pool.map(attempt, range(REGISTRANTS)))
    assert statuses.count("confirmed") == SEATS
    assert statuses.count("waitlisted") == REGISTRANTS - SEATS
    rows = Registration.objects.filter(webinar=webinar)
    assert rows.filter(status="confirmed").count() == SEATS
    assert rows.filter(status="waitlisted").count() == REGISTRANTS - SEATS
    assert Webinar.objects.get(pk=webinar.pk).seats_left() == 0
