"""The meeting form and the meeting services agree on what a meeting's details are."""

import datetime

import pytest

from faro.accounts.models import User
from faro.meetings import services
from faro.meetings.forms import MeetingForm
from faro.meetings.models import Meeting


def test_the_form_edits_exactly_the_details_the_services_accept() -> None:
    assert set(MeetingForm.base_fields) == {*Meeting.DETAIL_FIELDS, "priority_areas"}


def test_a_field_that_is_not_a_detail_is_refused_not_dropped(staff: User, db: None) -> None:
    from faro.directory.models import MemberState

    with pytest.raises(TypeError, match="status"):
        services.create_meeting(
            acting_user=staff,
            kind=Meeting.Kind.REGULAR,
            title={"en": "XIII Regular Meeting of the CIP"},
            host_country=MemberState.objects.get(code="AR"),
            city="Buenos Aires",
            start_date=datetime.date(2027, 5, 19),
            end_date=datetime.date(2027, 5, 21),
            time_zone="America/Argentina/Buenos_Aires",
            status="held",
        )
    assert not Meeting.objects.exists()
