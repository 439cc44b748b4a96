"""Webinar work waiting for staff and co-organising partners: attendance files still to import."""

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.core.todo import Todo
from faro.webinars.models import AttendanceImport, Webinar


def items(user: User) -> list[Todo]:
    """Held webinars with no attendance imported yet: without it, no certificate and no survey."""
    applied = AttendanceImport.objects.filter(webinar=OuterRef("pk"), status=AttendanceImport.Status.APPLIED)
    waiting = (
        Webinar.objects.managed_by(user)
        .filter(status=Webinar.Status.HELD, ends_at__lte=timezone.now())
        .exclude(Exists(applied))
        .order_by("ends_at")
    )
    return [
        Todo(
            _("Import the attendance of the webinar: %(webinar)s") % {"webinar": webinar.title},
            reverse("webinars:attendance_import", args=[webinar.pk]),
        )
        for webinar in waiting
    ]
