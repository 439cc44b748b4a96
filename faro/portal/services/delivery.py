"""Delivering a mailing: each recipient is claimed, sent, and recorded as sent, waiting or failed.

A recipient is claimed (waiting → sending, one conditional update) before its message goes, so a
resumed or concurrent run sends nobody twice. When the mail server is unreachable or answers
"try later" (4xx), the recipient waits and is tried again with backoff; a refusal (5xx) fails it
with the server's reason. The job is queued again for the next due attempt, through the outbox,
so an outage delays the mailing and never leaves it "sending" for ever.
"""

import datetime
import logging
import smtplib
from collections import Counter

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.usertypes import Actor
from faro.core import outbox
from faro.core.audit import log_action
from faro.core.jobs import finish_job, set_job_progress
from faro.core.models import Job
from faro.portal.models import Mailing, MailingRecipient
from faro.portal.services.mailings import blocked_person_ids, build_mailing_message, mark_mailing_sent

logger = logging.getLogger(__name__)

CHUNK = 100  # recipients read per batch
BACKOFF_SECONDS = [60, 5 * 60, 15 * 60, 60 * 60, 3 * 3600, 6 * 3600]
MAX_ATTEMPTS = 8
S = MailingRecipient.Status


class MailServerUnavailable(Exception):
    """The mail server could not be reached or dropped the connection: everyone left waits."""


def due(mailing_id: int, now: datetime.datetime) -> QuerySet[MailingRecipient]:
    rows = MailingRecipient.objects.filter(mailing_id=mailing_id, status=S.QUEUED)
    return rows.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))


def deliver(mailing_id: int, job_id: int) -> dict[str, int]:
    """Send every recipient that is due, then finish the mailing or queue the next attempt."""
    now = timezone.now()
    _release_orphans(mailing_id, now)
    counts: Counter[str] = Counter()
    try:
        with get_connection() as connection:
            while chunk := list(due(mailing_id, now).select_related("mailing", "person").order_by("pk")[:CHUNK]):
                counts.update(_deliver_chunk(chunk, connection))
                _tick(job_id, mailing_id)
    except (OSError, smtplib.SMTPException, MailServerUnavailable) as error:
        logger.warning("Mailing %s: mail server unavailable (%s); recipients left wait", mailing_id, error)
        _postpone(due(mailing_id, now), reason=_("The mail server could not be reached: %(error)s") % {"error": error})
    return _wrap_up(mailing_id, job_id, counts)


def _release_orphans(mailing_id: int, now: datetime.datetime) -> None:
    """Recipients claimed by a worker that died before recording the outcome wait again."""
    stale = now - datetime.timedelta(seconds=settings.FARO_JOB_STALLED_AFTER)
    MailingRecipient.objects.filter(mailing_id=mailing_id, status=S.SENDING, claimed_at__lt=stale).update(
        status=S.QUEUED, claimed_at=None
    )


def _deliver_chunk(chunk: list[MailingRecipient], connection: BaseEmailBackend) -> Counter[str]:
    blocked = blocked_person_ids([r.person_id for r in chunk])
    outcomes: Counter[str] = Counter()
    for recipient in chunk:
        if not _claim(recipient):
            continue  # another run has it
        if recipient.person_id in blocked:
            _record(recipient, S.SKIPPED)
        else:
            _send_one(recipient, connection)
        outcomes[recipient.status] += 1
    return outcomes


def _claim(recipient: MailingRecipient) -> bool:
    rows = MailingRecipient.objects.filter(pk=recipient.pk, status=S.QUEUED)
    return bool(rows.update(status=S.SENDING, claimed_at=timezone.now()))


def _send_one(recipient: MailingRecipient, connection: BaseEmailBackend) -> None:
    message = build_mailing_message(recipient)
    message.connection = connection
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()), (550, b""))
        _refused(recipient, code, text.decode(errors="replace") if isinstance(text, bytes) else str(text))
    except (smtplib.SMTPDataError, smtplib.SMTPSenderRefused) as error:
        _refused(recipient, error.smtp_code, str(error.smtp_error))
    except (OSError, smtplib.SMTPException) as error:
        _postpone_one(recipient, reason=str(error))
        raise MailServerUnavailable(str(error)) from error
    else:
        recipient.sent_at = timezone.now()
        _record(recipient, S.SENT)


def _refused(recipient: MailingRecipient, code: int, text: str) -> None:
    """5xx: the server will never take it; 4xx: it may later."""
    reason = f"{code} {text}".strip()[:500]
    if code >= 500:
        _record(recipient, S.FAILED, error=reason)
    else:
        _postpone_one(recipient, reason=reason)


