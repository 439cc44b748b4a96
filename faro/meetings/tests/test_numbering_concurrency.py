"""Document numbers under concurrency: the counter row lock gives each writer its own number."""

import time
from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import pytest
from django.db import connection, transaction

from faro.meetings import services

WRITERS = 8


def _take_number(barrier: Barrier) -> int:
    try:
        barrier.wait()
        with transaction.atomic():
            number = services.next_document_number("CIDI/CIP", 2027)
            time.sleep(0.02)  # hold the lock a little so the writers really overlap
        return number
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_consecutive_distinct_numbers(db: None) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the in-memory SQLite test database has no concurrent writers; CI runs this on PostgreSQL")
    barrier = Barrier(WRITERS)
    with ThreadPoolExecutor(WRITERS) as pool:
        numbers = list(pool.map(lambda _n: _take_number(barrier), range(WRITERS)))
    assert sorted(numbers) == list(range(1, WRITERS + 1))
