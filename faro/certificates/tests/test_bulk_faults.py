"""Bulk issue under faults: two issues at once, a worker killed midway, then resumed.

Certificates are never duplicated and every holder is mailed exactly once. The races use real
concurrent connections and the killed worker a real Celery worker process, so these run on
PostgreSQL (and need redis-server for the worker).
"""

import datetime
import threading
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from faro.accounts.models import User
from faro.certificates import services
from faro.certificates.models import Certificate, Kind
from faro.certificates.tests.test_programme_adapters import make_template
from faro.core import outbox
from faro.core.models import Job, OutboxMessage
from faro.core.tests.servers import Worker, broker_and_cache, needs_redis, redis_server
from faro.directory.models import MemberState, Person
from faro.webinars.models import Attendance, Webinar
from faro.webinars.tests.conftest import make_webinar

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent connections and a worker process need PostgreSQL"
)
pytestmark = [on_postgresql, pytest.mark.django_db(transaction=True)]


def held_webinar(attendees: int) -> Webinar:
    starts = datetime.datetime(2025, 3, 4, 15, 0, tzinfo=datetime.UTC)
    webinar = make_webinar(starts_at=starts, ends_at=starts + datetime.timedelta(minutes=60))
    Webinar.objects.filter(pk=webinar.pk).update(status=Webinar.Status.HELD)
    state = MemberState.objects.get(code="PE")
    people = Person.objects.bulk_create(
        Person(first_name="Holder", last_name=f"{n:04d}", member_state=state, email=f"holder{n}@port.example.pe")
        for n in range(attendees)
    )
    Attendance.objects.bulk_create(Attendance(webinar=webinar, person=p, minutes=55) for p in people)
    return Webinar.objects.get(pk=webinar.pk)


def mails_per_address() -> dict[str, int]:
    counts: dict[str, int] = {}
    for message in OutboxMessage.objects.filter(task="certificates/emails/issued"):
        counts[message.kwargs["to"]] = counts.get(message.kwargs["to"], 0) + 1
    return counts


def test_two_concurrent_bulk_issues_mail_nobody_twice(staff: User) -> None:
    webinar = held_webinar(60)
    template = make_template(Kind.WEBINAR)
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def issue() -> None:
        try:
            barrier.wait(timeout=10)
            services.issue_eligible_certificates(Kind.WEBINAR, webinar, acting_user=staff, template=template)
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issue) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Certificate.objects.filter(source_id=webinar.pk).count() == 60
    assert set(mails_per_address().values()) == {1}
    assert len(mails_per_address()) == 60
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == 60
    assert len(set(addresses)) == 60


@needs_redis
def test_a_worker_killed_midway_shows_a_stalled_job_and_resuming_finishes_exactly_the_rest(
    tmp_path: Path, settings: Settings, client: Client, staff: User
) -> None:
    total = 400
    webinar = held_webinar(total)
    template = make_template(Kind.WEBINAR)
    database_url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict)
    with redis_server(tmp_path) as redis:
        worker = Worker(
            redis.url,
            tmp_path / "worker.log",
            DATABASE_URL=database_url,
            FARO_CERTIFICATES_BATCH="20",
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        )
        try:
            worker.wait_ready()
            with broker_and_cache(redis.url, settings):
                job = services.start_bulk_issue(Kind.WEBINAR, webinar, acting_user=staff, template=template)
            killed_at = kill_when_halfway(worker, job, total)
        finally:
            worker.stop()
    issued_before = Certificate.objects.filter(source_id=webinar.pk).count()
    assert 0 < issued_before < total
    assert killed_at < total

    settings.FARO_JOB_STALLED_AFTER = 1
    time.sleep(1.5)
    client.force_login(staff)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "Stalled" in page
    assert reverse("core:job_resume", args=[job.pk]) in page
    response = client.post(reverse("core:job_resume", args=[job.pk]))  # no broker here: runs at once
    assert response.status_code == 302
    outbox.relay()  # mails the dead worker had queued but not delivered

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.result == {"created": total - issued_before}  # exactly the rest
    assert Certificate.objects.filter(source_id=webinar.pk).count() == total
    per_address = mails_per_address()
    assert len(per_address) == total
    assert set(per_address.values()) == {1}
    mails = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.MAIL)
    assert not mails.exclude(status=OutboxMessage.Status.DONE).exists()


def kill_when_halfway(worker: Worker, job: Job, total: int) -> int:
    """Kill the worker once it has issued some certificates but not all; returns how many it had done."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        done = Job.objects.filter(pk=job.pk).values_list("done", flat=True).get()
        if 0 < done < total:
            worker.kill()
            return done
        assert worker.alive, worker.log.read_text()
        time.sleep(0.01)
    raise TimeoutError(worker.log.read_text())