def _record(recipient: MailingRecipient, status: str, *, error: str = "") -> None:
    recipient.status, recipient.error = status, error
    MailingRecipient.objects.filter(pk=recipient.pk).update(
        status=status, error=error, sent_at=recipient.sent_at, claimed_at=None
    )


def _backoff(attempts: int) -> datetime.timedelta:
    return datetime.timedelta(seconds=BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)])


def _postpone_one(recipient: MailingRecipient, *, reason: str) -> None:
    attempts = recipient.attempts + 1
    gave_up = attempts >= MAX_ATTEMPTS
    recipient.status = S.FAILED if gave_up else S.QUEUED
    MailingRecipient.objects.filter(pk=recipient.pk).update(
        status=recipient.status,
        attempts=attempts,
        next_attempt_at=None if gave_up else timezone.now() + _backoff(attempts),
        error=reason[:500],
        claimed_at=None,
    )


def _postpone(rows: QuerySet[MailingRecipient], *, reason: str) -> None:
    for recipient in rows.order_by("pk"):
        _postpone_one(recipient, reason=reason)


def _tick(job_id: int, mailing_id: int) -> None:
    c = counts(mailing_id)
    set_job_progress(job_id, done=c["sent"] + c["failed"] + c["skipped"], total=c["total"])


def counts(mailing_id: int) -> dict[str, int]:
    """Recipients per delivery state: sent, waiting, failed (bounced included), skipped, total."""
    by_status = Counter(
        dict(MailingRecipient.objects.filter(mailing_id=mailing_id).values_list("status").annotate(n=Count("pk")))
    )
    return {
        "sent": by_status[S.SENT],
        "waiting": by_status[S.QUEUED] + by_status[S.SENDING],
        "failed": by_status[S.FAILED] + by_status[S.BOUNCED],
        "skipped": by_status[S.SKIPPED],
        "total": sum(by_status.values()),
    }


def _wrap_up(mailing_id: int, job_id: int, this_run: Counter[str]) -> dict[str, int]:
    _tick(job_id, mailing_id)
    c = counts(mailing_id)
    result = {"sent": this_run[S.SENT], "skipped": this_run[S.SKIPPED], "failed": this_run[S.FAILED]}
    if c["waiting"]:
        _schedule_next(mailing_id, job_id, c)
        return result
    mark_mailing_sent(mailing_id)
    finish_job(job_id, result=c, message=_("%(sent)s sent, %(skipped)s skipped, %(failed)s failed.") % c)
    return result


def _schedule_next(mailing_id: int, job_id: int, c: dict[str, int]) -> None:
    """Queue this job again for when the next waiting recipient is due; the job says so meanwhile."""
    from faro.portal.tasks import deliver_mailing_job

    waiting = MailingRecipient.objects.filter(mailing_id=mailing_id, status=S.QUEUED)
    when = waiting.aggregate(at=Min("next_attempt_at"))["at"] or timezone.now()
    message = _("%(sent)s sent, %(waiting)s waiting, %(failed)s failed. Next attempt at %(when)s UTC.") % {
        **c,
        "when": when.astimezone(datetime.UTC).strftime("%H:%M"),
    }
    # A job waiting for its next attempt is not stalled: its next sign of life is due then.
    Job.objects.filter(pk=job_id).update(message=message, heartbeat_at=when)
    outbox.enqueue_at(when, deliver_mailing_job, job_id, mailing_id)


class NothingToResume(Exception):
    """The mailing is not being sent, or nobody is waiting."""


@transaction.atomic
def resume_mailing(mailing: Mailing, *, acting_user: Actor) -> int:
    """Try every waiting recipient now (staff pressed Resume); returns how many wait."""
    from faro.portal.tasks import deliver_mailing_job

    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    waiting = MailingRecipient.objects.filter(mailing=mailing, status__in=[S.QUEUED, S.SENDING])
    if mailing.status != Mailing.Status.SENDING or not mailing.job_id or not waiting.exists():
        raise NothingToResume
    count = waiting.count()
    waiting.filter(status=S.QUEUED).update(next_attempt_at=None)
    Job.objects.filter(pk=mailing.job_id).update(status=Job.Status.RUNNING, heartbeat_at=timezone.now())
    log_action(mailing, "portal.mailing.resumed", user=acting_user, data={"waiting": count})
    outbox.enqueue(deliver_mailing_job, mailing.job_id, mailing.pk)
    return count
