from django.test import Client

from faro.directory.demo import load as load_directory
from faro.meetings.demo import load
from faro.meetings.models import Attendance, Delegation, Document, Meeting, SessionRole


def test_the_demo_loads_twice_without_duplicates(db: None) -> None:
    load_directory(lambda _text: None)
    load(lambda _text: None)
    counts = (Meeting.objects.count(), Delegation.objects.count(), Document.objects.count(), Attendance.objects.count())
    roles = SessionRole.objects.count()
    load(lambda _text: None)
    assert (
        Meeting.objects.count(),
        Delegation.objects.count(),
        Document.objects.count(),
        Attendance.objects.count(),
    ) == counts
    assert SessionRole.objects.count() == roles
    assert SessionRole.objects.filter(session__meeting__kind__in=["regular", "cecip"]).count() == 9
    xii = Meeting.objects.get(kind="regular")
    assert (xii.start_date.isoformat(), xii.end_date.isoformat(), xii.city) == (
        "2021-05-19",
        "2021-05-21",
        "Buenos Aires",
    )
    assert xii.status == "postponed"
    assert xii.host_institution is not None
    assert xii.host_institution.name == "Administración General de Puertos"
    assert xii.invitations.filter(member_state__code="NI").exists()  # Nicaragua still took part in 2021
    assert not xii.invitations.filter(member_state__code="CU").exists()
    assert xii.delegations.filter(status="accredited", member_state__code="AR").exists()
    assert "CIDI/CIP/doc. 1/21 rev.1" in [d.reference for d in xii.documents.all()]
    conference = xii.sessions.get(room="Salón Belgrano", starts_at__hour=17)  # 14:00 in Buenos Aires
    assert [(r.role, r.person.member_state.code if r.person else r.name) for r in conference.roles.all()] == [  # type: ignore[union-attr]  # each person has a member state
        ("chair", "PE"),
        ("speaker", "Port authorities of the region"),
    ]
    assert SessionRole.objects.filter(session__meeting=xii, person__isnull=False).count() == 7
    cecip = Meeting.objects.get(kind="cecip")
    assert cecip.is_held
    assert cecip.attended_people().count() == 6
    area_numbers = [(m.kind, a.plan.start_year, a.number) for m in (xii, cecip) for a in m.priority_areas.all()]
    assert area_numbers == [("regular", 2018, n) for n in range(1, 7)] + [("cecip", 2018, n) for n in (1, 3, 4)]


def test_a_conference_in_preparation_gives_the_focal_point_a_delegation_to_finish(db: None, client: Client) -> None:
    import datetime

    from django.urls import reverse

    from faro.accounts import demo as accounts_demo

    load_directory(lambda _text: None)
    accounts_demo.load(lambda _text: None)
    load(lambda _text: None)
    conference = Meeting.objects.get(kind="conference")
    assert conference.start_date > datetime.date.today()
    assert conference.status == "confirmed"
    drafts = conference.delegations.filter(status="draft")
    assert [d.member_state.code if d.member_state else None for d in drafts] == ["JM"]
    assert conference.sessions.count() == 3
    assert SessionRole.objects.filter(session__meeting=conference, name__gt="").count() == 3
    client.login(username="focal.jm@faro.demo", password=accounts_demo.PASSWORD)
    page = client.get(reverse("meetings:delegations")).text
    assert "Hemispheric Conference on Port Resilience" in page
