"""The outbox: side effects saved with the write, delivered once after commit, retried after outages."""

import datetime
import smtplib
from collections.abc import Callable
from contextlib import AbstractContextManager
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import make_user
from faro.core import outbox
from faro.core.models import OutboxMessage
from faro.directory.models import MemberState

pytestmark = pytest.mark.django_db

CALLS: list[tuple[Any, ...]] = []


def record_call(*args: Any) -> None:
    CALLS.append(args)


class DownBackend(locmem.EmailBackend):
    """A mail server that cannot be reached."""

    def send_messages(self, messages: Any) -> int:
        raise ConnectionRefusedError("connection refused")


class RefusingBackend(locmem.EmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise smtplib.SMTPRecipientsRefused({"x@example.org": (550, b"no such user")})


def queue_password_mail(to: str = "ana@port.example.br") -> OutboxMessage:
    user = make_user(to)
    user.full_name = "Ana Silva"
    user.save()
    context = {"user": user, "uid": "MQ", "token": "tok-en", "sent": datetime.date(2026, 12, 2)}
    assert outbox.mail_each("accounts/emails/password_reset", context, [(to, "pt")]) == 1
    return OutboxMessage.objects.latest("pk")


@pytest.fixture
def commit(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> Callable[[], AbstractContextManager[list[Callable[[], Any]]]]:
    """`with commit():` — what runs on commit runs when the block ends, as after a real commit."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def make_due(message: OutboxMessage) -> None:
    OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


def test_a_write_that_rolls_back_leaves_no_message_and_sends_nothing(
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue_password_mail()
        raise RuntimeError("the write failed")
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


def test_a_committed_mail_is_sent_once_with_its_context_read_again(commit: Any) -> None:
    with commit():
        message = queue_password_mail()
    assert [m.to for m in mail.outbox] == [["ana@port.example.br"]]
    assert "Ana Silva" in mail.outbox[0].body  # the user, loaded again by primary key
    assert "/MQ/tok-en/" in mail.outbox[0].body
    assert "senha" in mail.outbox[0].subject  # in the recipient's language
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE
    assert message.attempts == 1
    assert outbox.deliver(message.pk) is False  # delivered: a second hand-over runs nothing
    assert len(mail.outbox) == 1


def test_a_task_runs_once_after_commit(commit: Any) -> None:
    CALLS.clear()
    with commit():
        message = outbox.enqueue(record_call, 7, "x")
    assert CALLS == [(7, "x")]
    assert outbox.deliver(message.pk) is False
    assert CALLS == [(7, "x")]


def test_a_mail_server_outage_delays_the_mail_and_the_relay_sends_it_once(settings: Settings, commit: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    with commit():
        message = queue_password_mail()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING
    assert message.attempts == 1
    assert "connection refused" in message.last_error
    assert message.next_attempt_at > timezone.now() + datetime.timedelta(seconds=50)  # backs off
    assert outbox.relay() == 0  # not due yet
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(message)
    assert outbox.relay() == 1
    assert outbox.relay() == 0
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DONE


def test_backoff_grows_and_the_outbox_gives_up_after_the_last_attempt(settings: Settings, commit: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    with commit():
        message = queue_password_mail()
    waits = []
    for _attempt in range(outbox.MAX_ATTEMPTS - 1):
        message.refresh_from_db()
        waits.append(round((message.next_attempt_at - timezone.now()).total_seconds() / 60))
        make_due(message)
        outbox.relay()
    message.refresh_from_db()
    assert waits == [1, 5, 15, 60, 180, 360, 720, 720, 720]  # minutes
    assert message.status == OutboxMessage.Status.FAILED
    assert message.attempts == outbox.MAX_ATTEMPTS


def test_a_refused_address_fails_at_once_and_is_not_retried(settings: Settings, commit: Any) -> None:
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with commit():
        message = queue_password_mail()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "550" in message.last_error


def test_a_message_claimed_by_a_worker_that_died_is_relayed_again() -> None:
    CALLS.clear()
    message = outbox.enqueue(record_call, 1)  # (not committed yet: not handed over)
    assert [taken.pk for taken in outbox.claim(message.pk)] == [message.pk]  # a worker took it ... and was killed
    assert outbox.relay() == 0  # a live claim is left alone
    OutboxMessage.objects.filter(pk=message.pk).update(claimed_at=timezone.now() - datetime.timedelta(hours=1))
    assert outbox.relay() == 1
    assert CALLS == [(1,)]


def test_with_the_broker_down_the_message_waits_and_nothing_raises(settings: Settings, commit: Any) -> None:
    from faro.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    app.conf.update(broker_url="redis://127.0.0.1:1/0", task_always_eager=False)
    app._after_fork()  # type: ignore[attr-defined]  # Celery's private reset: forget pools made for another broker
    try:
        outbox._Broker.down_until = 0.0
        CALLS.clear()
        with commit():
            first = outbox.enqueue(record_call, 1)
        with commit():
            second = outbox.enqueue(record_call, 2)  # the broker is known to be down: not even tried
    finally:
        app.conf.update(broker_url=None, task_always_eager=True)
        app._after_fork()  # type: ignore[attr-defined]  # Celery's private reset: forget pools made for another broker
        outbox._Broker.down_until = 0.0
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == OutboxMessage.Status.PENDING
    assert first.relayed_at is None
    assert "broker" in first.last_error
    assert second.last_error == ""
    assert CALLS == []
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert outbox.relay() == 2  # no broker configured any more: delivered here
    assert CALLS == [(1,), (2,)]


def test_the_relay_command_is_idempotent(settings: Settings, commit: Any) -> None:
    from django.core.management import call_command

    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"
    with commit():
        message = queue_password_mail()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    make_due(message)
    call_command("relay_outbox")
    call_command("relay_outbox")
    assert len(mail.outbox) == 1


def test_an_unsaved_object_cannot_go_in_the_outbox() -> None:
    with pytest.raises(TypeError):
        outbox.mail_each("accounts/emails/password_reset", {"member_state": MemberState()}, [("a@b.c", "en")])


def test_the_relay_drops_delivered_messages_after_a_month(commit: Any) -> None:
    with commit():
        old = outbox.enqueue(record_call, "old")
        recent = outbox.enqueue(record_call, "recent")
    OutboxMessage.objects.filter(pk=old.pk).update(delivered_at=timezone.now() - datetime.timedelta(days=31))
    outbox.relay()
    assert list(OutboxMessage.objects.values_list("pk", flat=True)) == [recent.pk]


def test_messages_enqueued_together_take_one_insert_and_run_in_order(
    commit: Any, django_assert_num_queries: Any
) -> None:
    CALLS.clear()
    with commit(), django_assert_num_queries(1):
        first, second = outbox.enqueue_together((record_call, ["first"]), (record_call, ["second", 2]))
    assert first.pk < second.pk
    assert CALLS == [("first",), ("second", 2)]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxMessage.Status.DONE}


def test_mail_each_queues_one_mail_per_address_in_its_language_after_commit(commit: Any) -> None:
    user = make_user("ana@port.example.br")
    context = {"user": user, "uid": "MQ", "token": "tok-en", "sent": datetime.date(2026, 12, 2)}
    person = SimpleNamespace(email="ana@port.example.br", preferred_language="pt")
    nobody = SimpleNamespace(email=None, preferred_language="es")
    with commit():
        queued = outbox.mail_each(
            "accounts/emails/password_reset", context, [person, nobody, ("ANA@port.example.br", "fr"), person]
        )
        assert mail.outbox == []  # nothing leaves before the commit
    assert queued == 2  # the person twice is one mail; no address, no mail
    assert sorted(m.to[0] for m in mail.outbox) == ["ANA@port.example.br", "ana@port.example.br"]
    assert OutboxMessage.objects.count() == 2


def test_with_a_broker_messages_queued_together_go_in_one_broker_message_and_no_update(
    settings: Settings, commit: Any, monkeypatch: pytest.MonkeyPatch, django_assert_num_queries: Any
) -> None:
    from faro.core.tasks import deliver_outbox_message

    published: list[tuple[int, ...]] = []
    monkeypatch.setattr(deliver_outbox_message, "delay", lambda *ids: published.append(ids))
    settings.CELERY_TASK_ALWAYS_EAGER = False
    outbox._Broker.down_until = 0.0
    with commit(), django_assert_num_queries(1):  # the INSERT; nothing after commit but the broker message
        first, second = outbox.enqueue_together((record_call, ["first"]), (record_call, ["second"]))
    assert published == [(first.pk, second.pk)]
    relayed = OutboxMessage.objects.filter(relayed_at__isnull=False).count()
    assert relayed == 2  # the relay leaves them to the broker
    assert outbox.relay() == 0


def test_a_worker_delivers_messages_sent_together_in_their_order(commit: Any) -> None:
    from faro.core.tasks import deliver_outbox_message

    CALLS.clear()
    first = outbox.enqueue(record_call, "first")  # not committed: not delivered yet
    second = outbox.enqueue(record_call, "second")
    assert deliver_outbox_message(first.pk, second.pk) is True
    assert CALLS == [("first",), ("second",)]


def test_mail_each_carries_headers_and_attachments_to_every_recipient(commit: Any) -> None:
    user = make_user("ana@port.example.br")
    context = {"user": user, "uid": "MQ", "token": "tok-en", "sent": datetime.date(2026, 12, 2)}
    with commit():
        outbox.mail_each(
            "accounts/emails/password_reset",
            context,
            [("ana@port.example.br", "pt"), ("luis@port.example.mx", "es")],
            headers={"X-Faro-Mailing": "7"},
            attachments=[("note.bin", b"\x00binary", "application/octet-stream")],
        )
    assert [m.extra_headers["X-Faro-Mailing"] for m in mail.outbox] == ["7", "7"]
    assert [m.attachments[0][1] for m in mail.outbox] == [b"\x00binary", b"\x00binary"]


def test_a_worker_claims_the_messages_sent_together_in_one_statement(django_assert_num_queries: Any) -> None:
    from faro.core.tasks import deliver_outbox_message

    CALLS.clear()
    first, second = outbox.enqueue_together((record_call, ["first"]), (record_call, ["second"]))
    with django_assert_num_queries(3):  # one claim for both, then one "delivered" each
        assert deliver_outbox_message(first.pk, second.pk) is True
    assert CALLS == [("first",), ("second",)]


def test_a_claim_takes_only_due_messages_nobody_holds_in_the_order_asked() -> None:
    held, later, due, other = (outbox.enqueue(record_call, n) for n in range(4))
    outbox.claim(held.pk)  # another worker has it
    OutboxMessage.objects.filter(pk=later.pk).update(next_attempt_at=timezone.now() + datetime.timedelta(hours=1))
    taken = outbox.claim(other.pk, held.pk, later.pk, due.pk)
    assert [message.pk for message in taken] == [other.pk, due.pk]
    assert {message.status for message in taken} == {OutboxMessage.Status.RUNNING}
    assert [message.attempts for message in taken] == [1, 1]
    assert taken[0].args == [3]  # JSON read back as the ORM would


def test_the_times_a_worker_writes_compare_like_those_the_orm_writes() -> None:
    """Claim and delivery are written as SQL of their own: on SQLite too the stored moments must sort
    and compare as the ORM's own, or the relay would miss a dead worker's claim or keep mail for ever."""
    message = outbox.enqueue(record_call, "x")
    before = timezone.now()
    (claimed,) = outbox.claim(message.pk)
    assert claimed.claimed_at is not None
    assert claimed.claimed_at >= before
    assert OutboxMessage.objects.filter(pk=message.pk, claimed_at__gte=before, claimed_at__lte=timezone.now()).exists()
    OutboxMessage.objects.filter(pk=message.pk).update(status=OutboxMessage.Status.PENDING)
    assert outbox.deliver(message.pk) is True
    stored = OutboxMessage.objects.get(pk=message.pk)
    assert stored.status == OutboxMessage.Status.DONE
    assert stored.delivered_at is not None
    assert stored.delivered_at >= before
    outbox.relay(now=timezone.now() + outbox.KEEP_DELIVERED + datetime.timedelta(minutes=1))
    assert not OutboxMessage.objects.filter(pk=message.pk).exists()  # delivered long ago: dropped


def test_a_long_batch_is_claimed_a_few_messages_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """A mailing's hundred messages are not all held by one worker from the first one on."""
    CALLS.clear()
    messages = [outbox.enqueue(record_call, n) for n in range(25)]
    claims: list[int] = []
    claim = outbox.claim

    def counted(*ids: int) -> list[OutboxMessage]:
        claims.append(len(ids))
        return claim(*ids)

    monkeypatch.setattr(outbox, "claim", counted)
    assert outbox.deliver(*(message.pk for message in messages)) is True
    assert claims == [outbox.CLAIM_AT_ONCE, outbox.CLAIM_AT_ONCE, 25 - 2 * outbox.CLAIM_AT_ONCE]
    assert [(n,) for n in range(25)] == CALLS
