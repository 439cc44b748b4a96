"""In a real browser: staff invite a new focal point for Paraguay, who accepts from the mail, creates
their account, sees Paraguay's candidates (and not Jamaica's) and endorses one."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page

from conftest import assert_accessible, login, make_person
from faro.accounts.models import Invitation, User
from faro.courses.tests.factories import make_course, make_offering
from faro.directory.models import Institution, MemberState
from faro.scholarships.models import Application, Call
from faro.scholarships.tests.factories import make_application, make_call, move_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def paraguay_call(partner_institution: Institution) -> tuple[Call, list[Application]]:
    offering = make_offering(make_course(partner_institution))
    call = make_call([offering])
    candidates = [
        make_application(call, make_person("Lucía", "Giménez", "PY", email="lucia@anpy.example.py"), [offering]),
        make_application(call, make_person("Diego", "Ortiz", "PY", email="diego@anpy.example.py"), [offering]),
        make_application(call, make_person("Marlon", "Grant", "JM", email="marlon@port.example.jm"), [offering]),
    ]
    move_to(call, Call.Status.ENDORSEMENT)
    return call, candidates


def test_staff_invite_a_focal_point_for_paraguay_who_accepts_and_endorses(
    page: Page, staff: User, partner_institution: Institution
) -> None:
    call, (lucia, diego, marlon) = paraguay_call(partner_institution)
    paraguay = MemberState.objects.get(code="PY")

    # Staff invite the new focal point from People & access.
    login(page, staff.email)
    page.goto(reverse("accounts:manage_people"))
    assert_accessible(page)
    page.click("text=Invite someone")
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_email", "ana.benitez@anpy.example.py")
    page.select_option("#id_role", "focal_point")
    page.select_option("#id_member_state", str(paraguay.pk))
    page.select_option("#id_language", "es")
    page.click("text=Send the invitation")
    page.wait_for_load_state()
    assert "Invitation sent to ana.benitez@anpy.example.py." in page.content()
    assert_accessible(page)

    # The invitee opens the link from the mail (in Spanish) and creates their account.
    (message,) = [m for m in mail.outbox if m.to == ["ana.benitez@anpy.example.py"]]
    assert "Punto focal nacional (Paraguay)" in str(message.body)
    link = re.search(r"https?://[^/]+(/accounts/invitation/\S+/)", str(message.body))
    assert link is not None
    page.context.clear_cookies()
    page.goto(link.group(1))
    assert "ana.benitez@anpy.example.py" in page.content()
    assert_accessible(page)
    page.fill("#id_full_name", "Ana Benítez")
    page.fill("#id_position", "Jefa de Cooperación Internacional")
    page.fill("#id_password1", "un puerto seguro 2026")
    page.fill("#id_password2", "un puerto seguro 2026")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("accounts:me"))
    assert "Punto focal nacional (Paraguay)" in page.content()  # the welcome, in her language
    assert_accessible(page)
    ana = User.objects.get(email="ana.benitez@anpy.example.py")
    assert Invitation.objects.get().accepted_by == ana

    # She sees Paraguay's candidates — not Jamaica's — and endorses one.
    page.goto(reverse("scholarships:call_endorsements", args=[call.pk]))
    content = page.content()
    assert "Giménez" in content
    assert "Ortiz" in content
    assert "Grant" not in content
    assert_accessible(page)
    form = page.locator(f"form[action='{reverse('scholarships:application_endorse', args=[lucia.pk])}']")
    form.locator("input[value=endorse]").check()
    form.locator("button").click()
    page.wait_for_load_state()
    endorsed = Application.objects.get(pk=lucia.pk)
    assert endorsed.endorsement == Application.Endorsement.ENDORSED
    assert Application.objects.get(pk=diego.pk).endorsement != Application.Endorsement.ENDORSED
    assert Application.objects.get(pk=marlon.pk).endorsement != Application.Endorsement.ENDORSED
    assert_accessible(page)


def test_the_back_office_pages_are_accessible(page: Page, staff: User, partner: User, focal_point: User) -> None:
    from faro.accounts import invitations
    from faro.accounts.models import RoleAssignment

    invitations.send_invitation(
        "luis@apn.example.pe", role="partner", institution=partner.roles.get().institution, acting_user=partner
    )
    role = RoleAssignment.objects.get(user=focal_point)
    login(page, staff.email)
    for url in (
        reverse("accounts:manage_invitations"),
        reverse("accounts:manage_person", args=[focal_point.pk]),
        reverse("accounts:role_end", args=[role.pk]),
        reverse("accounts:account_deactivate", args=[focal_point.pk]),
    ):
        page.goto(url)
        assert_accessible(page)
    page.goto(reverse("accounts:role_end", args=[role.pk]))
    page.fill("#id_reason", "Replaced by an alternate")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()
    assert "The role was ended." in page.content()
    assert_accessible(page)
    page.context.clear_cookies()
    login(page, partner.email)
    page.get_by_role("link", name="Nominations").first.click()
    page.wait_for_load_state()
    assert "luis@apn.example.pe" in page.content()
    assert_accessible(page)
    page.click("text=Nominate a colleague")
    page.wait_for_load_state()
    assert_accessible(page)
