"""Every choice list a form of Faro shows is in the reader's collation order, in Spanish and in French.

The test walks every form class of every app's `forms*.py`, builds it as its view does, and checks each
choice field's labels (the empty choice first, "Other" last). Lists whose order means something stay
in their stated order and are named below with the reason; a new choice field is checked by default.
"""

import html
import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from django import forms
from django.test import Client
from django.urls import reverse
from django.utils import translation

import faro
from faro.accounts.models import User
from faro.directory import services as directory_services
from faro.directory.models import Institution, Person
from faro.lib.collation import LAST_VALUES, collation_key


@pytest.fixture(autouse=True)
def _back_to_english() -> Iterator[None]:
    """A request in Spanish or French leaves its language active in the thread; later tests expect none."""
    yield
    translation.deactivate()


# (form, field) -> why its order is its meaning, not an alphabet's.
STATED_ORDER: dict[str, str] = {
    "accounts.InvitationForm.role": "roles from the widest access to the narrowest",
    "accounts.PeopleAccessFilterForm.role": "roles from the widest access to the narrowest",
    "accounts.PeopleAccessFilterForm.signed_in": "periods from the most recent to never",
    "api.SubscriptionForm.events": "event codes, grouped by the record they concern",
    "api.TokenForm.scope": "read only, then read and write",
    "courses.ResultsImportForm.no_outcome": "the safe choice (leave as is) first",
    "directory.AppointmentForm.role": "the order of precedence of a delegation",
    "directory.PersonFilterForm.gender": "the directory's gender order (another identity, then no answer, last)",
    "directory.PersonForm.gender": "the directory's gender order (another identity, then no answer, last)",
    "directory.PersonFilterForm.level": "position levels from the most senior down",
    "directory.PersonForm.position_level": "position levels from the most senior down",
    "directory.StatusForm.status": "from participating to the exceptional cases",
    "accounts.PreferencesForm.timezone": "the member states' zones first, then the others (each group collated)",
    "directory.PersonForm.timezone": "the member states' zones first, then the others (each group collated)",
    "meetings.DocumentForm.visibility": "public, then restricted",
    "reports.BreakdownForm.figure": "the figures grouped by programme, as the report shows them",
    "reports.BreakdownForm.dimension": "where, who, what, with whom: the report's order of dimensions",
    "meetings.ParticipantForm.role": "the order of precedence of a delegation",
    "meetings.SessionRoleForm.role": "chair before speakers, as an agenda lists them",
    "meetings.StatusForm.status": "the life of a meeting, from planned to held",
    "scholarships.CallForm.position_levels": "position levels from the most senior down",
    "scholarships.CallForm.aggregation": "mean, then median",
    "scholarships.EndorseForm.seen": "the endorsement's steps in order",
    "scholarships.OverrideForm.result": "from awarded down to not reviewed",
    "webinars.RegistrantFilterForm.status": "confirmed, waitlisted, cancelled: a registration's course",
    "webinars.SpeakerForm.role": "speaker (the default) before moderator",
    "webinars.SpeakerForm.gender": "the directory's gender order (another identity, then no answer, last)",
    "webinars.SurveyForm": "ratings from 1 to 5",
}


def _form_classes() -> Iterator[tuple[str, type[forms.BaseForm]]]:
    for app in pkgutil.iter_modules(faro.__path__):
        for suffix in ("forms", "forms_manage"):
            try:
                module = importlib.import_module(f"faro.{app.name}.{suffix}")
            except ModuleNotFoundError:
                continue
            for name, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield f"{app.name}.{name}", cls


def _kwargs(staff: User) -> dict[str, Callable[[], dict[str, Any]]]:
    from faro.courses.models import Offering
    from faro.scholarships.models import Call
    from faro.webinars.tests.conftest import make_webinar

    return {
        "accounts.SignupDetailsForm": lambda: {"user": staff},
        "accounts.InvitationForm": lambda: {"acting_user": staff},
        "accounts.AcceptInvitationForm": lambda: {"email": "nueva@example.org"},
        "api.SubscriptionForm": lambda: {"institutions": Institution.objects.all()},
        "certificates.BulkIssueForm": lambda: {"kind": "course"},
        "courses.CourseSearchForm": lambda: {"areas": []},
        "directory.MergeForm": lambda: {"target": Person.objects.first(), "people": Person.objects.all()},
        "scholarships.ApplicationForm": lambda: {"offerings": Offering.objects.all()},
        "scholarships.RankForm": lambda: {"applications": []},
        # Its fields are scores, one per criterion of the call: no choices; built without criteria.
        "scholarships.ReviewForm": lambda: {"call": SimpleNamespace(criteria=Call.objects.none())},
        "scholarships.AssignReviewerForm": lambda: {"reviewers": User.objects.all()},
        "scholarships.OverrideForm": lambda: {"offerings": Offering.objects.all()},
        "webinars.RegistrationForm": lambda: {"webinar": make_webinar()},
    }


