"""The person's certificates, for the directory's 360° view."""

from django.urls import reverse
from django.utils.translation import gettext as _

from faro.accounts.models import User
from faro.certificates.models import Certificate
from faro.core.participation import Line, Section
from faro.directory.models import Person


def sections(person: Person, user: User) -> list[Section]:
    certificates = Certificate.objects.for_user(user).filter(holder=person).order_by("-achieved_on")
    lines = [
        Line(
            text=f"{c.get_kind_display()} · {c.display_code}",
            status=c.get_status_display(),
            url=reverse("certificates:certificate_verify", args=[c.code]),
            when=c.achieved_on,
        )
        for c in certificates
    ]
    return [Section(title=_("Certificates"), lines=lines)] if lines else []
