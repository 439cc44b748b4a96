"""Staff lists whose rows are written in Python give the bytes their templates' loops gave.

Each table's old loop is kept here as it was; the page's `<tbody>` is compared with that loop
rendered by the template engine over the same rows, with names that need escaping, missing member
states, decimals and dates, in languages that write numbers and dates differently.
"""

import datetime
import re
from decimal import Decimal
from typing import Any

import pytest
from django.template import engines
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from conftest import make_person
from faro.accounts.models import User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, Person
from faro.scholarships.models import Application, Call, Review
from faro.scholarships.tests.factories import make_call, move_to
from faro.webinars.models import Registration
from faro.webinars.services import registrants
from faro.webinars.tests.conftest import make_webinar

pytestmark = pytest.mark.django_db
LANGUAGES = ["en", "es", "fr"]
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')

PEOPLE_LOOP = (
    """{% for person in people %}
    <tr>
      <td>
        <a href="{{ person.url }}">{{ person.last_name }}, {{ person.first_name }}</a>
      </td>
      <td>{{ person.email|default:"—" }}</td>
      <td>{{ person.member_state|default:"—" }}</td>
      <td>{{ person.institution|default:"—" }}</td>
      <td>
        {{ person.position }}{% if person.position_level %} <span class="muted">"""
    """({{ person.position_level }})</span>{% endif %}
      </td>
    </tr>
  {% empty %}<tr><td colspan="5">{% translate "Nobody matches." %}</td></tr>{% endfor %}"""
)

REGISTRANTS_LOOP = """{% for r in rows %}
  <tr>
    <td>{{ r.shown_name }}</td>
    <td>{{ r.email|default:"—" }}</td>
    <td>{{ r.member_state|default:"—" }}</td>
    <td>{{ r.status }}</td>
    <td>{{ r.created_at|date:"SHORT_DATETIME_FORMAT" }}</td>
  </tr>
  {% empty %}<tr><td colspan="5">{% translate "No registrations match." %}</td></tr>{% endfor %}"""

REVIEW_LOOP = (
    """{% for application in rows %}<tr>
    <td>
      <a href="{% url 'scholarships:application_file' application.pk %}">{{ application.person }}</a> """
    """({{ application.person.member_state|default:"—" }})
    </td>
    <td>{{ application.reviews.all|length }}</td>
    <td>{{ application.merit|default:"—" }}</td>
    <td>
      <form method="post" action="{% url 'scholarships:reviewer_assign' application.pk %}">
        {% csrf_token %}
        <input type="hidden" name="page" value="{{ page_obj.number }}">
        <label for="reviewer-{{ application.pk }}">{% translate "Reviewer" %}</label>
      <select id="reviewer-{{ application.pk }}" name="reviewer">{{ reviewer_options }}</select>
      <button type="submit" class="secondary">{% translate "Assign" %}</button></form></td>
  </tr>{% endfor %}"""
)


def loop(source: str, context: dict[str, Any], language: str) -> str:
    with translation.override(language):
        return engines["django"].from_string("{% load i18n %}" + source).render(context)


def tbody(html: str, after: str = "") -> str:
    start = html.index("<tbody>", html.index(after) if after else 0) + len("<tbody>")
    return TOKEN.sub("", html[start : html.index("</tbody>", start)])


def odd_people(institution: Institution) -> list[Person]:
    """Names and places that need escaping, people with no member state, level or institution."""
    people = [
        make_person("Zoë <b>", "O'Brien & Sons", "JM", email="zoe@port.example.jm", position='Head "of" <ops>'),
        make_person("Ana", "Álvarez", "PE", email="", institution=institution, position_level="senior"),
        make_person("Li", "Ng", "BR", email="li@port.example.br", position="Pilot", position_level="other"),
    ]
    Person.objects.filter(pk=people[2].pk).update(member_state=None)
    return people


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_people_rows_are_the_templates(staff: User, partner_institution: Institution, language: str) -> None:
    odd_people(partner_institution)
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff)
    page = client.get(reverse("directory:people")).content.decode()
    with translation.override(language):
        people = [
            {
                "url": reverse("directory:person", args=[p.pk]),
                "last_name": p.last_name,
                "first_name": p.first_name,
                "email": p.email,
                "member_state": p.member_state,
                "institution": p.institution,
                "position": p.position,
                "position_level": str(dict(Person.Level.choices).get(p.position_level, p.position_level)),
            }
            for p in Person.objects.select_related("member_state", "institution").filed()
        ]
    assert tbody(page) == loop(PEOPLE_LOOP, {"people": people}, language)
    assert "Zoë &lt;b&gt;" in page


