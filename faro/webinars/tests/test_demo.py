import pytest

from faro.directory.models import Institution
from faro.webinars import demo
from faro.webinars.models import Attendance, AttendanceImport, Registration, Webinar

pytestmark = pytest.mark.django_db


def test_the_2020_demo_reaches_over_3000_officers_of_27_member_states_and_is_idempotent() -> None:
    from faro.directory.demo import load as load_directory

    load_directory(lambda line: None)  # creates the partners the webinars are co-organised with
    others = Institution.objects.exclude(kind="port_authority").count()
    lines: list[str] = []
    demo.load(lines.append)
    assert Institution.objects.exclude(kind="port_authority").count() == others  # no duplicate partner
    attended = Attendance.objects.filter(role=Attendance.Role.ATTENDEE)
    assert Webinar.objects.filter(starts_at__year=2020, status=Webinar.Status.CLOSED).count() == 14
    assert attended.values("person").distinct().count() > 3000
    assert attended.values("person__member_state").distinct().count() == 27
    assert not attended.filter(person__member_state=None).exists()
    partners = {p.name for w in Webinar.objects.all() for p in w.partners.all()}
    assert len(partners) == 2
    assert "Fundación Valenciaport" in partners
    assert any(name.startswith("Red PBIP México") for name in partners)
    assert set(AttendanceImport.objects.values_list("format", flat=True)) == {"zoom-webinar", "zoom-meeting", "teams"}
    counts = (Registration.objects.count(), Attendance.objects.count(), AttendanceImport.objects.count())
    demo.load(lines.append)
    assert (Registration.objects.count(), Attendance.objects.count(), AttendanceImport.objects.count()) == counts
    assert "14 created" in lines[0]
    assert "0 created" in lines[1]
