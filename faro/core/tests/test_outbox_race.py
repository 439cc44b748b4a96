"""Workers racing for the same messages (PostgreSQL only): each message is claimed, and run, once.

A message is handed over again when its broker message seems lost, so two workers can be given the
same ids at the same moment; the claim's conditional UPDATE is what keeps the second one out.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from faro.core import outbox
from faro.core.models import OutboxMessage
from faro.core.tests.test_outbox import record_call

MESSAGES = 30
WORKERS = 6


@pytest.mark.django_db(transaction=True)
def test_workers_given_the_same_messages_run_each_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL (CI runs the suite on it)")
    task = outbox.task_name(record_call)
    rows = [OutboxMessage(kind=OutboxMessage.Kind.TASK, task=task, args=[n]) for n in range(MESSAGES)]
    ids = [message.pk for message in OutboxMessage.objects.bulk_create(rows)]  # due, nobody's yet
    start = threading.Barrier(WORKERS)

    def work(_index: int) -> list[int]:
        try:
            start.wait(timeout=30)
            return [message.pk for message in outbox.claim(*ids)]
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        claimed = [pk for taken in pool.map(work, range(WORKERS)) for pk in taken]
    assert sorted(claimed) == ids  # every message claimed, none twice
    assert OutboxMessage.objects.filter(pk__in=ids, status=OutboxMessage.Status.RUNNING, attempts=1).count() == MESSAGES
