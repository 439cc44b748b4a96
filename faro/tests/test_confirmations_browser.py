"""Every irreversible or mass-mail action asks first, and its confirmation page works with JavaScript
off: cancel a webinar, publish results, send a mailing (after a test to oneself), withdraw an
application, submit a delegation, end a role. Each page says what will happen and how many people
are mailed; the action is done by the plain form, in a browser that runs no script. axe-core
(which needs JavaScript) checks the same page in a second context."""

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from conftest import assert_accessible, login
from faro.accounts.models import RoleAssignment
from faro.meetings import services as meetings
from faro.meetings.models import Delegation
from faro.meetings.tests.conftest import head, jamaica_delegation, meeting, pdf_upload  # noqa: F401  # fixtures
from faro.portal.models import Mailing
from faro.portal.tests.test_mailings import make_mailing, people  # noqa: F401  # people: a fixture
from faro.scholarships import services as scholarships
from faro.scholarships.models import Application, Call, Offer
from faro.scholarships.tests.conftest import call, course, offering, offering_en  # noqa: F401  # fixtures
from faro.scholarships.tests.factories import make_application, move_to, reviewed
from faro.webinars.models import Webinar
from faro.webinars.tests.conftest import register, webinar  # noqa: F401  # webinar: a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def no_js(browser: Any, live_server: Any) -> Iterator[Any]:
    context = browser.new_context(base_url=live_server.url, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def ask(no_js: Any, page: Any, email: str, url: str) -> str:
    """Open the confirmation page without JavaScript (its text), and check it with axe-core."""
    login(page, email)
    page.goto(url)
    assert_accessible(page)
    login(no_js, email)
    no_js.goto(url)
    return str(no_js.inner_text("main"))


def confirm(no_js: Any, selector: str) -> None:
    no_js.click(selector)
    no_js.wait_for_load_state()


def walk(
    no_js: Any,
    page: Any,
    *,
    email: str,
    url: str,
    says: list[str],
    press: str,
    fill: dict[str, str] | None = None,
    before_pressing: Callable[[], None] = lambda: None,
) -> None:
    """One confirmation walk: the page (axe-checked) says each phrase; then, without JavaScript,
    fill the form and press the button. The outbox is emptied first, so it holds what the action sent."""
    text = ask(no_js, page, email, url)
    for phrase in says:
        assert phrase in text, f"the confirmation page does not say {phrase!r}"
    before_pressing()
    for selector, value in (fill or {}).items():
        no_js.fill(selector, value)
    mail.outbox.clear()
    confirm(no_js, press)


def test_cancel_a_webinar(no_js: Any, page: Any, webinar: Webinar, staff: Any) -> None:  # noqa: F811
    register(webinar, "a@x.example.org")
    register(webinar, "b@x.example.org")

    def opening_the_page_changed_nothing() -> None:
        webinar.refresh_from_db()
        assert webinar.status == Webinar.Status.PUBLISHED

    walk(
        no_js,
        page,
        email=staff.email,
        url=reverse("webinars:webinar_cancel", args=[webinar.pk]),
        says=["2 registrants are mailed that the webinar is cancelled."],
        press="text=Cancel it and mail 2 registrants",
        before_pressing=opening_the_page_changed_nothing,
    )
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.CANCELLED
    assert sorted(m.to[0] for m in mail.outbox) == ["a@x.example.org", "b@x.example.org"]


def test_publish_results(
    no_js: Any,
    page: Any,
    call: Call,  # noqa: F811
    offering: Any,  # noqa: F811
    participant: Any,
    outsider: Any,
    reviewer: Any,
    staff: Any,
) -> None:
    applications = [
        make_application(call, participant.person, [offering]),
        make_application(call, outsider.person, [offering]),
    ]
    Application.objects.filter(call=call).update(endorsement=Application.Endorsement.ENDORSED)
    move_to(call, Call.Status.REVIEW)
    reviewed(applications[0], 90)
    scholarships.assign_reviewer(applications[1], reviewer, acting_user=None)
    scholarships.advance_call(call, acting_user=staff, confirm_incomplete=[applications[1].pk])
    scholarships.preview_allocation(call, acting_user=staff)
    walk(
        no_js,
        page,
        email=staff.email,
        url=reverse("scholarships:results_publish", args=[call.pk]),
        says=["Publishing mails 1 applicant and cannot be undone.", "No mail: these applications were not reviewed"],
        press="text=Publish and mail 1 applicant",
    )
    call.refresh_from_db()
    assert call.status == Call.Status.RESULTS_PUBLISHED
    assert [o.application for o in Offer.objects.all()] == [applications[0]]
    assert [m.to[0] for m in mail.outbox] == [participant.email]


def test_send_a_mailing_after_a_test_to_oneself(
    no_js: Any,
    page: Any,
    staff: Any,
    people: dict[str, Any],  # noqa: F811
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE", "BR"]})
    url = reverse("portal:mailing_send", args=[mailing.pk])
    walk(
        no_js,
        page,
        email=staff.email,
        url=url,
        says=["2 people will be mailed. A mailing cannot be recalled once sent."],
        press=f"text=Send me a test first (to {staff.email})",
    )
    assert [m.to for m in mail.outbox] == [[staff.email]]
    assert no_js.url.endswith(url)  # back on the confirmation, nothing sent to the segment
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.DRAFT
    mail.outbox.clear()
    confirm(no_js, "text=Send to 2 people")
    mailing.refresh_from_db()
    assert mailing.status == Mailing.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == ["joao@portos.example.br", "lucia@apn.example.pe"]


def test_withdraw_an_application(
    no_js: Any,
    page: Any,
    call: Call,  # noqa: F811
    offering: Any,  # noqa: F811
    participant: Any,
) -> None:
    application = make_application(call, participant.person, [offering])
    walk(
        no_js,
        page,
        email=participant.email,
        url=reverse("scholarships:application_withdraw", args=[application.pk]),
        says=["Your application will no longer be considered", "Nobody is mailed."],
        press="text=Yes, withdraw it",
    )
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


def test_submit_a_delegation(
    no_js: Any,
    page: Any,
    jamaica_delegation: Delegation,  # noqa: F811
    head: Any,  # noqa: F811
    focal_point: Any,
) -> None:
    meetings.upload_credentials(jamaica_delegation, acting_user=focal_point, upload=pdf_upload())
    walk(
        no_js,
        page,
        email=focal_point.email,
        url=reverse("meetings:delegation_submit", args=[jamaica_delegation.pk]),
        says=["The delegation of 1 person goes to the Secretariat for accreditation.", "nobody is mailed now"],
        press="#confirm-submit",
    )
    jamaica_delegation.refresh_from_db()
    assert jamaica_delegation.status == Delegation.Status.SUBMITTED


def test_end_a_role(no_js: Any, page: Any, staff: Any, focal_point: Any) -> None:
    role = RoleAssignment.objects.get(user=focal_point)
    walk(
        no_js,
        page,
        email=staff.email,
        url=reverse("accounts:role_end", args=[role.pk]),
        says=["gives no access", "Nobody is mailed"],
        fill={"textarea[name=reason], input[name=reason]": "Replaced by a new focal point"},
        press="text=End the role",
    )
    role.refresh_from_db()
    assert role.ends_on == timezone.localdate()
    assert role.end_reason == "Replaced by a new focal point"
