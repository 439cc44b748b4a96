"""My webinar registrations (upcoming and past) for My page, each linking to its own page (join, cancel)."""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.core.mine import MyItem, MySection
from faro.webinars.models import Registration
from faro.webinars.services import registration_token


def _item(registration: Registration) -> MyItem:
    webinar = registration.webinar
    when = formats.date_format(timezone.localtime(webinar.starts_at), "DATETIME_FORMAT")
    url = reverse("webinars:registration", args=[registration_token(registration)])
    return MyItem(f"{webinar.title} — {when}", url, registration.get_status_display())


def sections(user: User) -> list[MySection]:
    mine = list(
        Registration.objects.for_user(user)
        .filter(person_id=user.person_id)  # type: ignore[misc]  # a user with no person has none
        .active()
        .select_related("webinar")
        .order_by("webinar__starts_at")
    )
    now = timezone.now()
    upcoming = [_item(r) for r in mine if r.webinar.ends_at >= now]
    past = [_item(r) for r in reversed(mine) if r.webinar.ends_at < now]
    return [
        MySection(_("My upcoming webinars"), upcoming, _("You are not registered for any upcoming webinar.")),
        *([MySection(_("My past webinars"), past)] if past else []),
    ]
