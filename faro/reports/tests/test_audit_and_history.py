"""History a person can read, and the site-wide audit page for staff."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faro.accounts.models import User
from faro.core.audit import log_action
from faro.core.history import readable_changes
from faro.core.models import AuditEntry
from faro.portal.models import Mailing
from faro.reports.tests.conftest import make_call

pytestmark = pytest.mark.django_db
AUDIT = reverse("reports:audit")


@pytest.fixture
def mailing(staff: User) -> Mailing:
    return Mailing.objects.create(subject={"en": "News", "es": "Noticias"}, body={"en": "Hello", "es": "Hola"})


def test_changes_read_as_the_forms_show_them_in_the_viewers_language(mailing: Mailing, staff: User) -> None:
    entry = log_action(
        mailing,
        "portal.mailing.updated",
        user=staff,
        changes={
            "created_by_id": [None, staff.pk],
            "body": [{"en": "Hi"}, {"en": "Hello", "es": "Hola"}],
            "status": ["draft", "sent"],
            "recipient_count": [0, 1200],
            "sent_at": [None, "2020-07-10T12:00:00+00:00"],
        },
    )
    with translation.override("es"):
        changes = {c.label: (c.before, c.after) for c in readable_changes(entry)}
        sent = str(Mailing.Status.SENT.label)
    assert changes["Created by"] == ("—", str(staff))  # a name, not an id
    assert changes["Mensaje"] == ("Hi", "Hola")  # the viewer's language, not a dict
    assert changes["Estado"] == ("Borrador", sent)
    assert changes["Destinatarios"] == ("0", "1200")
    assert changes["Enviado"][1].startswith("10 de julio de 2020")  # never 07/10/2020 on a Spanish page


def test_a_call_moving_on_reads_as_its_status_labels(staff: User) -> None:
    call = make_call(2020)
    entry = log_action(call, "scholarships.call.advanced", user=staff, changes={"status": ["review", "allocation"]})
    with translation.override("es"):
        (change,) = readable_changes(entry)
        assert (change.before, change.after) == (str(call.Status.REVIEW.label), str(call.Status.ALLOCATION.label))
    assert change.before != "review"


def test_a_deleted_record_and_an_unknown_field_still_read(mailing: Mailing, staff: User) -> None:
    entry = log_action(mailing, "portal.mailing.updated", changes={"created_by_id": [999999, None], "x_y": [1, 2]})
    changes = {c.label: (c.before, c.after) for c in readable_changes(entry)}
    assert changes["Created by"] == ("#999999 (deleted)", "—")
    assert changes["X y"] == ("1", "2")


def test_the_history_panel_shows_no_raw_dump(client: Client, staff: User, mailing: Mailing) -> None:
    log_action(mailing, "portal.mailing.updated", user=staff, changes={"created_by_id": [None, staff.pk]})
    client.force_login(staff)
    page = client.get(AUDIT).text
    assert "created_by_id" not in page
    assert f"Created by: — → {staff}" in page


def test_staff_filter_the_audit_log_by_person_kind_and_period(client: Client, staff: User, focal_point: User) -> None:
    call, mailing = make_call(2020), Mailing.objects.create(subject={"en": "S"}, body={"en": "B"})
    log_action(call, "scholarships.call.advanced", user=staff, changes={"status": ["review", "allocation"]})
    log_action(mailing, "portal.mailing.sent", user=focal_point)
    old = log_action(mailing, "portal.mailing.created", user=staff)
    AuditEntry.objects.filter(pk=old.pk).update(created_at=datetime.datetime(2019, 1, 5, tzinfo=datetime.UTC))
    client.force_login(staff)
    assert len(client.get(AUDIT).context["page_obj"]) == 3
    assert [e.action for e in client.get(AUDIT, {"actor": focal_point.pk}).context["page_obj"]] == [
        "portal.mailing.sent"
    ]
    kind = str(AuditEntry.objects.get(pk=old.pk).content_type_id)
    assert len(client.get(AUDIT, {"kind": kind}).context["page_obj"]) == 2
    in_2019 = client.get(AUDIT, {"start": "2019-01-01", "end": "2019-12-31"}).context["page_obj"]
    assert [e.pk for e in in_2019] == [old.pk]
    bad = client.get(AUDIT, {"start": "2020-01-02", "end": "2020-01-01"})
    assert "The period ends before it starts." in bad.text


def test_the_audit_log_exports_what_the_filters_select_as_csv(client: Client, staff: User) -> None:
    call = make_call(2020)
    log_action(call, "scholarships.call.advanced", user=staff, changes={"status": ["review", "allocation"]})
    client.force_login(staff)
    response = client.get(AUDIT, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "Moved to the next stage" in text
    assert "Status: Review → Allocation" in text


def test_the_audit_log_is_paginated(client: Client, staff: User) -> None:
    call = make_call(2020)
    for n in range(60):
        log_action(call, "scholarships.call.updated", user=staff, data={"n": n})
    client.force_login(staff)
    page = client.get(AUDIT)
    assert page.context["page_obj"].paginator.num_pages > 1
    assert client.get(AUDIT, {"page": "2"}).status_code == 200


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_only_staff_read_the_audit_log(client: Client, persona: str, request: pytest.FixtureRequest) -> None:
    client.force_login(request.getfixturevalue(persona))
    assert client.get(AUDIT).status_code == 404
    assert client.get(AUDIT, {"format": "csv"}).status_code == 404


def test_the_staff_menu_links_the_audit_log(client: Client, staff: User) -> None:
    client.force_login(staff)
    assert f'href="{AUDIT}"' in client.get(reverse("portal:home")).text
