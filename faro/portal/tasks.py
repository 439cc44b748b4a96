"""Background work of the portal: mailing delivery and the retention policy."""

import datetime
import logging
import smtplib
from collections import Counter

from celery import shared_task
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.core.jobs import advance_job, fail_job, finish_job
from faro.portal.mailings import blocked_person_ids, build_mailing_message, mark_mailing_sent
from faro.portal.models import MailingRecipient

logger = logging.getLogger(__name__)


CHUNK = 100  # recipients per batch: one status write and one progress tick per batch


@shared_task
def deliver_mailing(mailing_id: int, job_id: int) -> dict[str, int]:
    """Send every queued recipient of a mailing over one connection, ticking the job as it goes.

    Safe to re-run: only recipients still queued are sent. When the mail server drops the connection,
    who already got the mail is saved first, so the re-run resends nobody; only a worker killed
    mid-batch may resend that one batch. An unsubscribe or bounce recorded after the mailing started
    is honoured.
    """
    counts: Counter[str] = Counter()
    queued = MailingRecipient.objects.filter(mailing_id=mailing_id, status=MailingRecipient.Status.QUEUED)
    try:
        with get_connection() as connection:
            while chunk := list(queued.select_related("mailing", "person").order_by("pk")[:CHUNK]):
                counts.update(_deliver_chunk(chunk, connection))
                advance_job(job_id, by=len(chunk))
    except (OSError, smtplib.SMTPException) as error:
        logger.exception("Mailing %s: delivery stopped", mailing_id)
        fail_job(job_id, message=_("Delivery stopped: %(error)s") % {"error": error})
        return dict(counts)
    mark_mailing_sent(mailing_id)
    result = {"sent": counts["sent"], "skipped": counts["skipped"], "failed": counts["failed"]}
    finish_job(job_id, result=result, message=_("%(sent)s sent, %(skipped)s skipped, %(failed)s failed.") % result)
    return result


def _deliver_chunk(chunk: list[MailingRecipient], connection: BaseEmailBackend) -> Counter[str]:
    """Send a batch; the statuses of the recipients already handled are saved even when the connection
    drops halfway, so a re-run resends nobody who got the mail."""
    blocked = blocked_person_ids([r.person_id for r in chunk])
    now = timezone.now()
    done: list[MailingRecipient] = []
    try:
        for recipient in chunk:
            if recipient.person_id in blocked:
                recipient.status = MailingRecipient.Status.SKIPPED
            else:
                _send_one(recipient, connection, now)
            done.append(recipient)
    finally:
        with transaction.atomic():
            MailingRecipient.objects.bulk_update(done, ["status", "sent_at", "error"])
    return Counter(recipient.status for recipient in done)


def _send_one(recipient: MailingRecipient, connection: BaseEmailBackend, now: datetime.datetime) -> None:
    message = build_mailing_message(recipient)
    message.connection = connection
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        recipient.status, recipient.error = MailingRecipient.Status.FAILED, str(error)[:500]
    else:
        recipient.status, recipient.sent_at = MailingRecipient.Status.SENT, now


@shared_task
def apply_retention_task() -> dict[str, int]:
    """The scheduled run of the retention policy (also `manage.py apply_retention`)."""
    from faro.portal.services.privacy import apply_retention

    return apply_retention()
