"""The data migration that carries the sessions' free-text chairs and speakers over to SessionRole."""

import datetime
import importlib
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

carry = importlib.import_module("faro.meetings.migrations.0004_carry_session_chairs_and_speakers")
CARRIED = ("meetings", "0004_carry_session_chairs_and_speakers")
MODELS = ("Meeting", "Session", "SessionRole")


def test_names_are_split_on_commas_semicolons_and_new_lines() -> None:
    assert carry.split_names("Argentina") == ["Argentina"]
    assert carry.split_names(" Ana Torres, Luis Pérez;CIP Secretariat\n\nAPN ,") == [
        "Ana Torres", "Luis Pérez", "CIP Secretariat", "APN"
    ]  # fmt: skip
    assert carry.split_names(" ; ,\n") == []


@pytest.fixture
def apps_at_carry() -> Iterator[Any]:
    """The database and models as they were right after the data migration; then back to the latest."""
    executor = MigrationExecutor(connection)
    # the directory as the meetings migration knew it (before Person.country became member_state)
    targets = [CARRIED, ("directory", "0003_appointment_recorded_once")]
    executor.migrate(targets)
    yield executor.loader.project_state(targets).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_text_is_carried_over_in_order_and_back(apps_at_carry: Any) -> None:
    Meeting, Session, SessionRole = (apps_at_carry.get_model("meetings", name) for name in MODELS)
    meeting = Meeting.objects.create(
        kind="regular", title={"en": "XII"}, start_date=datetime.date(2021, 5, 19), end_date=datetime.date(2021, 5, 21)
    )
    start = datetime.datetime(2021, 5, 19, 12, tzinfo=datetime.UTC)
    times = {"starts_at": start, "ends_at": start + datetime.timedelta(hours=1)}
    plenary = Session.objects.create(
        meeting=meeting, title={"en": "Plenary"}, chairs="Argentina; Peru", speakers="Ana Torres, CIP Secretariat\nAPN",
        **times,
    )  # fmt: skip
    opening = Session.objects.create(meeting=meeting, title={"en": "Opening"}, chairs="", speakers="", **times)
    carry.forwards(apps_at_carry, None)
    rows = SessionRole.objects.order_by("role", "order").values_list("session_id", "role", "person_id", "name", "order")
    assert list(rows) == [
        (plenary.pk, "chair", None, "Argentina", 0), (plenary.pk, "chair", None, "Peru", 1),
        (plenary.pk, "speaker", None, "Ana Torres", 0), (plenary.pk, "speaker", None, "CIP Secretariat", 1),
        (plenary.pk, "speaker", None, "APN", 2),
    ]  # fmt: skip
    person = apps_at_carry.get_model("directory", "Person").objects.create(first_name="Marlon", last_name="Grant")
    SessionRole.objects.create(session=opening, role="chair", person=person, order=0)
    Session.objects.update(chairs="", speakers="")
    carry.backwards(apps_at_carry, None)
    assert list(Session.objects.order_by("pk").values_list("chairs", "speakers")) == [
        ("Argentina, Peru", "Ana Torres, CIP Secretariat, APN"), ("Marlon Grant", "")
    ]  # fmt: skip
