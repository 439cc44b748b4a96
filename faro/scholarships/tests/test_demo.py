import pytest
from django.test import Client
from django.urls import reverse

from faro.accounts import demo as accounts_demo
from faro.courses import demo as courses_demo
from faro.directory import demo as directory_demo
from faro.scholarships import demo, demo_live, services
from faro.scholarships.models import Application, Call, Offer, Review

pytestmark = pytest.mark.django_db


def test_demo_runs_the_whole_path_through_the_services_and_is_idempotent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(demo, "STATES", ["JM", "PE", "HT"])
    monkeypatch.setattr(demo, "PER_STATE", 3)
    lines: list[str] = []
    courses_demo.load(lines.append)
    demo.load(lines.append)
    call = Call.objects.get(year=2020)
    assert call.status == Call.Status.FINISHED
    accepted = Offer.objects.filter(status="accepted")
    assert accepted.exists()
    assert accepted.values("application__person__member_state").distinct().count() == 3
    assert f"{accepted.count()} scholarships accepted by officials of 3 member states" in next(
        line for line in lines if line.startswith("Scholarships:")
    )
    assert not call.applications.exclude(status=Application.Status.SUBMITTED).exists()
    count = Application.objects.count()
    demo.load(lines.append)
    assert Application.objects.count() == count
    assert Call.objects.count() == 1 + len(demo_live.CALLS)


def test_the_live_calls_give_each_demo_login_something_to_do(client: Client) -> None:
    for module in (directory_demo, accounts_demo, courses_demo):
        module.load(lambda line: None)
    demo_live.load(lambda line: None)
    counts = (Call.objects.count(), Application.objects.count(), Review.objects.count())
    demo_live.load(lambda line: None)
    assert (Call.objects.count(), Application.objects.count(), Review.objects.count()) == counts == (3, 27, 16)
    statuses = dict(Call.objects.values_list("offerings__code", "status").distinct())
    assert {code.split("-")[2]: status for code, status in statuses.items()} == {
        "OPEN": "open",
        "END": "endorsement",
        "REV": "review",
    }

    client.login(username="participant@faro.demo", password=accounts_demo.PASSWORD)
    draft = Application.objects.get(person__email="participant@faro.demo", status=Application.Status.DRAFT)
    assert str(draft.call.title) in client.get(reverse("scholarships:my_applications")).content.decode()

    client.login(username="focal.jm@faro.demo", password=accounts_demo.PASSWORD)
    endorsing = Call.objects.get(status=Call.Status.ENDORSEMENT)
    page = client.get(reverse("scholarships:call_endorsements", args=[endorsing.pk])).content.decode()
    jamaicans = endorsing.applications.filter(person__member_state__code="JM")
    assert jamaicans.count() == 5
    assert all(a.person.last_name in page for a in jamaicans)
    assert not endorsing.applications.exclude(endorsement=Application.Endorsement.PENDING).exists()

    reviewer = Review.objects.filter(reviewer__email="reviewer@faro.demo", submitted_at__isnull=True)
    assert reviewer.count() == demo_live.UNREVIEWED  # the demo reviewer still has these to do


def test_the_call_in_review_shows_staff_its_review_gaps(client: Client) -> None:
    for module in (directory_demo, accounts_demo, courses_demo):
        module.load(lambda line: None)
    demo_live.load(lambda line: None)
    call = Call.objects.get(status=Call.Status.REVIEW)
    gaps = services.review_gaps(call)
    assert len(gaps) == demo_live.UNREVIEWED
    assert {str(r.email) for gap in gaps for r in gap.waiting_for} == {"reviewer@faro.demo"}
    assert call.applications.review_incomplete().count() == demo_live.UNREVIEWED
    assert call.applications.submitted().count() - demo_live.UNREVIEWED == 5  # fully reviewed, with a merit
    client.login(username="staff@faro.demo", password=accounts_demo.PASSWORD)
    page = client.get(reverse("scholarships:call_move_to_allocation", args=[call.pk])).text
    assert "3 endorsed applications still lack the reviews the call requires." in page


def test_the_demo_roles_go_through_the_role_service() -> None:
    from faro.accounts.models import RoleAssignment
    from faro.core.models import AuditEntry
    from faro.directory.models import Appointment

    for module in (directory_demo, accounts_demo):
        module.load(lambda line: None)
    focal = RoleAssignment.objects.get(user__email="focal.jm@faro.demo", role=RoleAssignment.Role.FOCAL_POINT)
    assert focal.appointment is not None
    assert focal.appointment.role == Appointment.Role.FOCAL_POINT
    assert focal.appointment.member_state.code == "JM"
    assert focal.appointment.person == focal.user.person
    assert AuditEntry.objects.filter(action="accounts.user.role_granted").count() == 4  # one per demo role
    accounts_demo.load(lambda line: None)
    assert RoleAssignment.objects.filter(user__email__endswith="@faro.demo").count() == 4  # idempotent