def test_no_people_is_the_templates_empty_row(staff: User, client: Client) -> None:
    client.force_login(staff)
    page = client.get(reverse("directory:people"), {"q": "nobody-by-this-name"}).content.decode()
    assert tbody(page) == loop(PEOPLE_LOOP, {"people": []}, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_registrant_rows_are_the_templates(staff: User, partner_institution: Institution, language: str) -> None:
    webinar = make_webinar(capacity=100, partners=[partner_institution])
    for n, person in enumerate(odd_people(partner_institution)):
        Registration.objects.create(
            webinar=webinar,
            person=person,
            status=["confirmed", "waitlisted", "cancelled"][n],
            consented_at=timezone.now(),
            entered_name=person.full_name,
        )
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff)
    client.cookies["faro_tz"] = "America/Lima"
    page = client.get(reverse("webinars:manage_registrants", args=[webinar.pk])).content.decode()
    statuses = dict(Registration.Status.choices)
    with translation.override(language), timezone.override("America/Lima"):
        rows = [
            {
                "shown_name": r.shown_name,  # type: ignore[attr-defined]  # annotated by shown_to
                "email": r.person.email,
                "member_state": r.shown_member_state_name,
                "status": str(statuses[r.status]),
                "created_at": r.created_at,
            }
            for r in registrants(webinar, viewer=staff)
        ]
        expected = loop(REGISTRANTS_LOOP, {"rows": rows}, language)
    assert tbody(page) == expected
    assert "O&#x27;Brien &amp; Sons" in page


def test_no_registrants_is_the_templates_empty_row(staff: User, client: Client) -> None:
    webinar = make_webinar(capacity=100)
    client.force_login(staff)
    page = client.get(reverse("webinars:manage_registrants", args=[webinar.pk])).content.decode()
    assert tbody(page) == loop(REGISTRANTS_LOOP, {"rows": []}, "en")


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_review_rows_are_the_templates(staff: User, partner_institution: Institution, language: str) -> None:
    call = make_call([make_offering(make_course(partner_institution))])
    move_to(call, Call.Status.REVIEW)
    scorer = User.objects.create(email="scorer@reviews.example")
    for n, person in enumerate(odd_people(partner_institution)):
        application = Application.objects.create(
            call=call, person=person, status="submitted", merit=[Decimal("70.5"), None, Decimal(0)][n]
        )
        if n == 0:
            Review.objects.create(
                application=application, reviewer=scorer, total=Decimal(70), submitted_at=timezone.now()
            )
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(staff)
    response = client.get(reverse("scholarships:manage_call", args=[call.pk]))
    page = response.content.decode()
    submitted = call.applications.filter(status=Application.Status.SUBMITTED)  # in the view's order
    context = {
        "rows": list(submitted.select_related("person__member_state").prefetch_related("reviews")),
        "page_obj": response.context["page_obj"],
        "reviewer_options": _options(page),
        "csrf_token": "token",
    }
    assert tbody(page, 'id="review-title"') == TOKEN.sub("", loop(REVIEW_LOOP, context, language))
    assert "70.5" in page or "70,5" in page


def _options(page: str) -> Any:
    from django.utils.safestring import mark_safe

    found = re.search(r'name="reviewer">(.*?)</select>', page, re.S)
    assert found is not None
    return mark_safe(found.group(1))


def test_a_date_is_written_in_the_viewers_time_zone() -> None:
    from faro.lib import cells

    moment = datetime.datetime(2026, 1, 1, 3, 0, tzinfo=datetime.UTC)
    with timezone.override("America/Lima"), translation.override("en"):
        assert cells.date_text(moment, "SHORT_DATETIME_FORMAT") == loop(
            '{{ d|date:"SHORT_DATETIME_FORMAT" }}', {"d": moment}, "en"
        )
        assert "12/31/2025" in cells.date_text(moment, "SHORT_DATETIME_FORMAT")
