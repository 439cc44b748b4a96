"""The transactional outbox: side effects of a write are saved with the write, then delivered.

A service calls, inside its transaction, `enqueue(task, *args)` for a background task (by primary
keys; `enqueue_together` records several in one INSERT, `enqueue_at` not before a moment) or
`mail_each(template, context, recipients)` for mail. The message is a row
in the same database transaction, so a write that rolls back sends nothing and one that commits
cannot lose its mail. After commit the message is handed to Celery (or, with no broker, delivered
at once in this process, as before); if the broker is down it simply waits. A message bound for a
broker is marked handed over in its own INSERT, and the messages a service queues together travel
in one broker message, so the request sends no statement after its commit. With a plain Redis
broker that message is written straight on the queue by a client kept for the process
(`lib.broker`), not through Celery's publishing machinery. `relay()` — every
minute from Celery beat, or `manage.py relay_outbox` from cron — hands over whatever is due and
not yet taken. A worker claims a message with one conditional update before running it, so a
message handed over twice still runs once. Failures are retried with backoff; a permanent one
(an SMTP 5xx, a vanished object) is recorded and not retried.

Mail has two entry points, not one, because the two kinds are stored differently:
- `mail_each` — Faro's own templated mails. The row keeps the template and the context by primary
  key and renders at delivery, in each recipient's language, from the committed records.
- `enqueue_rendered_mail` — a mail another library has rendered already (allauth's codes and reset
  links): only its text can be kept, and that text is dropped once delivered (one-time codes).
A mail whose content a task computes at delivery (a webinar registration's link and calendar entry)
is a task like any other: `enqueue`, or `enqueue_together` with the other side effects of the write.
"""

import base64
import datetime
import decimal
import logging
import smtplib
import time
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string

from faro.core.models import OutboxMessage
from faro.lib import broker
from faro.lib.inserts import insert, insert_one

logger = logging.getLogger(__name__)

BROKER_RETRY_AFTER = 10.0  # after a failed hand-over, leave the broker alone this long (seconds)
BACKOFF_SECONDS = [60, 5 * 60, 15 * 60, 60 * 60, 3 * 3600, 6 * 3600, 12 * 3600]
MAX_ATTEMPTS = 10
RELAY_BATCH = 1000
CLAIM_AT_ONCE = 10  # messages of one broker message a worker claims together
KEEP_DELIVERED = datetime.timedelta(days=30)

TaskRef = str | Callable[..., Any]


# --- Writing --------------------------------------------------------------------------------


def task_name(task: TaskRef) -> str:
    """The dotted path the worker imports: a Celery task's name, or a function's module path."""
    if isinstance(task, str):
        return task
    name = getattr(task, "name", None)  # Celery tasks
    return name if isinstance(name, str) else f"{task.__module__}.{task.__qualname__}"


