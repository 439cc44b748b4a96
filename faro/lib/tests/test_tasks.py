"""Faro's `@task`: a plain function until a task is sent, then the Celery task of the same name."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator

import pytest
from django.conf import settings

from faro.core.tasks import ping
from faro.lib.tasks import Task, celery_app, task


@task
def double(number: int) -> int:
    return 2 * number


@pytest.fixture
def memory_broker() -> Iterator[None]:
    """A broker in this process (kombu's memory transport): sending a task leaves a message in it."""
    app = celery_app()
    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url="memory://", task_always_eager=False)
    app._after_fork()  # type: ignore[attr-defined]  # Celery's private reset: forget pools made for another broker
    try:
        yield
    finally:
        app.conf.update(saved)
        app._after_fork()  # type: ignore[attr-defined]  # as above


def test_calling_a_task_runs_the_function_here() -> None:
    assert double(4) == 8
    assert ping.__name__ == "ping"
    assert ping.__doc__ == "A task that touches nothing, for checking that a worker is alive and connected."


def test_the_task_has_celerys_name_and_is_registered_with_faros_app() -> None:
    assert double.name == "faro.lib.tests.test_tasks.double"
    registered = celery_app().tasks[double.name]
    assert registered.run(5) == 10
    assert celery_app().tasks["faro.core.tasks.deliver_outbox_message"].acks_late is True


def test_with_no_broker_delay_runs_the_task_at_once() -> None:
    assert double.delay(21).get() == 42
    assert ping.apply_async().get() == "pong"


def test_with_a_broker_the_task_is_sent_to_it_by_name(memory_broker: None) -> None:
    double.delay(3)
    with celery_app().connection_for_read() as connection:
        message = connection.SimpleQueue(celery_app().conf.task_default_queue).get(block=True, timeout=5)
        message.ack()
    args, _kwargs, _embed = message.payload
    assert message.headers["task"] == "faro.lib.tests.test_tasks.double"
    assert celery_app().tasks[message.headers["task"]](*args) == 6  # what the worker runs


def test_a_task_declared_after_the_app_loaded_is_registered_too() -> None:
    def triple(number: int) -> int:
        return 3 * number

    declared = task(triple)
    assert isinstance(declared, Task)
    assert celery_app().tasks[declared.name].run(2) == 6


WORKER_START = """
import json, django
django.setup()
from faro.celery import app
app.loader.import_default_modules()  # what `celery -A faro worker` and `beat` do at start (autodiscovery)
print(json.dumps(sorted(name for name in app.tasks if name.startswith("faro."))))
"""


def test_the_worker_and_beat_find_every_task_and_every_scheduled_name() -> None:
    env = {**os.environ, "DATABASE_URL": "sqlite://:memory:"}
    result = subprocess.run([sys.executable, "-c", WORKER_START], capture_output=True, text=True, check=True, env=env)
    registered = set(json.loads(result.stdout))
    assert {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()} <= registered
    assert {"faro.core.tasks.deliver_outbox_message", "faro.webinars.tasks.send_registration_mail"} <= registered
    assert "faro.certificates.tasks.issue_certificates_task" in registered
    assert len(registered) == 19  # every @task in faro/*/tasks.py
