"""Demo: three calls in progress today, so every demo login has something to do.

- a call open for applications, where the demo participant has a draft application;
- a call in national endorsement, with Jamaican candidates waiting for the demo focal point;
- a call in review, with applications assigned to the demo reviewer. Its review is incomplete:
  every review is in except one on each of the last `UNREVIEWED` applications (the demo
  reviewer's) — so staff moving it on see which applications lack a review, and whose, and the
  demo reviewer still has those to do.

Dates are relative to the day the demo is loaded; the 2020 figures are untouched (other years).
Found again by its offering codes, so loading the demo twice changes nothing. All through the services.
"""

import datetime
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone

from faro.courses import services as courses
from faro.courses.models import Course, Offering
from faro.directory.demo_people import ensure_official
from faro.directory.models import Person
from faro.scholarships import services
from faro.scholarships.demo import _reviewer, _roll, submitted_application
from faro.scholarships.models import Call, Review

DEMO_REVIEWER = "reviewer@faro.demo"
UNREVIEWED = 3  # applications of the call in review still waiting for the demo reviewer

# (key, English title, Spanish title, courses (by English title), the phase it is in today, applicants)
CALLS = [
    (
        "OPEN",
        "Port Scholarships {year}: Digital Ports",
        "Becas portuarias {year}: puertos digitales",
        ["Digitalization and Automation of Ports", "Maritime Single Window"],
        Call.Status.OPEN,
        {"JM": 2, "MX": 3, "CO": 2},
    ),
    (
        "END",
        "Port Scholarships {year}: Security and Resilience",
        "Becas portuarias {year}: protección y resiliencia",
        ["Port Security and the ISPS Code", "Disaster Risk Management in Ports"],
        Call.Status.ENDORSEMENT,
        {"JM": 5, "TT": 3, "BB": 3},
    ),
    (
        "REV",
        "Port Scholarships {year}: Green Ports",
        "Becas portuarias {year}: puertos verdes",
        ["Green Ports and Environmental Management"],
        Call.Status.REVIEW,
        {"PA": 3, "CR": 3, "DO": 2},
    ),
]


TITLES_PT_FR = {
    "OPEN": {
        "pt": "Bolsas portuárias {year}: portos digitais",
        "fr": "Bourses portuaires {year}\u202f: ports numériques",
    },
    "END": {
        "pt": "Bolsas portuárias {year}: proteção e resiliência",
        "fr": "Bourses portuaires {year}\u202f: sûreté et résilience",
    },
    "REV": {"pt": "Bolsas portuárias {year}: portos verdes", "fr": "Bourses portuaires {year}\u202f: ports verts"},
}


def load(out: Callable[[str], None]) -> None:
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)  # deadlines at noon UTC
    for key, en, es, course_titles, phase, applicants in CALLS:
        code = f"APN-{now.year}-{key}"
        call = Call.objects.filter(offerings__code__startswith=code).first()
        if call is None:
            with transaction.atomic():
                title = {"en": en, "es": es, **TITLES_PT_FR[key]}
                call = _run(
                    code,
                    now,
                    {lang: text.format(year=now.year) for lang, text in title.items()},
                    course_titles,
                    phase,
                    applicants,
                )
        out(
            f"Scholarships in progress: “{call.title['en']}” ({call.get_status_display()}), "
            f"{call.applications.submitted().count()} applications submitted."
        )


def _run(
    code: str,
    now: datetime.datetime,
    title: dict[str, str],
    course_titles: list[str],
    phase: str,
    applicants: dict[str, int],
) -> Call:
    day = datetime.timedelta(days=1)
    is_open = phase == Call.Status.OPEN
    opens = now - (5 if is_open else 40) * day
    closes = now + 25 * day if is_open else now - 10 * day
    start = (closes + 45 * day).date()
    offerings = [_offering(f"{code}-{n + 1}", course, start) for n, course in enumerate(course_titles)]
    call = services.create_call(
        acting_user=None,
        offerings=offerings,
        title=title,
        year=now.year,
        description={
            "en": "Online certified courses with APN (Peru) for port officials of the member states.",
            "es": "Cursos virtuales certificados con la APN (Perú) para funcionarios portuarios.",
            "pt": "Cursos on-line certificados com a APN (Peru) para profissionais portuários.",
            "fr": "Cours en ligne certifiés avec l’APN (Pérou) pour les professionnels portuaires.",
        },
        required_documents=["cv", "employer_letter"],
        requires_endorsement=True,
        country_cap=3,
        languages=["es", "en"],
        opens_at=opens,
        closes_at=closes,
        endorsement_deadline=closes + 20 * day,
        results_on=(closes + 30 * day).date(),
        accept_by=closes + 37 * day,
        start=start,
        end=start + 70 * day,
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
        ],
    )
    services.advance_call(call, acting_user=None)  # open
    people = [ensure_official(state, 20 + n) for state, count in applicants.items() for n in range(count)]
    applied = opens + 2 * day
    for person in people:
        submitted_application(
            call,
            person,
            offerings,
            languages=["es", "en"],
            filled_at=applied,
            submitted_at=applied,
            motivation="I want to bring what I learn back to my port.",
        )
    participant = Person.objects.with_email("participant@faro.demo").first()
    if is_open and participant:  # the demo participant has started an application: theirs to finish
        application = services.start_application(call, participant, acting_user=None)
        services.save_application(
            application, acting_user=None, offerings=offerings[:1], spoken_languages=["en"], motivation=""
        )
        return call
    if is_open:
        return call
    services.advance_call(call, acting_user=None)  # closed
    services.advance_call(call, acting_user=None)  # endorsement
    if phase == Call.Status.REVIEW:
        for application in call.applications.submitted().order_by("pk"):
            services.endorse_application(application, acting_user=None, endorse=True)
        services.advance_call(call, acting_user=None)  # review
        _reviewer("US", 900)  # the 2020 reviewer (the same person when the 2020 call is loaded)
        services.assign_reviewers_automatically(call, acting_user=None)  # the demo reviewer has the lightest load
        _review_partly(call)
    return call


def _review_partly(call: Call) -> None:
    """Every review but one on each of the last `UNREVIEWED` applications: the demo reviewer's
    when they have one there (else the first assigned), so the gap is the same on any demo."""
    applications = list(call.applications.submitted().order_by("pk"))
    reviews = list(Review.objects.filter(application__call=call).select_related("reviewer", "application__call"))
    skipped = set()
    for application in applications[-UNREVIEWED:]:
        mine = sorted(
            (r for r in reviews if r.application_id == application.pk),
            key=lambda r: (r.reviewer.email != DEMO_REVIEWER, r.pk),
        )
        skipped.add(mine[0].pk)
    criteria = list(call.criteria.all())
    for review in reviews:
        if review.pk in skipped:
            continue
        scores = {str(c.pk): 5 + _roll("live", review.pk, c.pk) % 6 for c in criteria}
        services.submit_review(review, acting_user=review.reviewer, scores=scores)


def _offering(code: str, course_title: str, start: datetime.date) -> Offering:
    course = next(
        c for c in Course.objects.filter(offerings__code__startswith="APN-2020-") if c.title["en"] == course_title
    )
    offering = courses.create_offering(
        course,
        acting_user=None,
        code=code,
        start=start,
        end=start + datetime.timedelta(days=70),
        seats=30,
        tutor="Tutor APN",
        lms_url="https://campus.apn.gob.pe/",
    )
    courses.add_contribution(offering, acting_user=None, institution=course.provider, kind="tuition", places_funded=30)
    return offering
