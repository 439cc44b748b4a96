"""Demo: the 2020 APN scholarship call, from applications to completions, through the real services.

Officials of 29 member states apply; focal points endorse and rank; reviewers score; the
allocation awards the 401 seats; every awardee accepts; the partner's Moodle results are
imported. The printed figures are counted from the records. Idempotent.
"""

import datetime
import hashlib
import io
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count

from faro.accounts import services as accounts
from faro.accounts.models import RoleAssignment, User
from faro.courses.models import Enrolment, Offering
from faro.courses.services import import_results, preview_results
from faro.directory.demo_people import ensure_official
from faro.directory.models import MemberState, Person
from faro.lib.xlsx import workbook_bytes
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Offer, Review

TITLE = {
    "en": "2020 Port Scholarships with APN (Peru)",
    "es": "Becas portuarias 2020 con la APN (Perú)",
    "pt": "Bolsas portuárias 2020 com a APN (Peru)",
    "fr": "Bourses portuaires 2020 avec l’APN (Pérou)",
}
# The 29 member states whose officials applied (of 35; not CA, US, CU, VE, NI, BS).
STATES = ("AG AR BB BZ BO BR CL CO CR DM DO EC SV GD GT GY HT HN JM MX PA PY PE KN LC VC SR TT UY").split()
PER_STATE = 17
REVIEWERS = [("US", 900), ("US", 901), ("CA", 900), ("CA", 901)]
PDF = b"%PDF-1.4\n% Faro demo document\n"
UTC = datetime.UTC


def _at(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2020, month, day, 12, tzinfo=UTC)


def _roll(*parts: object) -> int:
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def load(out: Callable[[str], None]) -> None:
    # Found by its first offering (a key lookup on a TranslatedField does not work: it wraps the value).
    call = Call.objects.filter(year=2020, offerings__code="APN-2020-01").first()
    if call is None:
        with transaction.atomic():  # one commit: SQLite would otherwise sync to disk after every service
            call = _run()
    _report(call, out)
    from faro.scholarships import demo_live  # it builds on this module's helpers

    demo_live.load(out)


def _run() -> Call:
    offerings = list(Offering.objects.filter(code__startswith="APN-2020-").order_by("code"))
    call = _create_call(offerings)
    _apply(call, offerings)
    _endorse(call)
    _review(call)
    _allocate_and_answer(call)
    _import_results(offerings)
    return services.advance_call(call, acting_user=None)


def _create_call(offerings: list[Offering]) -> Call:
    call = services.create_call(
        acting_user=None,
        offerings=offerings,
        title=TITLE,
        year=2020,
        description={
            "en": "Scholarships for port officials of the member states: 12 online certified courses.",
            "es": "Becas para funcionarios portuarios de los Estados miembros: 12 cursos virtuales certificados.",
            "pt": "Bolsas para profissionais portuários dos Estados membros: 12 cursos on-line certificados.",
            "fr": "Bourses pour les professionnels portuaires des États membres\u202f: 12 cours en ligne certifiés.",
        },
        required_documents=["cv", "employer_letter", "id"],
        requires_endorsement=True,
        country_cap=4,
        country_cap_total=20,
        languages=["es", "en"],
        opens_at=_at(5, 1),
        closes_at=_at(6, 1),
        endorsement_deadline=_at(6, 15),
        results_on=datetime.date(2020, 7, 1),
        accept_by=_at(7, 10),
        start=datetime.date(2020, 7, 15),
        end=datetime.date(2020, 12, 31),
        criteria=[
            {
                "name": {
                    "en": "Relevance of the position",
                    "es": "Pertinencia del cargo",
                    "pt": "Pertinência do cargo",
                    "fr": "Pertinence du poste",
                },
                "weight": 2,
            },
            {"name": {"en": "Motivation", "es": "Motivación", "pt": "Motivação", "fr": "Motivation"}, "weight": 1},
            {
                "name": {
                    "en": "Expected impact",
                    "es": "Impacto esperado",
                    "pt": "Impacto esperado",
                    "fr": "Impact attendu",
                },
                "weight": 1,
            },
        ],
    )
    return services.advance_call(call, acting_user=None)


def _applicants() -> list[tuple[Person, int]]:
    people = [(ensure_official(code, index), _roll(code, index)) for code in STATES for index in range(PER_STATE)]
    # The demo login "participant@faro.demo" (made by the accounts demo) applies too, so it has a story.
    demo_participant = Person.objects.with_email("participant@faro.demo").first()
    if demo_participant and demo_participant.member_state and demo_participant.member_state.code in STATES:
        people.append((demo_participant, 7))
    return people


def _apply(call: Call, offerings: list[Offering]) -> None:
    for person, roll in _applicants():
        picks = [offerings[(roll + k * 5) % len(offerings)] for k in range(3)]
        languages = sorted({person.preferred_language, "es"} if roll % 3 else {person.preferred_language})
        submitted_application(
            call,
            person,
            picks,
            languages=languages,
            filled_at=_at(5, 10),
            submitted_at=_at(5, 20),
            motivation="I want to strengthen my port's capacities.",
        )
    services.advance_call(call, acting_user=None)  # closed
    services.advance_call(call, acting_user=None)  # endorsement


