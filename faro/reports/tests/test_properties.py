"""Property-based: random records, then every figure against an independent count in Python.

Hypothesis draws a small world (people, courses and offerings, offers, enrolments, webinars,
attendance, meetings, certificates, across 2019–2021 and two partners); the test writes it
through the ORM, computes each figure, and compares with a plain-Python count of the same world
for everything, for one partner and for one member state.
"""

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_person
from faro.directory.models import Institution, MemberState
from faro.reports.audience import EVERYTHING, Audience, partner_audience, state_audience
from faro.reports.dimensions import Row
from faro.reports.figures import figure_breakdown, figure_breakdowns, values_for
from faro.reports.periods import calendar_year
from faro.reports.tests.conftest import at, needs

pytestmark = [
    pytest.mark.django_db,
    needs(
        "courses.Offering",
        "scholarships.Offer",
        "webinars.Webinar",
        "meetings.Meeting",
        "certificates.Certificate",
    ),
]

COUNTRIES = ["JM", "BR", "PE", "HT"]
YEARS = [2019, 2020, 2021]
idx = st.integers(0, 30)


@dataclass
class World:
    people: list[tuple[str, str]]  # (country, gender)
    courses: list[int]  # provider index (0 or 1)
    offerings: list[tuple[int, int]]  # (year, course index)
    offers: list[tuple[int, int, str]]  # (person, offering, status)
    enrolments: list[tuple[int, int, str]]  # (person, offering, outcome)
    webinars: list[tuple[int, str, int | None, tuple[str, int]]]  # (year, status, partner index, rule)
    attendances: list[tuple[int, int, str, int]]  # (person, webinar, role, minutes)
    meetings: list[tuple[int, str, int | None]]  # (year, status, host index)
    participants: list[tuple[int, int]]  # (person, meeting)
    certificates: list[tuple[int, int, int, str]]  # (person, offering, year, status)


def _pairs(*parts: Any) -> Any:
    return st.lists(st.tuples(*parts), max_size=14, unique_by=lambda t: (t[0], t[1]))


worlds = st.builds(
    World,
    people=st.lists(
        st.tuples(st.sampled_from(COUNTRIES), st.sampled_from(["woman", "man", ""])), min_size=1, max_size=10
    ),
    courses=st.lists(st.integers(0, 1), min_size=1, max_size=3),
    offerings=st.lists(st.tuples(st.sampled_from(YEARS), idx), max_size=4),
    offers=_pairs(idx, idx, st.sampled_from(["awarded", "accepted", "declined", "expired"])),
    enrolments=_pairs(idx, idx, st.sampled_from(["enrolled", "completed", "failed", "dropped"])),
    webinars=st.lists(
        st.tuples(
            st.sampled_from(YEARS),
            st.sampled_from(["published", "held", "closed", "cancelled"]),
            st.none() | st.integers(0, 1),
            st.sampled_from([("share", 50), ("share", 75), ("minutes", 30), ("minutes", 45)]),
        ),
        max_size=4,
    ),
    attendances=_pairs(
        idx, idx, st.sampled_from(["attendee", "attendee", "host", "panelist"]), st.sampled_from([10, 30, 45, 68, 90])
    ),
    meetings=st.lists(
        st.tuples(
            st.sampled_from(YEARS), st.sampled_from(["held", "cancelled", "planned"]), st.none() | st.integers(0, 1)
        ),
        max_size=3,
    ),
    participants=_pairs(idx, idx),
    certificates=_pairs(idx, idx, st.sampled_from(YEARS), st.sampled_from(["issued", "revoked"])),
)


def _pick(items: list[Any], index: int) -> Any:
    return index % len(items) if items else None


def normalise(world: World) -> World:
    """Map indices onto existing records and drop links to lists that are empty."""

    def links(rows: list[tuple[Any, ...]], first: list[Any], second: list[Any]) -> list[tuple[Any, ...]]:
        seen, out = set(), []
        for row in rows:
            a, b = _pick(first, row[0]), _pick(second, row[1])
            if a is None or b is None or (a, b) in seen:
                continue
            seen.add((a, b))
            out.append((a, b, *row[2:]))
        return out

    world.offerings = [(year, course % len(world.courses)) for year, course in world.offerings]
    world.offers = links(world.offers, world.people, world.offerings)
    world.enrolments = links(world.enrolments, world.people, world.offerings)
    world.attendances = links(world.attendances, world.people, world.webinars)
    world.participants = links(world.participants, world.people, world.meetings)
    world.certificates = links(world.certificates, world.people, world.offerings)
    return world


