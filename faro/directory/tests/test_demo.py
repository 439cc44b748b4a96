import re
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from conftest import person_of
from faro.accounts.demo import PASSWORD
from faro.accounts.models import User
from faro.accounts.scope import scope_for
from faro.directory.demo_people import official
from faro.directory.models import Appointment, Institution, MemberState, Person


@pytest.mark.django_db
def test_the_demo_loads_idempotently_with_one_account_per_readme_login(client: Client) -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    counts = (Person.objects.count(), Institution.objects.count(), Appointment.objects.count(), User.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (
        Person.objects.count(),
        Institution.objects.count(),
        Appointment.objects.count(),
        User.objects.count(),
    ) == counts

    readme = (Path(settings.BASE_DIR) / "README.md").read_text()
    emails = re.findall(r"`([a-z.]+@faro\.demo)`", readme)
    assert len(emails) == 5
    for email in emails:
        assert email in out.getvalue()
        assert client.login(username=email, password=PASSWORD), email
    assert PASSWORD in readme
    assert PASSWORD in out.getvalue()
    lines = out.getvalue().splitlines()  # the logins close the output, after the timings
    assert lines[-6].startswith("Demo logins")
    assert lines[-1].endswith(emails[-1])
    assert "Demo loaded in" in lines[-7]

    partner = scope_for(User.objects.get(email="partner@faro.demo"))
    assert Institution.objects.get(pk=next(iter(partner.institution_ids))).acronym == "APN"
    focal = scope_for(User.objects.get(email="focal.jm@faro.demo"))
    assert MemberState.objects.get(pk=next(iter(focal.member_state_ids))).code == "JM"
    participant = User.objects.get(email="participant@faro.demo")
    assert person_of(participant).member_state.code == "JM"  # type: ignore[union-attr]  # the record has a member state
    assert not scope_for(participant).is_staff
    assert scope_for(User.objects.get(email="staff@faro.demo")).is_staff

    assert set(Institution.objects.partners().values_list("acronym", flat=True)) >= {
        "APN",
        "Red PBIP",
        "ECLAC/CEPAL",
        "IAPH",
    }
    assert (
        Institution.objects.filter(
            memberships__kind="associate_member", memberships__approving_state__isnull=False
        ).count()
        >= 3
    )
    participating = MemberState.objects.participating_on(__import__("datetime").date.today())
    focal_points = Appointment.objects.current().filter(role="focal_point")
    assert set(focal_points.values_list("member_state", flat=True)) == set(participating.values_list("pk", flat=True))
    assert Person.objects.filter(member_state__code="BR", preferred_language="pt").count() >= 5
    assert Person.objects.filter(email=official("MX", 0)["email"]).exists()


def test_official_is_deterministic() -> None:
    assert official("PE", 3) == official("PE", 3)
    assert official("PE", 3) != official("PE", 4)
