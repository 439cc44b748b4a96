"""Schemathesis: generated requests against every documented endpoint, GET and POST, valid and
invalid, as anonymous, staff, a partner coordinator and a participant.

No response may be a 5xx, and every response must conform to the OpenAPI schema. The partner
and the participant call with path ids of real objects of a small world (their webinar, their
offering, their registration…) so the generated bodies reach the services, not only the 404s.
"""

import datetime
from decimal import Decimal
from typing import Any

import pytest
import schemathesis
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from conftest import person_of
from faro.accounts.models import User
from faro.api.services import create_api_token
from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.courses.models import Course, Enrolment, Offering
from faro.directory.models import Institution
from faro.meetings.models import Meeting
from faro.scholarships.models import Call
from faro.webinars.models import Question, Registration, Webinar
from faro.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


def _headers(user: User) -> dict[str, str]:
    _token, plain = create_api_token(user, acting_user=user, name="fuzz", scope="write", expires_at=None)
    return {"Authorization": f"Bearer {plain}"}


def _world(partner_institution: Institution, participant: User, outsider: User) -> dict[str, Any]:
    """One object of each kind: the partner runs them, the participant takes part."""
    start = timezone.now() + datetime.timedelta(days=3)
    webinar = Webinar.objects.create(
        title={"en": "Port security"},
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        capacity=2,
        status=Webinar.Status.PUBLISHED,
        join_url="https://zoom.example.org/j/1",
    )
    webinar.partners.set([partner_institution])
    Question.objects.create(webinar=webinar, label={"en": "Your port?"}, required=False)
    registration = Registration.objects.create(
        webinar=webinar, person=person_of(participant), status="confirmed", consented_at=timezone.now()
    )
    course = Course.objects.create(
        title={"en": "Port management"},
        provider=partner_institution,
        modality="online_tutored",
        hours=40,
        minimum_grade=Decimal(70),
        is_published=True,
    )
    offering = Offering.objects.create(
        course=course, code="APN-1", start=datetime.date(2026, 3, 1), end=datetime.date(2026, 5, 1), seats=20
    )
    enrolment = Enrolment.objects.create(offering=offering, person=person_of(participant))
    Enrolment.objects.create(offering=offering, person=person_of(outsider))
    call = Call.objects.create(
        title={"en": "Scholarships 2026"},
        year=2026,
        status=Call.Status.OPEN,
        opens_at=timezone.now(),
        closes_at=start,
        results_on=start.date(),
        accept_by=start,
        start=offering.start,
        end=offering.end,
    )
    call.offerings.set([offering])
    meeting = Meeting.objects.create(
        kind="regular",
        title={"en": "XIV Regular Meeting"},
        start_date=datetime.date(2026, 11, 3),
        end_date=datetime.date(2026, 11, 5),
    )
    template = CertificateTemplate.objects.create(
        name="Webinar", kind=Kind.WEBINAR, heading={"en": "Certificate"}, body={"en": "{name}"}
    )
    certificate = Certificate.objects.create(
        kind=Kind.WEBINAR,
        template=template,
        source_type=ContentType.objects.get_for_model(Webinar),
        source_id=webinar.pk,
        holder=person_of(participant),
        holder_name="Keisha Brown",
        achievement={"en": "Port security"},
        issuer_name="CIP",
        achieved_on=datetime.date(2026, 1, 1),
    )
    return {
        "webinars": webinar.pk,
        "registrations": registration.pk,
        "courses": course.pk,
        "offerings": offering.pk,
        "enrolments": enrolment.pk,
        "calls": call.pk,
        "meetings": meeting.pk,
        "people": participant.person_id,
        "verify": certificate.display_code,
    }


def _aim_at_world(case: Any, world: dict[str, Any]) -> None:
    """Point the path's id at the world's object of that kind (named by the segment before it).

    Only valid requests are re-aimed: an invalid one may be invalid *because of* its path id.
    """
    if not case.meta or not case.meta.generation.mode.is_positive:
        return
    segments = case.path.split("/")
    for index, segment in enumerate(segments):
        if segment.startswith("{"):
            case.path_parameters[segment.strip("{}")] = world.get(segments[index - 1], 0)


@pytest.fixture
def callers(
    staff: User, partner: User, partner_institution: Institution, participant: User, outsider: User
) -> dict[str, Any]:
    world = _world(partner_institution, participant, outsider)
    return {
        "staff": _headers(staff),
        "partner": _headers(partner),
        "participant": _headers(participant),
        "world": world,
    }


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_keeps_its_schema(case: Any, callers: dict[str, Any]) -> None:
    # A request the schema allows may still be refused for what it means (registration closed, a
    # person not enrolled: a 400; registering someone else without organising the webinar: a 403).
    excluded = [positive_data_acceptance]
    case.call_and_validate(excluded_checks=excluded)
    case.call_and_validate(headers=callers["staff"], excluded_checks=excluded)
    _aim_at_world(case, callers["world"])
    case.call_and_validate(headers=callers["partner"], excluded_checks=excluded)
    case.call_and_validate(headers=callers["participant"], excluded_checks=excluded)


# Rules an OpenAPI 3.0 schema cannot state, because they depend on another parameter or on stored
# records: a report's `start` needs `end` and a year excludes both; registering someone else needs
# their name and country, and may answer only that webinar's questions; pushed results must give
# someone an outcome. A schema-valid request that
# breaks one is refused with a 400 naming exactly that field; any other refusal of valid data fails.
STATEFUL_RULES = {
    "GET /api/v1/reports/figures/": {"start", "end", "year"},
    "POST /api/v1/webinars/{id}/registrations/": {"answers", "email", "first_name", "country"},
    "POST /api/v1/offerings/{id}/completions/": {"results", "confirm"},
}


def _refused_only_by_stateful_rules(case: Any, response: Any) -> None:
    if response.status_code != 400 or not (case.meta and case.meta.generation.mode.is_positive):
        return
    fields = {name.split(".")[0] for name in response.json()["error"].get("fields", {})}
    allowed = STATEFUL_RULES.get(case.operation.label, set())
    assert fields, f"{case.operation.label}: valid data refused without naming a field: {response.text}"
    assert fields <= allowed, f"{case.operation.label}: valid data refused: {response.text}"


# The coverage phase: schemathesis derives, from each operation's schema, the boundary values and
# each way a request can be wrong (a missing required field, a wrong type, a value just out of
# range, an unexpected method), and every check runs on each answer — `--checks all`, including
# that valid requests are accepted and invalid ones refused.
coverage_schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
coverage_schema.config.phases.examples.enabled = False
coverage_schema.config.phases.fuzzing.enabled = False
coverage_schema.config.phases.coverage.enabled = True


@pytest.mark.django_db(transaction=True)
@coverage_schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_the_coverage_phase_passes_every_check(case: Any, callers: dict[str, Any]) -> None:
    checks = [positive_data_acceptance] if case.operation.label in STATEFUL_RULES else []
    response = case.call_and_validate(headers=callers["staff"], excluded_checks=checks)
    _refused_only_by_stateful_rules(case, response)
    if case.meta and case.meta.generation.mode.is_positive:  # a partner's view of real objects (bounded time)
        _aim_at_world(case, callers["world"])
        response = case.call_and_validate(headers=callers["partner"], excluded_checks=checks)
        _refused_only_by_stateful_rules(case, response)
