"""Member states and institutions come in the order a reader of the viewer's language expects."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from faro.accounts.models import User
from faro.directory.models import Institution, MemberState, PlanOfAction, PriorityArea, Topic
from faro.lib.collation import collation_key, language_choices
from faro.portal.activity_queries import topic_choices
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db


def _field(form: Any, name: str) -> Any:
    """A form's field as a choice field (`form.fields` types each as a plain `forms.Field`)."""
    return form.fields[name]


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request in another language leaves that language active in this thread."""
    yield
    translation.activate("en")


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_member_states_come_in_collation_order_of_their_names(language: str) -> None:
    with translation.override(language):
        names = [state.name for state in MemberState.objects.all()]
    assert len(names) == 35
    assert names == sorted(names, key=lambda name: collation_key(name, language))


def test_english_files_st_kitts_under_saint_not_between_jamaica_and_mexico() -> None:
    with translation.override("en"):
        names = [state.name for state in MemberState.objects.all()]
    assert names.index("Mexico") < names.index("St. Kitts & Nevis") < names.index("Suriname")
    assert names[:3] == ["Antigua & Barbuda", "Argentina", "Bahamas"]


def test_spanish_files_san_cristobal_under_s_and_peru_with_its_accent() -> None:
    with translation.override("es"):
        names = [state.name for state in MemberState.objects.all()]
    assert names.index("Panamá") < names.index("Paraguay") < names.index("Perú")
    assert names.index("República Dominicana") < names.index("San Cristóbal y Nieves") < names.index("Surinam")


def test_french_files_etats_unis_under_e() -> None:
    with translation.override("fr"):
        names = [state.name for state in MemberState.objects.all()]
    assert names.index("Équateur") < names.index("États-Unis") < names.index("Grenade")


def test_an_explicit_order_is_kept() -> None:
    codes = list(MemberState.objects.order_by("code").values_list("code", flat=True))
    assert codes == sorted(codes)
    assert [s.code for s in MemberState.objects.order_by("code")] == sorted(codes)


def test_institutions_with_accents_and_apostrophes_in_order() -> None:
    for name in ["Zona Franca", "École nationale", "Autoridad Portuaria", "O'Higgins Port", "Ólafur"]:
        Institution.objects.create(name=name, kind=Institution.Kind.PORT_AUTHORITY, country_code="CL")
    names = [i.name for i in Institution.objects.filter(country_code="CL")]
    assert names == ["Autoridad Portuaria", "École nationale", "O'Higgins Port", "Ólafur", "Zona Franca"]


@pytest.mark.parametrize("language", ["en", "es", "pt", "fr"])
def test_the_webinar_registration_form_lists_member_states_in_order(client: Client, language: str) -> None:
    webinar = make_webinar()
    client.cookies["faro_language"] = language
    html = client.get(reverse("webinars:registration_create", args=[webinar.pk])).content.decode()
    with translation.override(language):
        expected = [s.name for s in MemberState.objects.all()]
    positions = [html.index(f">{name}</option>".replace("&", "&amp;")) for name in expected]
    assert positions == sorted(positions)


def test_the_people_filter_lists_member_states_in_order(client: Client, staff: User) -> None:
    client.force_login(staff)
    client.cookies["faro_language"] = "es"
    html = client.get(reverse("directory:people")).content.decode()
    assert html.index(">Bahamas<") < html.index(">Belice<") < html.index(">Brasil<")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["English", "French", "Portuguese", "Spanish"]),
        ("es", ["español", "francés", "inglés", "portugués"]),
        ("pt", ["espanhol", "francês", "inglês", "português"]),
        ("fr", ["anglais", "espagnol", "français", "portugais"]),
    ],
)
def test_language_choices_come_in_the_readers_order(language: str, expected: list[str]) -> None:
    from faro.scholarships.forms import ApplicationForm
    from faro.webinars.forms import RegistrationForm

    with translation.override(language):
        assert [name for _code, name in language_choices()] == expected
        form = ApplicationForm(offerings=[])
        assert [str(name) for _code, name in _field(form, "spoken_languages").choices] == expected
        registration = RegistrationForm(webinar=make_webinar())
        assert [str(name) for _code, name in _field(registration, "language").choices] == expected


def test_the_course_search_lists_languages_in_order_after_any(client: Client, partner_institution: Institution) -> None:
    from faro.courses.tests.factories import make_course

    make_course(partner_institution)
    client.cookies["faro_language"] = "fr"
    html = client.get(reverse("courses:catalogue")).content.decode()
    assert html.index(">anglais<") < html.index(">espagnol<") < html.index(">français<") < html.index(">portugais<")


def _areas(plan: PlanOfAction) -> list[PriorityArea]:
    names = [
        {"en": "Zero emissions", "es": "Cero emisiones", "fr": "Zéro émission"},
        {"en": "Ethics and integrity", "es": "Ética e integridad", "fr": "Éthique et intégrité"},
        {"en": "St. Lucia's ports", "es": "Puertos de Santa Lucía", "fr": "Ports de Sainte-Lucie"},
        {"en": "Sailing safety", "es": "Seguridad de la navegación", "fr": "Sécurité de la navigation"},
        {"en": "Ports and cities", "es": "Ñandú portuario", "fr": "Ports et villes"},
    ]
    return [PriorityArea.objects.create(plan=plan, number=n, name=name) for n, name in enumerate(names, 1)]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", ["Ethics and integrity", "Ports and cities", "Sailing safety", "St. Lucia's ports", "Zero emissions"]),
        (
            "es",
            [
                "Cero emisiones",
                "Ética e integridad",
                "Ñandú portuario",
                "Puertos de Santa Lucía",
                "Seguridad de la navegación",
            ],
        ),
        (
            "fr",
            [
                "Éthique et intégrité",
                "Ports de Sainte-Lucie",
                "Ports et villes",
                "Sécurité de la navigation",
                "Zéro émission",
            ],
        ),
    ],
)
def test_priority_areas_and_topics_come_in_the_readers_order(language: str, expected: list[str]) -> None:
    from faro.courses.forms import CourseForm
    from faro.portal.forms import ProfileForm

    plan = PlanOfAction.objects.create(name={"en": "Test Plan"}, start_year=2090, end_year=2092)
    areas = _areas(plan)
    with translation.override(language):
        shown = [str(label) for value, label in _field(CourseForm(), "priority_area").choices if value]
        assert [name for name in shown if name in expected] == expected
        assert _field(CourseForm(), "priority_area").choices.__iter__().__next__()[0] == ""  # the empty choice first
        profile = _field(ProfileForm(), "priority_areas")
        profile.queryset = PriorityArea.objects.filter(plan=plan)
        assert [str(label) for _value, label in profile.choices] == expected
    for area in areas:
        Topic.objects.create(priority_area=area, slug=f"t{area.number}", name=dict(area.name))
    with translation.override(language):
        topics = [label for _slug, label in topic_choices() if label in expected]
    assert topics == expected


def test_institutions_file_st_as_saint_in_english_and_french() -> None:
    for name in ["Sainte-Marie Port", "St. George's Port Authority", "Saint John Port", "Salinas Terminal"]:
        Institution.objects.create(name=name, kind=Institution.Kind.PORT_AUTHORITY, country_code="GD")
    for language in ("en", "fr"):
        with translation.override(language):
            names = [i.name for i in Institution.objects.filter(country_code="GD")]
        assert names == ["St. George's Port Authority", "Saint John Port", "Sainte-Marie Port", "Salinas Terminal"]


def test_a_things_languages_are_named_in_the_readers_order(partner_institution: Institution) -> None:
    from faro.courses.tests.factories import make_course

    course = make_course(partner_institution, languages=["pt", "en", "es"])
    webinar = make_webinar(interpretation_languages=["fr", "en"])
    with translation.override("es"):
        assert course.language_names() == ["español", "inglés", "portugués"]
        assert webinar.interpretation_language_names() == ["francés", "inglés"]
    with translation.override("en"):
        assert course.language_names() == ["English", "Portuguese", "Spanish"]


def test_staff_forms_list_languages_and_priority_areas_in_order() -> None:
    from faro.directory.forms import PersonForm
    from faro.webinars.forms import WebinarForm

    plan = PlanOfAction.objects.create(name={"en": "Test Plan"}, start_year=2090, end_year=2092)
    _areas(plan)
    with translation.override("fr"):
        assert [str(n) for _c, n in _field(PersonForm(), "preferred_language").choices] == [
            "anglais",
            "espagnol",
            "français",
            "portugais",
        ]
        webinar = WebinarForm()
        assert [str(n) for _c, n in _field(webinar, "language").choices] == [
            "anglais",
            "espagnol",
            "français",
            "portugais",
        ]
        areas = [str(label) for value, label in _field(webinar, "priority_area").choices if value]
        assert areas == sorted(areas, key=lambda name: collation_key(name, "fr"))
        assert areas.index("Éthique et intégrité") < areas.index("Ports de Sainte-Lucie") < areas.index("Zéro émission")