def _labels(field: forms.ChoiceField) -> list[tuple[Any, str]]:
    choices: Any = field.choices
    return [(value, str(label)) for value, label in choices if value not in ("", None)]


def _out_of_order(form_name: str, form: forms.BaseForm) -> list[str]:
    problems = []
    for name, field in form.fields.items():
        key = f"{form_name}.{name}"
        if not isinstance(field, forms.ChoiceField) or key in STATED_ORDER or form_name in STATED_ORDER:
            continue
        choices = [choice for choice in _labels(field) if str(choice[0]) not in LAST_VALUES]
        labels = [label for _value, label in choices]
        if labels != sorted(labels, key=collation_key):
            problems.append(f"{key}: {labels}")
    return problems


@pytest.fixture
def institutions() -> None:
    for name, code in [("Zona Libre de Colón", "PA"), ("Éole Portuaire", "HT"), ("Autoridad Portuaria", "CL")]:
        directory_services.create_institution(acting_user=None, name=name, country_code=code, kind="port_authority")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["es", "fr"])
def test_every_forms_choices_are_in_the_readers_collation_order(language: str, staff: User, institutions: None) -> None:
    factories = _kwargs(staff)
    problems: list[str] = []
    walked = 0
    with translation.override(language):
        for form_name, cls in _form_classes():
            try:
                form = cls(**factories.get(form_name, dict)())
            except ValueError as error:  # an abstract model form (no model): its subclasses are walked
                assert "has no model class specified" in str(error)
                continue
            walked += 1
            problems += _out_of_order(form_name, form)
    assert walked > 40
    assert problems == []


@pytest.mark.django_db
def test_the_stated_order_list_names_only_real_fields(staff: User) -> None:
    fields = set()
    for form_name, cls in _form_classes():
        fields.add(form_name)
        fields.update(f"{form_name}.{name}" for name in getattr(cls, "base_fields", {}))
    assert set(STATED_ORDER) - fields == set()


@pytest.mark.django_db
def test_other_comes_last_and_the_empty_choice_first_in_spanish() -> None:
    from faro.courses.forms import ContributionForm
    from faro.directory.forms import InstitutionFilterForm

    with translation.override("es"):
        kinds = [str(label) for _value, label in ContributionForm().fields["kind"].choices]  # type: ignore[attr-defined]
        filters = [value for value, _label in InstitutionFilterForm().fields["kind"].choices]  # type: ignore[attr-defined]
    assert kinds[-1] == "Otro"
    assert kinds[0] == "---------"
    assert filters[0] == ""


@pytest.mark.django_db
def test_institution_kinds_follow_the_language_of_each_request() -> None:
    from faro.directory.forms import InstitutionFilterForm

    form = InstitutionFilterForm()
    with translation.override("es"):
        spanish = [value for value, _label in form.fields["kind"].choices][1:3]  # type: ignore[attr-defined]
    with translation.override("en"):
        english = [value for value, _label in form.fields["kind"].choices][1:3]  # type: ignore[attr-defined]
    assert spanish == ["port_authority", "private"]
    assert english == ["academic", "international"]


def _options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select id="f-{name}" name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option [^>]*>([^<]+)</option>", select.group(1))[1:]  # after "All"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "languages"),
    [("es", ["español", "francés", "inglés", "portugués"]), ("fr", ["anglais", "espagnol", "français", "portugais"])],
)
def test_the_calendars_filters_are_in_the_readers_order(client: Client, language: str, languages: list[str]) -> None:
    client.cookies["faro_language"] = language
    page = client.get(reverse("portal:calendar")).content.decode()
    assert _options(page, "language") == languages
    kinds = _options(page, "kind")
    assert kinds == sorted(kinds, key=lambda label: collation_key(html.unescape(label), language))
