"""What every scholarships service shares: the error for a refused action, the clock, mail on commit."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from faro.scholarships.models import Application

DOCUMENT_KINDS = {"pdf", "png", "jpeg"}


class ScholarshipError(ValidationError):
    """A scholarships action refused, with a translated message for the person who tried it.

    A `ValidationError`, so forms and views that show validation messages show it too."""


def _now(now: datetime.datetime | None) -> datetime.datetime:
    return now or timezone.now()


def lock_application(application: Application) -> Application:
    """Lock the application's row until the transaction ends and refresh its state from it: a second
    request changing the same application waits here, then sees what the first one did."""
    fresh = Application.objects.select_for_update().order_by().filter(pk=application.pk)
    state = fresh.values("status", "endorsement", "endorsement_reason", "endorsement_rank", "endorsed_by").get()
    for name, value in state.items():
        setattr(application, "endorsed_by_id" if name == "endorsed_by" else name, value)
    return application
