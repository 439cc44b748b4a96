import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import make_person, person_of
from faro.accounts.models import User
from faro.core.models import AuditEntry
from faro.courses.models import Enrolment, Offering
from faro.scholarships import services
from faro.scholarships.models import Application, Call, Offer, Outcome
from faro.scholarships.services.allocation_outcomes import offer_link, reason_text
from faro.scholarships.tests.factories import make_application, move_to, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def applications(call: Call, offering: Offering, participant: User, outsider: User) -> dict[str, Application]:
    """Two Jamaicans (90, 80), a Haitian (70) and a Chilean (60), all for `offering` (2 seats, cap 1)."""
    people = {
        "A": person_of(participant),
        "B": make_person("Marlon", "Grant", "JM", email="marlon@port.example.jm"),
        "C": person_of(outsider),
        "D": make_person("Ana", "Rojas", "CL", email="ana@port.example.cl", preferred_language="es"),
    }
    people["C"].preferred_language = "fr"
    people["C"].save()
    made = {key: make_application(call, person, [offering]) for key, person in people.items()}
    for key, merit in zip("ABCD", (90, 80, 70, 60), strict=True):
        Application.objects.filter(pk=made[key].pk).update(endorsement="endorsed")
        reviewed(made[key], merit)
    move_to(call, Call.Status.ALLOCATION)
    return made


def outcome(application: Application) -> Outcome:
    return Outcome.objects.get(application=application)


def test_the_problem_describes_the_call(call: Call, offering: Offering, applications: dict[str, Any]) -> None:
    Application.objects.filter(pk=applications["D"].pk).update(endorsement="declined")
    problem = services.build_allocation_problem(call)
    specs = {a.id: a for a in problem.applicants}
    assert {o.id: o.seats for o in problem.offerings}[str(offering.pk)] == 2
    assert problem.country_cap == 1
    assert problem.country_cap_total == 2
    assert specs[str(applications["A"].pk)].country == "JM"
    assert specs[str(applications["A"].pk)].merit == 90
    assert specs[str(applications["A"].pk)].preferences == (str(offering.pk),)
    assert specs[str(applications["D"].pk)].eligible is False


def test_preview_stores_outcomes_with_reasons_and_caps_hold(
    call: Call, applications: dict[str, Any], staff: User
) -> None:
    services.preview_allocation(call, acting_user=staff)
    results = {key: outcome(app).result for key, app in applications.items()}
    assert results == {"A": "awarded", "B": "waitlisted", "C": "awarded", "D": "waitlisted"}
    assert outcome(applications["B"]).waitlist_position is not None
    assert AuditEntry.objects.filter(action="scholarships.allocation.previewed").exists()


def test_reasons_are_rendered_in_the_viewers_language() -> None:
    params = {"country": "JM", "cap": 3, "offering_title": "Ciberseguridad", "position": 2}
    with translation.override("es"):
        text = reason_text("waitlisted_country_cap", params)
    assert "Jamaica" in text
    assert "3" in text
    assert "2" in text
    assert text.startswith("En lista de espera")
    with translation.override("en"):
        assert reason_text("waitlisted_country_cap", params) == (
            "Waitlisted: Jamaica's cap of 3 on Ciberseguridad is reached; position 2 on its waitlist."
        )


def test_override_needs_a_reason_and_a_free_seat(
    call: Call, offering: Offering, applications: dict[str, Any], staff: User
) -> None:
    services.preview_allocation(call, acting_user=staff)
    b = outcome(applications["B"])
    with pytest.raises(ValidationError, match="reason"):
        services.override_outcome(b, acting_user=staff, result="awarded", offering=offering, reason=" ")
    with pytest.raises(ValidationError, match="no free seat"):
        services.override_outcome(b, acting_user=staff, result="awarded", offering=offering, reason="Gender balance")
    services.override_outcome(
        outcome(applications["C"]), acting_user=staff, result="not_selected", offering=None, reason="Duplicate"
    )
    services.override_outcome(b, acting_user=staff, result="awarded", offering=offering, reason="Gender balance")
    b.refresh_from_db()
    assert b.result == "awarded"
    assert b.override_reason == "Gender balance"
    assert b.overridden_by == staff
    assert AuditEntry.objects.filter(action="scholarships.outcome.overridden").count() == 2


