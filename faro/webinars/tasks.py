"""Background work for webinars. Tasks take primary keys; with no broker they run synchronously."""

from typing import Any

from django.db import transaction

from faro.core import outbox
from faro.lib.tasks import task
from faro.webinars import emails
from faro.webinars.models import Attendance, Registration


@task
def send_registration_mail(registration_id: int, template: str) -> None:
    # The member state too: the times are in the registrant's zone, by default their capital's.
    rows = Registration.objects.select_related("webinar", "person__member_state").filter(pk=registration_id)
    registration = rows.order_by("pk").first()  # not the default ordering, which sorts by the webinar's start
    if registration:
        emails.send_registration_mail(registration, template)


@task
def announce(event: str, payload: dict[str, Any]) -> None:
    """A registration's event for the co-organising partners' listeners, who are looked up now (when
    it is delivered, in order with the events before and after it) rather than in the request."""
    from faro.core.events import dispatch_event
    from faro.webinars.models import Webinar

    links = Webinar.partners.through.objects.filter(webinar_id=payload["webinar"])
    dispatch_event(event, payload, sorted(links.values_list("institution_id", flat=True)))


@task
def apply_attendance_task(job_id: int, upload_id: int, user_id: int | None) -> None:
    from faro.webinars.services.attendance import run_attendance_import

    run_attendance_import(job_id, upload_id, user_id)


@task
def notify_registrants(webinar_id: int, template: str) -> None:
    """Tell every registrant (confirmed or waitlisted) that their webinar was cancelled or moved:
    one outbox mail each, queued together, so a failure halfway resends nobody."""
    rows = Registration.objects.active().filter(webinar_id=webinar_id)
    with transaction.atomic():
        for pk in rows.order_by("pk").values_list("pk", flat=True):
            outbox.enqueue(send_registration_mail, pk, template)


@task
def send_reminders() -> int:
    """Scheduled (Celery beat, or cron via `manage.py send_webinar_reminders`); idempotent."""
    from faro.webinars.services import send_due_reminders

    return send_due_reminders()


@task
def send_survey_invitations(attendance_ids: list[int]) -> None:
    """One outbox message per invitation, so a failure halfway resends nobody."""
    if len(attendance_ids) == 1:
        attendance = Attendance.objects.select_related("webinar", "person").filter(pk=attendance_ids[0]).first()
        if attendance:
            emails.send_survey_invitation(attendance)
        return
    with transaction.atomic():
        for pk in sorted(attendance_ids):
            outbox.enqueue(send_survey_invitations, [pk])
