"""Background work for webinars. Tasks take primary keys; with no broker they run synchronously."""

from celery import shared_task

from faro.webinars import emails
from faro.webinars.models import Attendance, Registration


@shared_task
def send_registration_mail(registration_id: int, template: str) -> None:
    rows = Registration.objects.select_related("webinar", "person").filter(pk=registration_id)
    registration = rows.order_by("pk").first()  # not the default ordering, which sorts by the webinar's start
    if registration:
        emails.send_registration_mail(registration, template)


@shared_task
def notify_registrants(webinar_id: int, template: str) -> None:
    """Tell every registrant (confirmed or waitlisted) that their webinar was cancelled or moved."""
    rows = Registration.objects.active().filter(webinar_id=webinar_id).select_related("webinar", "person")
    for registration in rows.iterator():
        emails.send_registration_mail(registration, template)


@shared_task
def send_reminders() -> int:
    """Scheduled (Celery beat, or cron via `manage.py send_webinar_reminders`); idempotent."""
    from faro.webinars.services import send_due_reminders

    return send_due_reminders()


@shared_task
def send_survey_invitations(attendance_ids: list[int]) -> None:
    rows = Attendance.objects.filter(pk__in=attendance_ids).select_related("webinar", "person")
    for attendance in rows.iterator():
        emails.send_survey_invitation(attendance)