def test_publish_sends_offers_and_notices_in_each_language(
    call: Call,
    applications: dict[str, Any],
    staff: User,
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    services.preview_allocation(call, acting_user=staff)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.publish_results(call, acting_user=staff) == 2
    call.refresh_from_db()
    assert call.status == Call.Status.RESULTS_PUBLISHED
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert len(by_recipient) == 4
    assert "/scholarships/offers/" in by_recipient["keisha@port.example.jm"].body
    assert by_recipient["pierre@port.example.ht"].subject.startswith("Bourse")
    assert "lista de espera" in by_recipient["ana@port.example.cl"].body


def test_accept_from_the_signed_link_enrols(
    client: Client, call: Call, applications: dict[str, Any], staff: User
) -> None:
    services.preview_allocation(call, acting_user=staff)
    services.publish_results(call, acting_user=staff)
    offer = Offer.objects.get(application=applications["A"])
    assert client.get(offer_link(offer) + "x").status_code == 404
    page = client.get(offer_link(offer))
    assert "Accept the scholarship" in page.text
    client.post(offer_link(offer), {"answer": "accept"})
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert Enrolment.objects.filter(person=applications["A"].person, offering=offer.offering).exists()
    response = client.post(offer_link(offer), {"answer": "decline"}, follow=True)
    assert "already been answered" in response.text


def test_decline_and_expiry_promote_within_the_caps(call: Call, applications: dict[str, Any], staff: User) -> None:
    services.preview_allocation(call, acting_user=staff)
    services.publish_results(call, acting_user=staff)
    declined = Offer.objects.get(application=applications["C"])
    promoted = services.decline_offer(declined, acting_user=None)
    assert promoted is not None
    assert promoted.application == applications["D"]  # B skipped: Jamaica's cap of 1
    assert promoted.accept_by > timezone.now() + datetime.timedelta(days=call.offer_days - 1)
    later = Offer.objects.get(application=applications["A"]).accept_by + datetime.timedelta(minutes=1)
    assert services.expire_offers(now=later) >= 1
    assert Offer.objects.get(application=applications["A"]).status == "expired"
    assert Offer.objects.filter(application=applications["B"], status="awarded", promoted=True).exists()
    assert services.expire_offers(now=later) == 0  # idempotent
    assert AuditEntry.objects.filter(action="scholarships.offer.promoted").count() == 2


def test_late_answer_is_refused(call: Call, applications: dict[str, Any], staff: User) -> None:
    services.preview_allocation(call, acting_user=staff)
    services.publish_results(call, acting_user=staff)
    offer = Offer.objects.get(application=applications["A"])
    with pytest.raises(ValidationError, match="deadline"):
        services.accept_offer(offer, acting_user=None, now=offer.accept_by)


def test_expire_offers_command_and_beat_schedule(settings: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    call_command("expire_offers")
    assert "0 offer(s) expired" in capsys.readouterr().out
    entry = settings.CELERY_BEAT_SCHEDULE["scholarships-expire-offers"]
    assert entry["task"] == "faro.scholarships.tasks.expire_offers_task"


def test_staff_previews_overrides_and_publishes_through_the_pages(
    client: Client, call: Call, applications: dict[str, Any], staff: User
) -> None:
    client.force_login(staff)
    client.post(reverse("scholarships:call_action", args=[call.pk, "allocate"]))
    page = client.get(reverse("scholarships:manage_call", args=[call.pk]))
    assert "2 scholarships awarded to officials of 2 member states." in " ".join(page.text.split())
    assert "Waitlisted" in page.text
    d = outcome(applications["D"])
    response = client.post(
        reverse("scholarships:outcome_override", args=[d.pk]), {"result": "not_selected", "reason": "Checked"}
    )
    assert response.status_code == 302
    client.post(reverse("scholarships:call_action", args=[call.pk, "publish"]))  # only leads to the check page
    assert Offer.objects.count() == 0
    client.post(reverse("scholarships:results_publish", args=[call.pk]))
    assert Offer.objects.count() == 2


def test_partner_of_another_institution_and_outsider_cannot_manage(client: Client, call: Call, outsider: User) -> None:
    client.force_login(outsider)
    assert client.get(reverse("scholarships:manage_call", args=[call.pk])).status_code == 404
    assert client.post(reverse("scholarships:call_action", args=[call.pk, "publish"])).status_code == 404


def test_allocate_command_previews_a_real_call(call: Call, applications: dict[str, Any]) -> None:
    import io
    import json

    out = io.StringIO()
    call_command("allocate", str(call.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert set(data["assignments"]) == {str(applications["A"].pk), str(applications["C"].pk)}
    assert data["objective"]["member_states"] == 2
    assert not Outcome.objects.exists()  # a preview from the command writes nothing