def submitted_application(
    call: Call,
    person: Person,
    offerings: list[Offering],
    *,
    languages: list[str],
    motivation: str,
    filled_at: datetime.datetime,
    submitted_at: datetime.datetime,
) -> Application:
    """An application filled in with its documents at `filled_at` and submitted at `submitted_at`."""
    application = services.start_application(call, person, acting_user=None, now=filled_at)
    services.save_application(
        application,
        acting_user=None,
        offerings=offerings,
        spoken_languages=languages,
        motivation=motivation,
        now=filled_at,
    )
    for kind in application.required_documents():
        upload = ContentFile(PDF, name=f"{kind}.pdf")
        services.attach_document(application, kind, upload, acting_user=None, now=filled_at)
    return services.submit_application(application, acting_user=None, now=submitted_at)


def _endorse(call: Call) -> None:
    for state in MemberState.objects.filter(code__in=STATES):
        applications = list(call.applications.filter(person__member_state=state).order_by("pk"))
        for application in applications:
            declined = _roll("endorse", application.person_id) % 20 == 0
            services.endorse_application(
                application,
                acting_user=None,
                endorse=not declined,
                now=_at(6, 10),
                reason="Not a port authority official." if declined else "",
            )
        endorsed = [a.pk for a in applications if a.endorsement == Application.Endorsement.ENDORSED]
        order = sorted(endorsed, key=lambda pk: _roll("rank", pk))
        services.rank_endorsed(call, state, acting_user=None, order=order, now=_at(6, 12))
    services.advance_call(call, acting_user=None)  # review


def _reviewer(code: str, index: int) -> User:
    person = ensure_official(code, index)
    user = User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(str(person.email), None, full_name=person.full_name, person=person)
    reviewer = RoleAssignment.Role.REVIEWER
    accounts.record_role(user, role=reviewer, granted_by=None, needs_approval=False, acting_user=None)
    return user


def _review(call: Call) -> None:
    for code, index in REVIEWERS:
        _reviewer(code, index)
    services.assign_reviewers_automatically(call, acting_user=None)
    criteria = list(call.criteria.all())
    for review in Review.objects.filter(application__call=call).select_related("reviewer", "application__call"):
        scores = {str(c.pk): 4 + _roll(review.pk, c.pk) % 7 for c in criteria}
        services.submit_review(review, acting_user=review.reviewer, scores=scores, update_merit=False)
    for application in call.applications.filter(reviews__isnull=False).distinct().select_related("call"):
        services.refresh_merit(application)
    services.advance_call(call, acting_user=None)  # allocation


def _allocate_and_answer(call: Call) -> None:
    services.preview_allocation(call, acting_user=None)
    services.publish_results(call, acting_user=None, now=_at(7, 1))
    for offer in Offer.objects.filter(application__call=call).select_related("application__person", "offering"):
        services.accept_offer(offer, acting_user=None, now=_at(7, 5))


def _import_results(offerings: list[Offering]) -> None:
    for index, offering in enumerate(offerings):
        people = list(Person.objects.filter(enrolments__offering=offering).order_by("pk"))
        if not people:  # nothing to import (the importer refuses a file with no rows)
            continue
        grades = {p.pk: _grade(offering, p) for p in people}
        if index % 3 == 2:
            data, name = _plain_csv(people, grades), "results.csv"
        else:
            data, name = _moodle(people, grades, xlsx=index % 3 == 1), "grades.xlsx" if index % 3 == 1 else "grades.csv"
        preview = preview_results(offering, io.BytesIO(data), filename=name)
        import_results(offering, preview, acting_user=None)


def _grade(offering: Offering, person: Person) -> str:
    roll = _roll("grade", offering.pk, person.pk) % 100
    return "-" if roll < 4 else f"{65 + roll % 35:.2f}"


def _moodle(people: list[Person], grades: dict[int, str], *, xlsx: bool) -> bytes:
    header = [
        "First name",
        "Surname",
        "ID number",
        "Institution",
        "Department",
        "Email address",
        "Quiz: Module 1 (Real)",
        "Course total (Real)",
        "Last downloaded from this course",
    ]
    rows = [
        [p.first_name, p.last_name, "", str(p.institution or ""), "", p.email, grades[p.pk], grades[p.pk], "1606780800"]
        for p in people
    ]
    if xlsx:
        return workbook_bytes([("Grades", header, rows)])
    lines = [",".join(f'"{cell}"' for cell in row) for row in [header, *rows]]  # type: ignore[attr-defined]  # rows of demo data
    return ("\n".join(lines) + "\n").encode("utf-8")


def _plain_csv(people: list[Person], grades: dict[int, str]) -> bytes:
    lines = ["email,grade,status"]
    for p in people:
        grade = grades[p.pk]
        lines.append(f"{p.email},{'' if grade == '-' else grade},{'dropped' if grade == '-' else 'completed'}")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _report(call: Call, out: Callable[[str], None]) -> None:
    accepted = Offer.objects.filter(application__call=call, status=Offer.Status.ACCEPTED)
    states = accepted.values("application__person__member_state").distinct().count()
    outcomes: dict[str, Any] = dict(
        Enrolment.objects.filter(offering__calls=call).values_list("outcome").annotate(n=Count("pk"))
    )
    out(
        f"Scholarships: {call.applications.count()} applications, {accepted.count()} scholarships accepted by "
        f"officials of {states} member states; completions {outcomes}."
    )
