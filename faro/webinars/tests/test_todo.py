"""My page's "Waiting for you": held webinars whose attendance is not imported yet."""

import datetime

from django.urls import reverse
from django.utils import timezone

from faro.accounts.models import User
from faro.core.todo import todo_for
from faro.directory.models import Institution
from faro.webinars.models import AttendanceImport, Webinar
from faro.webinars.tests.conftest import make_webinar


def test_staff_and_the_co_organiser_are_asked_to_import_the_attendance(
    db: None,
    staff: User,
    partner: User,
    partner_institution: Institution,
    other_institution: Institution,
    participant: User,
) -> None:
    held = make_webinar(
        partners=[partner_institution],
        status=Webinar.Status.HELD,
        starts_at=timezone.now() - datetime.timedelta(hours=3),
        ends_at=timezone.now() - datetime.timedelta(hours=2),
    )
    make_webinar(partners=[other_institution])  # upcoming, another partner's: nothing to do
    [item] = todo_for(staff)
    assert item.text == "Import the attendance of the webinar: Port security and the ISPS Code"
    assert item.url == reverse("webinars:attendance_import", args=[held.pk])
    assert [i.text for i in todo_for(partner)] == [item.text]
    assert todo_for(participant) == []
    AttendanceImport.objects.create(webinar=held, sha256="0" * 64, status=AttendanceImport.Status.PREVIEW)
    assert len(todo_for(staff)) == 1  # a preview is not an import
    AttendanceImport.objects.create(webinar=held, sha256="1" * 64, status=AttendanceImport.Status.APPLIED)
    assert todo_for(staff) == []
