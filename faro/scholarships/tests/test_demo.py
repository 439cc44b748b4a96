from typing import Any

import pytest

from faro.courses import demo as courses_demo
from faro.scholarships import demo
from faro.scholarships.models import Application, Call, Offer

pytestmark = pytest.mark.django_db


def test_demo_runs_the_whole_path_through_the_services_and_is_idempotent(monkeypatch: Any) -> None:
    monkeypatch.setattr(demo, "STATES", ["JM", "PE", "HT"])
    monkeypatch.setattr(demo, "PER_STATE", 3)
    lines: list[str] = []
    courses_demo.load(lines.append)
    demo.load(lines.append)
    call = Call.objects.get()
    assert call.status == Call.Status.FINISHED
    accepted = Offer.objects.filter(status="accepted")
    assert accepted.exists() and accepted.values("application__person__country").distinct().count() == 3
    assert f"{accepted.count()} scholarships accepted by officials of 3 member states" in lines[-1]
    assert not call.applications.exclude(status=Application.Status.SUBMITTED).exists()
    count = Application.objects.count()
    demo.load(lines.append)
    assert Application.objects.count() == count and Call.objects.count() == 1