def enqueue(task: TaskRef, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Record `task(*args, **kwargs)` (JSON arguments: primary keys, strings) to run after commit."""
    message = OutboxMessage(
        kind=OutboxMessage.Kind.TASK, task=task_name(task), args=list(args), kwargs=kwargs, relayed_at=_relaying()
    )
    insert_one(message)
    _relay_on_commit(message)
    return message


def enqueue_together(*calls: tuple[TaskRef, list[Any]]) -> list[OutboxMessage]:
    """Record several `(task, args)` with one INSERT (a busy request's side effects), in this order;
    after commit they go to the broker in one message, and a worker runs them in this order."""
    relayed_at = _relaying()
    rows = [
        OutboxMessage(kind=OutboxMessage.Kind.TASK, task=task_name(task), args=list(args), relayed_at=relayed_at)
        for task, args in calls
    ]
    messages = insert(rows)
    _relay_on_commit(*messages)
    return messages


def enqueue_at(when: datetime.datetime, task: TaskRef, *args: Any, **kwargs: Any) -> OutboxMessage:
    """Like `enqueue`, but not before `when` (the relay hands it over once it is due)."""
    message = OutboxMessage.objects.create(
        kind=OutboxMessage.Kind.TASK, task=task_name(task), args=list(args), kwargs=kwargs, next_attempt_at=when
    )
    _relay_on_commit(message)  # not due yet: the relay hands it over when it is
    return message


RENDERED_MAIL_TASK = "faro.core.outbox.send_rendered_mail"


def enqueue_rendered_mail(message: EmailMessage) -> OutboxMessage:
    """Record a mail another library has already rendered (allauth's sign-in codes and reset links),
    to send after commit like any other. What it says is dropped once it is delivered: such mails
    carry one-time codes, and the outbox keeps delivered rows a while for tracing."""
    alternatives = [[str(content), mimetype] for content, mimetype in getattr(message, "alternatives", [])]
    return enqueue(
        RENDERED_MAIL_TASK,
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email,
        to=list(message.to),
        headers=dict(message.extra_headers),
        alternatives=alternatives,
    )


def send_rendered_mail(
    *,
    subject: str,
    body: str,
    from_email: str,
    to: list[str],
    headers: dict[str, str],
    alternatives: list[list[str]],
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to, headers=headers)
    for content, mimetype in alternatives:
        message.attach_alternative(content, mimetype)
    message.send()


class Addressee(Protocol):
    """Anyone with an address and a language: a directory Person, for one."""

    email: str | None
    preferred_language: str


def mail_each(
    template: str,
    context: dict[str, Any],
    recipients: Iterable[Addressee | tuple[str, str]],
    *,
    headers: dict[str, str] | None = None,
    attachments: list[tuple[str, bytes, str]] | None = None,
) -> int:
    """The one way a service mails people after its write commits: `template` to each recipient, a
    person or an (email, language) pair, in their language — once per address, none without one.
    Model instances in `context` are kept by primary key and read again when the mail is rendered (so
    it shows the committed state); `attachments` are `(name, bytes, mime type)`. Returns how many
    mails were queued."""
    addresses: dict[str, str] = {}
    for recipient in recipients:
        email, language = recipient if isinstance(recipient, tuple) else (recipient.email, recipient.preferred_language)
        if email:
            addresses[email] = language
    if not addresses:
        return 0
    kwargs = {
        "context": pack(context),
        "headers": headers or {},
        "attachments": [[name, base64.b64encode(data).decode(), mime] for name, data, mime in attachments or []],
    }
    relayed_at = _relaying()
    rows = [
        OutboxMessage(
            kind=OutboxMessage.Kind.MAIL,
            task=template,
            kwargs={**kwargs, "to": email, "language": language},
            relayed_at=relayed_at,
        )
        for email, language in addresses.items()
    ]
    _relay_on_commit(*insert(rows))
    return len(rows)


def _relaying() -> datetime.datetime | None:
    """`relayed_at` for a new message: now when its commit will hand it to a broker, which saves the
    request an UPDATE per message after commit (the relay leaves it alone meanwhile, as any message
    handed over); None when there is no broker or it is known to be down (the relay takes it)."""
    if settings.CELERY_TASK_ALWAYS_EAGER or _Broker.is_down():
        return None
    return timezone.now()


def _relay_on_commit(*messages: OutboxMessage) -> None:
    ids = [message.pk for message in messages]
    if messages[0].relayed_at is None:  # delivered here (no broker), waiting for the relay, or not due yet
        transaction.on_commit(lambda: _hand_over_each(ids))
    else:
        transaction.on_commit(lambda: publish(ids))


def pack(value: Any) -> Any:
    """`value` as JSON, with model instances, dates and decimals tagged so `unpack` restores them."""
    if isinstance(value, models.Model):
        if value.pk is None:
            raise TypeError(f"an unsaved {value._meta.label} cannot go in the outbox")
        return {"__model__": value._meta.label, "pk": value.pk}
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, datetime.datetime):
        return {"__datetime__": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"__date__": value.isoformat()}
    if isinstance(value, decimal.Decimal):
        return {"__decimal__": str(value)}
    if isinstance(value, dict):
        return {str(key): pack(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [pack(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"{type(value).__name__} cannot go in the outbox; pass primary keys or plain values")


def unpack(value: Any) -> Any:
    if isinstance(value, list):
        return [unpack(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "__model__" in value:
        return apps.get_model(value["__model__"])._base_manager.get(pk=value["pk"])
    if "__datetime__" in value:
        return datetime.datetime.fromisoformat(value["__datetime__"])
    if "__date__" in value:
        return datetime.date.fromisoformat(value["__date__"])
    if "__decimal__" in value:
        return decimal.Decimal(value["__decimal__"])
    return {key: unpack(item) for key, item in value.items()}


# --- Handing over to the broker -------------------------------------------------------------


class _Broker:
    """Whether the last hand-over failed recently: then requests do not wait on a dead broker
    (connecting to one costs seconds); the message simply waits for the relay."""

    down_until = 0.0

    @classmethod
    def is_down(cls) -> bool:
        return time.monotonic() < cls.down_until

    @classmethod
    def failed(cls) -> None:
        cls.down_until = time.monotonic() + BROKER_RETRY_AFTER


def hand_over(message_id: int) -> None:
    """Give one message to the broker, or deliver it here when there is none. Never raises."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        deliver(message_id)
        return
    if _Broker.is_down():
        return
    now = timezone.now()
    resend_before = now - datetime.timedelta(seconds=settings.FARO_OUTBOX_RESEND_AFTER)
    taken = OutboxMessage.objects.filter(
        Q(relayed_at__isnull=True) | Q(relayed_at__lt=resend_before),
        pk=message_id,
        status=OutboxMessage.Status.PENDING,
        next_attempt_at__lte=now,
    ).update(relayed_at=now)
    if not taken:
        return  # another relay handed it over a moment ago
    try:
        send_to_broker([message_id])
    except Exception as error:  # the broker is down: the message waits for the relay
        _Broker.failed()
        logger.warning("Outbox message %s waits: broker unavailable (%s)", message_id, error)
        OutboxMessage.objects.filter(pk=message_id).update(relayed_at=None, last_error=f"broker: {error}"[:500])


def _hand_over_each(ids: list[int]) -> None:
    for message_id in ids:
        hand_over(message_id)


def publish(ids: list[int]) -> None:
    """Give messages already marked as handed over (`_relaying`) to the broker, in one Celery message
    that a worker runs in this order. Never raises: if the broker is down they wait for the relay."""
    try:
        send_to_broker(ids)
    except Exception as error:
        _Broker.failed()
        logger.warning("Outbox messages %s wait: broker unavailable (%s)", ids, error)
        OutboxMessage.objects.filter(pk__in=ids).update(relayed_at=None, last_error=f"broker: {error}"[:500])


def send_to_broker(ids: list[int]) -> None:
    """One Celery message that runs `deliver_outbox_message(*ids)`: with a plain Redis broker written
    straight on its queue by the process's client (`lib.broker`), else sent through Celery. Raises
    when the broker cannot take it."""
    from faro.core.tasks import deliver_outbox_message

    send = broker.sender_for(deliver_outbox_message)
    if send is None:
        deliver_outbox_message.delay(*ids)
    else:
        send(tuple(ids))


def relay(*, now: datetime.datetime | None = None) -> int:
    """Hand over every due message the broker has not taken; returns how many. Idempotent."""
    now = now or timezone.now()
    stale = now - datetime.timedelta(seconds=settings.FARO_OUTBOX_CLAIM_TIMEOUT)
    # A worker that claimed a message and died: the message is due again.
    OutboxMessage.objects.filter(status=OutboxMessage.Status.RUNNING, claimed_at__lt=stale).update(
        status=OutboxMessage.Status.PENDING, relayed_at=None, last_error="the worker stopped before finishing"
    )
    resend_before = now - datetime.timedelta(seconds=settings.FARO_OUTBOX_RESEND_AFTER)
    due = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now).filter(
        Q(relayed_at__isnull=True) | Q(relayed_at__lt=resend_before)
    )
    ids = list(due.order_by("pk").values_list("pk", flat=True)[:RELAY_BATCH])
    for message_id in ids:
        hand_over(message_id)
    # Delivered messages hold addresses and what was said: kept a while for tracing, then dropped.
    OutboxMessage.objects.filter(status=OutboxMessage.Status.DONE, delivered_at__lt=now - KEEP_DELIVERED).delete()
    return len(ids)


# --- Delivering -----------------------------------------------------------------------------


def claim(*ids: int) -> list[OutboxMessage]:
    """Take the due ones of `ids` for this worker, in the order given, with one statement that
    updates and returns them; a message another worker holds, or one not due, is left out."""
    if not ids:
        return []
    now = timezone.now()
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    names = [field.column for field in OutboxMessage._meta.concrete_fields if field.column]
    columns = ", ".join(connection.ops.quote_name(name) for name in names)
    placeholders = ", ".join(["%s"] * len(ids))
    # Only quoted names and placeholders are spliced in; every value is a parameter.
    sql = (
        f"UPDATE {table} SET status = %s, claimed_at = %s, attempts = attempts + 1"  # noqa: S608
        f" WHERE id IN ({placeholders}) AND status = %s AND next_attempt_at <= %s RETURNING {columns}"
    )
    moment = connection.ops.adapt_datetimefield_value(now)  # as the ORM would write it (SQLite: naive UTC)
    params = [OutboxMessage.Status.RUNNING, moment, *ids, OutboxMessage.Status.PENDING, moment]
    taken = {message.pk: message for message in OutboxMessage.objects.raw(sql, params)}
    return [taken[pk] for pk in ids if pk in taken]


def deliver(*ids: int) -> bool:
    """Claim and run messages in their order (a few claimed at a time, so a long batch leaves the
    rest to others' claims until it reaches them); True when all were delivered now. Failures are
    recorded, not raised."""
    delivered = 0
    for start in range(0, len(ids), CLAIM_AT_ONCE):
        for message in claim(*ids[start : start + CLAIM_AT_ONCE]):
            delivered += _deliver_claimed(message)
    return delivered == len(ids)


def _deliver_claimed(message: OutboxMessage) -> bool:
    try:
        run(message)
    except Exception as error:
        unexpected = not isinstance(error, OSError | smtplib.SMTPException)  # outages need no traceback
        logger.warning("Outbox message %s (%s) failed: %s", message.pk, message.task, error, exc_info=unexpected)
        _record_failure(message, error)
        return False
    _mark_delivered(message)
    return True


def _mark_delivered(message: OutboxMessage) -> None:
    now = timezone.now()
    if message.task == RENDERED_MAIL_TASK:  # one-time codes are not kept once delivered
        kept = {"to": message.kwargs.get("to", [])}
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=message.Status.DONE, delivered_at=now, kwargs=kept, last_error=""
        )
        return
    # Every delivery ends with this statement: written out, it costs the worker no query compiling.
    table = connection.ops.quote_name(OutboxMessage._meta.db_table)
    with connection.cursor() as cursor:
        sql = f"UPDATE {table} SET status = %s, delivered_at = %s, last_error = '' WHERE id = %s"  # noqa: S608
        cursor.execute(sql, [OutboxMessage.Status.DONE, connection.ops.adapt_datetimefield_value(now), message.pk])


def run(message: OutboxMessage) -> None:
    if message.kind == OutboxMessage.Kind.MAIL:
        _send_mail(message)
    else:
        import_string(message.task)(*message.args, **message.kwargs)


def _send_mail(message: OutboxMessage) -> None:
    from faro.core.mail import build_mail

    data = message.kwargs
    attachments = [(name, base64.b64decode(content), mime) for name, content, mime in data.get("attachments", [])]
    build_mail(
        message.task,
        unpack(data["context"]),
        to=data["to"],
        language=data["language"],
        headers=data.get("headers") or None,
        attachments=attachments,
    ).send()


def is_permanent(error: Exception) -> bool:
    """Errors a retry cannot cure: the server refused the address or the message (5xx), or the
    object the message was about is gone."""
    if isinstance(error, ObjectDoesNotExist | ImportError | TypeError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _text in error.recipients.values())
    code = getattr(error, "smtp_code", None)
    return isinstance(code, int) and code >= 500


def backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)])


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    give_up = is_permanent(error) or message.attempts >= MAX_ATTEMPTS
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED if give_up else OutboxMessage.Status.PENDING,
        next_attempt_at=timezone.now() + backoff(message.attempts),
        relayed_at=None,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
