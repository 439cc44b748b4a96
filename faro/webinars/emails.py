"""The webinar mails: rendered in the registrant's language, with times in their time zone and the organiser's."""

import functools
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from faro.core.mail import send_templated_mail
from faro.lib.ics import CalendarEvent, calendar_bytes
from faro.webinars.models import Attendance, Registration, Webinar

# Mails that carry a calendar entry (a cancelled webinar's entry cancels the event in calendars).
WITH_CALENDAR = {"confirmed", "promoted", "rescheduled", "reminder_24h", "reminder_1h", "webinar_cancelled"}


def calendar_event(webinar: Webinar, *, language: str, confirmed: bool) -> CalendarEvent:
    """The webinar as a calendar event; the join link only goes to confirmed registrants."""
    with translation.override(language):
        title = webinar.title.in_language(language)
        description = webinar.description.in_language(language)
    if confirmed and webinar.join_url:
        description = f"{description}\n\n{webinar.join_url}".strip()
    return CalendarEvent(
        uid=f"webinar-{webinar.pk}@faro",
        title=title,
        start=webinar.starts_at,
        end=webinar.ends_at,
        url=settings.SITE_URL + webinar.get_absolute_url(),
        description=description,
        location=webinar.join_url if confirmed else webinar.get_platform_display(),
        cancelled=webinar.status == Webinar.Status.CANCELLED,
        sequence=webinar.sequence,
    )


def registration_ics(registration: Registration) -> bytes:
    webinar = registration.webinar
    event = calendar_event(webinar, language=registration.language, confirmed=registration.is_confirmed)
    return _calendar_part(event, "CANCEL" if event.cancelled else "PUBLISH")


@functools.lru_cache(maxsize=64)
def _calendar_part(event: CalendarEvent, method: str) -> bytes:
    """The .ics every registrant with the same language and seat gets: rendered once per worker for
    a webinar's mails, not once per mail. Keyed by the event's every field, so an edited webinar
    (title, time, link, status, revision) renders a new one."""
    return calendar_bytes([event], name=event.title, method=method)


def send_registration_mail(registration: Registration, template: str) -> None:
    """One mail about one registration (confirmation, waitlist, promotion, reminders, changes)."""
    from faro.webinars.services import registration_token

    person = registration.person
    language = registration.language or person.preferred_language
    context: dict[str, Any] = {
        "registration": registration,
        "webinar": registration.webinar,
        "person": person,
        "viewer_tz": person.timezone or "UTC",
        "organiser_tz": settings.FARO_ORGANISER_TIME_ZONE,
        "manage_url": settings.SITE_URL + reverse("webinars:registration", args=[registration_token(registration)]),
        "show_join_link": registration.is_confirmed and registration.webinar.status == Webinar.Status.PUBLISHED,
    }
    attachments = []
    if template in WITH_CALENDAR:
        attachments.append(("webinar.ics", registration_ics(registration), "text/calendar"))  # Django adds the charset
    if not person.email:
        return
    send_templated_mail(
        f"webinars/emails/{template}", context, to=person.email, language=language, attachments=attachments
    )


def send_survey_invitation(attendance: Attendance) -> None:
    from faro.webinars.services import survey_token

    person = attendance.person
    if not person.email:
        return
    url = settings.SITE_URL + reverse("webinars:survey", args=[survey_token(attendance.webinar, person)])
    context = {"webinar": attendance.webinar, "person": person, "survey_url": url}
    send_templated_mail("webinars/emails/survey", context, to=person.email, language=person.preferred_language)
