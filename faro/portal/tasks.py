"""Background work of the portal: mailing delivery and the retention policy."""

import logging
import smtplib

from celery import shared_task
from django.core.mail import get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.core.jobs import advance_job, fail_job, finish_job
from faro.portal.mailings import build_mailing_message, mark_mailing_sent, recipient_is_blocked
from faro.portal.models import MailingRecipient

logger = logging.getLogger(__name__)


@shared_task
def deliver_mailing(mailing_id: int, job_id: int) -> dict[str, int]:
    """Send every queued recipient of a mailing over one connection, ticking the job as it goes.

    Safe to re-run: only recipients still queued are sent, and an unsubscribe that arrived
    after the mailing was started is honoured (the recipient is skipped).
    """
    counts = {"sent": 0, "skipped": 0, "failed": 0}
    queued = MailingRecipient.objects.filter(mailing_id=mailing_id, status=MailingRecipient.Status.QUEUED)
    try:
        with get_connection() as connection:
            for recipient in queued.select_related("mailing", "person"):
                status = _deliver_one(recipient, connection)
                counts[status] += 1
                advance_job(job_id)
    except (OSError, smtplib.SMTPException) as error:
        logger.exception("Mailing %s: delivery stopped", mailing_id)
        fail_job(job_id, message=_("Delivery stopped: %(error)s") % {"error": error})
        return counts
    mark_mailing_sent(mailing_id)
    message = _("%(sent)s sent, %(skipped)s skipped, %(failed)s failed.") % counts
    finish_job(job_id, result=counts, message=message)
    return counts


def _deliver_one(recipient: MailingRecipient, connection: BaseEmailBackend) -> str:
    if recipient_is_blocked(recipient):
        recipient.status = MailingRecipient.Status.SKIPPED
        recipient.save(update_fields=["status"])
        return "skipped"
    message = build_mailing_message(recipient)
    message.connection = connection
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as error:
        recipient.status, recipient.error = MailingRecipient.Status.FAILED, str(error)[:500]
        recipient.save(update_fields=["status", "error"])
        return "failed"
    recipient.status, recipient.sent_at = MailingRecipient.Status.SENT, timezone.now()
    recipient.save(update_fields=["status", "sent_at"])
    return "sent"


@shared_task
def apply_retention_task() -> dict[str, int]:
    """The scheduled run of the retention policy (also `manage.py apply_retention`)."""
    from faro.portal.privacy import apply_retention

    return apply_retention()
