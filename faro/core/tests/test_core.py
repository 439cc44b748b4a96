from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.utils import translation

from faro.accounts.models import User
from faro.core.audit import action_label, diff, log_action, snapshot
from faro.core.fields import Translated, TranslatedFormField, as_translated
from faro.core.models import AuditEntry
from faro.directory.models import Institution, PlanOfAction
from faro.settings import env_bool, env_int, env_url


def test_translated_text_falls_back_to_english_then_any_language() -> None:
    text = Translated({"en": "Port security", "es": "Protección portuaria"})
    with translation.override("es"):
        assert str(text) == "Protección portuaria"
    with translation.override("fr"):
        assert str(text) == "Port security"
    assert str(Translated({"pt": "Portos"})) == "Portos"
    assert text.missing_languages() == ["pt", "fr"]


def test_a_plain_string_becomes_english_text() -> None:
    assert as_translated("Dredging") == {"en": "Dredging"}


def test_translated_form_field_requires_one_language() -> None:
    field = TranslatedFormField(required=True)
    assert field.clean(["", "Dragado", "", ""]) == {"es": "Dragado"}
    with pytest.raises(Exception, match="at least one language"):
        field.clean(["", "", "", ""])


@pytest.mark.django_db
def test_translated_field_round_trips_and_keeps_accents_searchable() -> None:
    plan = PlanOfAction.objects.create(name={"es": "Plan de Acción de Panamá"}, start_year=2027, end_year=2029)
    plan.refresh_from_db()
    assert isinstance(plan.name, Translated)
    assert PlanOfAction.objects.filter(name__icontains="Panamá").exists()
    assert PlanOfAction.objects.filter(name__es="Plan de Acción de Panamá").exists()


@pytest.mark.django_db
def test_a_plain_string_saved_into_the_field_is_stored_as_english() -> None:
    plan = PlanOfAction.objects.create(name="Lima Plan", start_year=2030, end_year=2031)
    plan.refresh_from_db()
    assert plan.name == {"en": "Lima Plan"}


@pytest.mark.django_db
def test_log_action_records_who_what_and_changed_fields(staff: User) -> None:
    institution = Institution.objects.create(name="APN", kind="port_authority", country_code="PE")
    before = snapshot(institution)
    institution.name = "Autoridad Portuaria Nacional"
    log_action(institution, "directory.institution.updated", user=staff, changes=diff(before, snapshot(institution)))
    entry = AuditEntry.objects.for_object(institution).get()
    assert entry.actor == staff
    assert entry.changes == {"name": ["APN", "Autoridad Portuaria Nacional"]}


def test_history_names_actions_in_words_in_the_viewers_language(staff: User) -> None:
    institution = Institution.objects.create(name="APN", kind="port_authority", country_code="PE")
    log_action(institution, "directory.institution.updated", user=staff)
    with translation.override("es"):
        html = render_to_string("core/_history.html", {"history": AuditEntry.objects.for_object(institution)})
    assert "Actualizado" in html
    assert ">directory.institution.updated<" not in html
    assert action_label("scholarships.reviews.assigned") == "Reviews assigned"
    assert action_label("someapp.thing.frobnicated_twice") == "Frobnicated twice"


@pytest.mark.django_db
def test_healthz_reports_the_database(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken_cursor(*args: Any, **kwargs: Any) -> Any:
        raise OSError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_malformed_environment_values_name_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        env_bool("DEBUG", True)
    monkeypatch.setenv("EMAIL_PORT", "twenty-five")
    with pytest.raises(ImproperlyConfigured, match="EMAIL_PORT"):
        env_int("EMAIL_PORT", 25)
    monkeypatch.setenv("DATABASE_URL", "mysql//oops")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_url("DATABASE_URL", {"postgres", "sqlite"})


@pytest.mark.django_db
def test_unknown_language_falls_back_to_english(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="xx")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