def build(world: World, partners: list[Institution]) -> None:
    """Write the world through the ORM."""
    from faro.certificates.models import Certificate, CertificateTemplate
    from faro.courses.models import Course, Enrolment, Offering
    from faro.meetings.models import Delegation, Meeting, Participant
    from faro.reports.tests.conftest import make_call
    from faro.scholarships.models import Application, Offer
    from faro.webinars.models import Attendance, Registration, Webinar

    people = [make_person(f"P{i}", "X", country, gender=gender) for i, (country, gender) in enumerate(world.people)]
    courses = [
        Course.objects.create(title={"en": f"C{i}"}, provider=partners[p], modality="online_tutored", hours=10)
        for i, p in enumerate(world.courses)
    ]
    offerings = [
        Offering.objects.create(course=courses[c], code=f"O{i}", start=at(y).date(), end=at(y, 9).date(), seats=9)
        for i, (y, c) in enumerate(world.offerings)
    ]
    calls = [make_call(o.start.year) for o in offerings]
    for p, o, status in world.offers:
        application = Application.objects.create(call=calls[o], person=people[p], status="submitted")
        Offer.objects.create(application=application, offering=offerings[o], status=status, accept_by=at(2020))
    for p, o, outcome in world.enrolments:
        Enrolment.objects.create(offering=offerings[o], person=people[p], outcome=outcome)
    webinars = []
    for i, (y, status, partner, (rule, threshold)) in enumerate(world.webinars):
        webinar = Webinar.objects.create(
            title={"en": f"W{i}"},
            starts_at=at(y),
            ends_at=at(y) + WEBINAR_LENGTH,
            status=status,
            attended_rule=rule,
            attended_threshold=threshold,
        )
        webinar.partners.set([partners[partner]] if partner is not None else [])
        webinars.append(webinar)
    for p, w, role, minutes in world.attendances:
        Registration.objects.create(webinar=webinars[w], person=people[p], status="confirmed", consented_at=at(2020))
        Attendance.objects.create(webinar=webinars[w], person=people[p], role=role, minutes=minutes)
    meetings = [
        Meeting.objects.create(
            kind="tag",
            title={"en": f"M{i}"},
            start_date=at(y).date(),
            end_date=at(y).date(),
            status=status,
            host_institution=partners[h] if h is not None else None,
        )
        for i, (y, status, h) in enumerate(world.meetings)
    ]
    for p, m in world.participants:
        delegation, _new = Delegation.objects.get_or_create(
            meeting=meetings[m], member_state=people[p].member_state, defaults={"status": "accredited"}
        )
        Participant.objects.create(delegation=delegation, person=people[p], role="delegate")
    template = CertificateTemplate.objects.create(
        name="T", kind="course_completion", heading={"en": "T"}, body={"en": "T"}
    )
    from django.contrib.contenttypes.models import ContentType

    offering_type = ContentType.objects.get_for_model(Offering)
    for p, o, y, status in world.certificates:
        Certificate.objects.create(
            kind="course_completion",
            template=template,
            source_type=offering_type,
            source_id=offerings[o].pk,
            holder=people[p],
            holder_name="X",
            achievement={"en": "X"},
            issuer_name="CIP",
            achieved_on=at(y).date(),
            issued_at=at(y),
            status=status,
            revocation_reason="x" if status == "revoked" else "",
        )


WEBINAR_LENGTH = datetime.timedelta(minutes=90)


def minimum(world: World, webinar: int) -> int:
    """The attendance rule, worked out by hand: minutes, or a share of the 90 minutes rounded up."""
    rule, threshold = world.webinars[webinar][3]
    return threshold if rule == "minutes" else math.ceil(90 * threshold / 100)


# UN M49 regions of the member states drawn (as loaded by the directory's migrations).
M49 = {"JM": ["caribbean"], "BR": ["south-america"], "PE": ["south-america"], "HT": ["caribbean"]}


