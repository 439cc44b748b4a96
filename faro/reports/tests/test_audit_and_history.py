"""History a person can read, and the site-wide audit page for staff."""

import ast
import datetime
import pathlib
import re

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise

from faro.accounts.models import User
from faro.core.audit import action_label, is_labelled, log_action
from faro.core.history import FIELD_LABELS, field_label, readable_changes
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
    assert changes["Creado por"] == ("—", str(staff))  # a name, not an id, under a translated label
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


# --- Every action and every field has a translated label -----------------------------------

# Action codes built at run time, with the values they are built from (a new one must be listed).
BUILT_CODES = {
    "f'certificates.template.{verb}'": ["certificates.template.created", "certificates.template.updated"],
    "f'certificates.eligibility.{action}d'": ["certificates.eligibility.included", "certificates.eligibility.excluded"],
    "f'webinars.webinar.{verb}'": [f"webinars.webinar.{v}" for v in ("published", "held", "closed", "cancelled")],
    "f'accounts.user.{verb}'": ["accounts.user.role_nominated", "accounts.user.role_granted"],
}


def _action_codes() -> set[str]:
    """Every action code in the code: literals shaped `app.model.verb`, and the built ones above."""
    app_labels = "|".join(c.label for c in apps.get_app_configs() if c.name.startswith("faro."))
    shape = re.compile(rf"^({app_labels})\.[a-z_]+\.[a-z_]+$")
    codes: set[str] = set()
    for path in pathlib.Path(apps.get_app_config("core").path).parent.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and shape.match(node.value):
                codes.add(node.value)
            elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "log_action":
                built = [a for a in node.args[1:2] if isinstance(a, ast.JoinedStr)]
                for code in built:
                    assert ast.unparse(code) in BUILT_CODES, f"{path}: list what {ast.unparse(code)} becomes"
                    codes.update(BUILT_CODES[ast.unparse(code)])
    return codes


def test_every_action_the_code_logs_has_a_translated_label() -> None:
    codes = _action_codes()
    assert "scholarships.call.advanced" in codes  # the scan finds the codes
    assert "webinars.webinar.cancelled" in codes
    assert sorted(code for code in codes if not is_labelled(code)) == []
    with translation.override("es"):
        assert action_label("portal.mailing.test_sent") == "Prueba enviada"


def test_every_field_a_change_may_name_has_a_translated_label() -> None:
    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("faro."):
            continue
        for field in model._meta.concrete_fields:
            if field.primary_key or isinstance(field.verbose_name, Promise) or field.name in FIELD_LABELS:
                continue
            untranslated.append(f"{model._meta.label}.{field.name}")
    assert untranslated == []
    with translation.override("es"):
        assert field_label(None, "endorsed_by_id") == "Avalado por"


def test_the_audit_csv_carries_no_live_formula(client: Client, staff: User) -> None:
    """#16.8: the audit export goes through the one neutralising writer like every other export."""
    from conftest import make_person
    from faro.lib.tests.test_formulas import HOSTILE, formula_problems_csv

    person = make_person(HOSTILE[0], HOSTILE[1], "JM")
    log_action(person, "directory.person.updated", user=staff, changes={"position": [HOSTILE[2], HOSTILE[6]]})
    client.force_login(staff)
    text = client.get(AUDIT, {"format": "csv"}).content.decode("utf-8-sig")
    assert HOSTILE[1] in text  # the name is there, made inert
    assert formula_problems_csv(text) == []