def expected(world: World, *, partner: int | None = None, state: str | None = None) -> dict[str, Any]:
    """The figures for 2020, counted in plain Python from the world."""
    country = [c for c, _g in world.people]
    in_state = [state is None or c == state for c in country]
    provider = [world.courses[c] for _y, c in world.offerings]
    offerings = {
        i for i, (y, _c) in enumerate(world.offerings) if y == 2020 and (partner is None or provider[i] == partner)
    }
    if state is not None:
        reached = {o for p, o, _s in world.offers if in_state[p]} | {o for p, o, _s in world.enrolments if in_state[p]}
        offerings &= reached
    offers = [(p, o, s) for p, o, s in world.offers if o in offerings and in_state[p]]
    awarded = [(p, o) for p, o, s in offers if s in ("awarded", "accepted")]
    accepted = {(p, o) for p, o, s in offers if s == "accepted"}
    webinars = {
        i
        for i, (y, s, w_partner, _rule) in enumerate(world.webinars)
        if y == 2020 and s in ("held", "closed") and (partner is None or w_partner == partner)
    }
    attended = [(p, w) for p, w, r, minutes in world.attendances if r == "attendee" and minutes >= minimum(world, w)]
    if state is not None:
        webinars &= {w for p, w in attended if in_state[p]}
    attendees = {p for p, w in attended if w in webinars and in_state[p]}
    meetings = {
        i
        for i, (y, s, host) in enumerate(world.meetings)
        if y == 2020 and s == "held" and (partner is None or host == partner)
    }
    if state is not None:
        meetings &= {m for p, m in world.participants if in_state[p]}
    participants = [(p, m) for p, m in world.participants if m in meetings and in_state[p]]
    partner_offerings = {i for i in range(len(world.offerings)) if partner is None or provider[i] == partner}
    reached_people = {p for p, _o in awarded} | attendees | {p for p, _m in participants}
    women = sum(1 for p in reached_people if world.people[p][1] == "woman")
    by_state: dict[str | None, int] = {}
    for p in reached_people:
        by_state[country[p]] = by_state.get(country[p], 0) + 1
    unstated = sum(1 for p in reached_people if world.people[p][1] == "")
    gender = [g for _c, g in world.people]
    breakdowns = {
        ("people_reached", "gender"): Counter(gender[p] for p in reached_people),
        ("webinar_unique_attendees", "member_state"): Counter(country[p] for p in attendees),
        ("webinar_member_states", "gender"): Counter(g for _c, g in {(country[p], gender[p]) for p in attendees}),
        ("webinar_registrations", "region_m49"): Counter(
            region for p, w, _r, _m in world.attendances if w in webinars and in_state[p] for region in M49[country[p]]
        ),
        ("people_reached", "region_m49"): Counter(region for p in reached_people for region in M49[country[p]]),
    }
    return {
        "breakdowns": breakdowns,
        "scholarships_offered": len(offers),
        "scholarships_awarded": len(awarded),
        "scholarships_accepted": len(accepted),
        "scholarships_completed": sum(
            1 for p, o, s in world.enrolments if s == "completed" and (p, o) in accepted and o in offerings
        ),
        "scholarship_member_states": len({country[p] for p, _o in awarded}),
        "courses": len({world.offerings[o][1] for o in offerings}),
        "offerings": len(offerings),
        "webinars": len(webinars),
        "webinar_registrations": sum(1 for p, w, _r, _m in world.attendances if w in webinars and in_state[p]),
        "webinar_unique_attendees": len(attendees),
        "webinar_member_states": len({country[p] for p in attendees}),
        "meetings": len(meetings),
        "meeting_delegations": len({(m, country[p]) for p, m in participants}),
        "meeting_participants": len({p for p, _m in participants}),
        "certificates_issued": sum(
            1
            for p, o, y, s in world.certificates
            if y == 2020 and s == "issued" and in_state[p] and o in partner_offerings
        ),
        "people_reached": len(reached_people),
        "women_share": round(women / len(reached_people), 3) if reached_people else None,
        "gender_not_stated_share": round(unstated / len(reached_people), 3) if reached_people else None,
        "by_state": by_state,
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
)
@given(world=worlds)
def test_every_figure_matches_an_independent_count(world: World, partner_institution: Institution) -> None:
    world = normalise(world)
    with transaction.atomic():
        partners = [partner_institution, Institution.objects.create(name="Other", kind="ngo", country_code="ES")]
        build(world, partners)
        audiences: list[tuple[Audience, dict[str, Any]]] = [
            (EVERYTHING, expected(world)),
            (partner_audience(partners[0]), expected(world, partner=0)),
            (state_audience(MemberState.objects.get(code="JM")), expected(world, state="JM")),
        ]
        for audience, wanted in audiences:
            reach: dict[str | None, int] = {}
            known: dict[str, dict[str, list[Row]]] = {}
            got = values_for(calendar_year(2020), audience, reach=reach, breakdowns=known)
            got.pop("webinar_satisfaction", None)
            by_state, breakdowns = wanted.pop("by_state"), wanted.pop("breakdowns")
            assert got == wanted, audience
            assert {code: n for code, n in reach.items() if n} == by_state, audience
            for (key, dimension), counts in breakdowns.items():
                rows = figure_breakdown(key, dimension, calendar_year(2020), audience)
                assert {row.key: row.value for row in rows} == counts, (audience, key, dimension)
            every_kind = ("people_reached", "webinar_registrations", "webinar_unique_attendees", "webinars")
            for key in (*every_kind, "webinar_member_states", "scholarship_member_states"):
                total = int(got[key] or 0)
                every = figure_breakdowns(key, calendar_year(2020), audience, total=total)
                for dimension, rows in every.items():
                    one = figure_breakdown(key, dimension, calendar_year(2020), audience, total=total)
                    assert {r.key: r for r in rows} == {r.key: r for r in one}, (audience, key, dimension)
                    came = known.get(key, {}).get(dimension, one)  # those that came with the figures
                    assert {r.key: r for r in came} == {r.key: r for r in one}, (audience, key, dimension)
            assert set(known) == {"people_reached", "webinar_unique_attendees", "webinar_member_states"}
        transaction.set_rollback(True)
