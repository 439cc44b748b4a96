import mailbox
import socket
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.test import Client
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks, Settings

from conftest import person_of
from faro.accounts.models import RoleAssignment, User
from faro.core.fields import Translated
from faro.core.models import AuditEntry, Job
from faro.directory.models import Appointment, Institution, Person, Region
from faro.portal.models import DeliveryEvent, Mailing, MailingRecipient
from faro.portal.services import profile_for
from faro.portal.services.mailings import (
    MailingError,
    preview_mailing,
    record_bounce,
    save_mailing,
    segment_people,
    send_mailing,
    unsubscribe_token,
    unsubscribe_url,
)
from faro.portal.tests.conftest import FakeSource, person_with, topic

pytestmark = pytest.mark.django_db

SUBJECT = {"en": "Webinar season", "es": "Temporada de webinarios", "fr": "Saison des webinaires"}
BODY = {
    "en": "Dear colleagues, save the dates.",
    "es": "Estimados colegas, reserven las fechas.",
    "fr": "Chers collègues, réservez les dates.",
}


def make_mailing(staff: User, segment: dict[str, Any], **kwargs: Any) -> Mailing:
    return save_mailing(
        Mailing(),
        acting_user=staff,
        subject=Translated(kwargs.get("subject", SUBJECT)),
        body=Translated(kwargs.get("body", BODY)),
        category=kwargs.get("category", "webinars"),
        segment=segment,
    )


@pytest.fixture
def people(participant: User, focal_point: User, outsider: User) -> dict[str, Person]:
    pe = person_with("lucia@apn.example.pe", "PE", preferred_language="es")
    br = person_with("joao@portos.example.br", "BR", preferred_language="pt")
    return {
        "jm": person_of(participant),
        "jm_fp": person_of(focal_point),
        "ht": person_of(outsider),
        "pe": pe,
        "br": br,
    }


def emails(qs: Any) -> set[str]:
    return {p.email for p in qs}


def test_segments_by_member_state_and_region(people: dict[str, Person]) -> None:
    assert emails(segment_people({"member_states": ["PE", "HT"]}, category="news")) == {
        "lucia@apn.example.pe",
        "pierre@port.example.ht",
    }
    caribbean = Region.objects.get(scheme__code="m49", code="caribbean")
    found = emails(segment_people({"regions": [caribbean.pk]}, category="news"))
    assert {"keisha@port.example.jm", "pierre@port.example.ht"} <= found
    assert "lucia@apn.example.pe" not in found


def test_segments_by_institution_kind_and_role(people: dict[str, Person], partner: User, reviewer: User) -> None:
    ngo = Institution.objects.create(name="Port NGO", kind="ngo", country_code="BR")
    Person.objects.filter(pk=people["br"].pk).update(institution=ngo)
    assert emails(segment_people({"institution_kinds": ["ngo"]}, category="news")) == {"joao@portos.example.br"}
    Appointment.objects.create(
        person=people["pe"],
        member_state=people["pe"].member_state,  # type: ignore[misc]  # she has a member state
        role="principal_delegate",
        start="2020-01-01",
    )
    found = emails(segment_people({"roles": ["principal_delegate", "reviewer"]}, category="news"))
    assert found == {"lucia@apn.example.pe", "carla@review.example.cl"}
    assert RoleAssignment.objects.filter(role="partner").exists()
    assert emails(segment_people({"roles": ["partner"]}, category="news")) == {"rosa@apn.example.pe"}


def test_segments_by_interests_and_past_participants(people: dict[str, Person], fake_webinars: FakeSource) -> None:
    profile_for(people["br"]).topics.add(topic("isps"))
    profile_for(people["pe"]).priority_areas.add(topic("isps").priority_area)
    assert emails(segment_people({"topics": ["isps"]}, category="news")) == {"joao@portos.example.br"}
    found = emails(segment_people({"priority_areas": [topic("isps").priority_area_id]}, category="news"))
    assert found == {"joao@portos.example.br", "lucia@apn.example.pe"}
    fake_webinars.participants = [people["ht"].pk]
    assert emails(segment_people({"programmes": ["webinar"]}, category="news")) == {"pierre@port.example.ht"}


def test_criteria_combine_and_opt_outs_are_left_out(people: dict[str, Person]) -> None:
    assert emails(segment_people({"member_states": ["JM"], "roles": ["focal_point"]}, category="news")) == {
        "andre@pa.example.jm"
    }
    profile = profile_for(people["jm"])
    profile.wants = ["courses"]
    profile.save()
    assert emails(segment_people({"member_states": ["JM"]}, category="webinars")) == {"andre@pa.example.jm"}
    assert emails(segment_people({"member_states": ["JM"]}, category="courses")) == {
        "andre@pa.example.jm",
        "keisha@port.example.jm",
    }


def test_an_empty_segment_is_blocked_with_a_reason(staff: User, people: dict[str, Person]) -> None:
    nobody = make_mailing(staff, {"member_states": ["CU"]})
    assert "No one matches" in preview_mailing(nobody).problem
    with pytest.raises(MailingError, match="No one matches"):
        send_mailing(nobody, acting_user=staff)
    no_criteria = make_mailing(staff, {})
    with pytest.raises(MailingError, match="at least one criterion"):
        send_mailing(no_criteria, acting_user=staff)
    assert not MailingRecipient.objects.exists()
    assert not Job.objects.exists()
    assert Mailing.objects.filter(status="draft").count() == 2


def test_preview_counts_each_language_and_warns_of_missing_ones(staff: User, people: dict[str, Person]) -> None:
    mailing = make_mailing(staff, {"everyone": True})
    preview = preview_mailing(mailing)
    by_language = {s.language: s for s in preview.samples}
    assert preview.count == 5
    assert (by_language["en"].count, by_language["es"].count, by_language["pt"].count) == (3, 1, 1)
    assert by_language["pt"].falls_back
    assert by_language["pt"].delivered_in == "en"
    assert by_language["es"].subject == "Temporada de webinarios"
    assert preview.missing_languages == ["pt"]
    assert by_language["es"].names == ["Lucia Tester"]


def test_sending_delivers_each_recipient_in_their_language(
    staff: User, people: dict[str, Person], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE", "BR", "HT"]})
    with django_capture_on_commit_callbacks(execute=True):
        job_id = send_mailing(mailing, acting_user=staff)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address["lucia@apn.example.pe"].subject == "Temporada de webinarios"
    assert by_address["joao@portos.example.br"].subject == "Webinar season"  # no Portuguese: fallback
    assert "Dear colleagues" in by_address["joao@portos.example.br"].body
    message = by_address["pierre@port.example.ht"]
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    job = Job.objects.get(pk=job_id)
    assert (job.status, job.done, job.total, job.result["sent"]) == ("done", 3, 3, 3)
    mailing.refresh_from_db()
    assert (mailing.status, mailing.recipient_count) == ("sent", 3)
    entry = AuditEntry.objects.for_object(mailing).first()
    assert entry is not None
    assert entry.action == "portal.mailing.sent"
    with pytest.raises(MailingError, match="already been sent"):
        send_mailing(mailing, acting_user=staff)


def test_one_click_unsubscribe_is_honoured_at_once(client: Client, staff: User, people: dict[str, Person]) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE"]})
    url = unsubscribe_url(people["pe"].pk, mailing.pk).split("testserver")[-1].split("8000")[-1]
    assert client.get(url).status_code == 200  # a link scanner's GET changes nothing
    assert segment_people(mailing.segment, category="webinars").count() == 1
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in response.text
    assert segment_people(mailing.segment, category="webinars").count() == 0
    event = DeliveryEvent.objects.get()
    assert (event.kind, event.person, event.mailing) == ("unsubscribed", people["pe"], mailing)
    assert people["pe"].consents.get().granted is False
    client.post(url)
    assert DeliveryEvent.objects.count() == 1


def test_a_forged_unsubscribe_link_is_harmless(client: Client, people: dict[str, Person]) -> None:
    token = unsubscribe_token(people["pe"].pk, None)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    for bad in [forged, "nonsense", f"{people['jm'].pk}:abc"]:
        response = client.post(f"/unsubscribe/{bad}/")
        assert response.status_code == 400
        assert "not valid" in response.text
    assert not DeliveryEvent.objects.exists()


def test_people_who_unsubscribe_during_sending_are_skipped(
    staff: User, people: dict[str, Person], django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    from faro.portal.services.mailings import unsubscribe_person
    from faro.portal.tasks import deliver_mailing

    mailing = make_mailing(staff, {"member_states": ["PE", "BR"]})
    job_id = send_mailing(mailing, acting_user=staff)  # on_commit not run: still queued
    unsubscribe_person(people["br"])
    counts = deliver_mailing(mailing.pk, job_id)
    assert counts == {"sent": 1, "skipped": 1, "failed": 0}
    assert [m.to for m in mail.outbox] == [["lucia@apn.example.pe"]]


class DroppingBackend(locmem.EmailBackend):
    """Delivers two messages, then the mail server hangs up."""

    def send_messages(self, messages: Any) -> int:
        if len(mail.outbox) >= 2:
            raise ConnectionResetError("connection reset by the mail server")
        return super().send_messages(messages)


def test_a_dropped_connection_resends_nobody_on_the_re_run(
    staff: User, people: dict[str, Person], settings: Settings
) -> None:
    from faro.portal.tasks import deliver_mailing

    mailing = make_mailing(staff, {"member_states": ["PE", "BR", "HT", "JM"]})
    job_id = send_mailing(mailing, acting_user=staff)  # on_commit not run: delivered by hand below
    settings.EMAIL_BACKEND = f"{__name__}.DroppingBackend"
    deliver_mailing(mailing.pk, job_id)
    assert Job.objects.get(pk=job_id).status == "running"  # waiting for the next attempt, not failed
    sent = set(MailingRecipient.objects.filter(status="sent").values_list("email", flat=True))
    assert sent == {m.to[0] for m in mail.outbox}
    assert len(sent) == 2  # who got it is recorded
    assert MailingRecipient.objects.filter(status="queued", next_attempt_at__isnull=False).count() == 3
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    MailingRecipient.objects.update(next_attempt_at=None)  # the next attempt is due
    deliver_mailing(mailing.pk, job_id)
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == MailingRecipient.objects.count()  # everyone once, nobody twice
    assert not MailingRecipient.objects.filter(status="queued").exists()


def test_staff_record_a_bounce_and_the_address_gets_no_more_mail(
    client: Client,
    staff: User,
    people: dict[str, Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    mailing = make_mailing(staff, {"member_states": ["PE"]})
    with django_capture_on_commit_callbacks(execute=True):
        send_mailing(mailing, acting_user=staff)
    client.force_login(staff)
    client.post(
        f"/manage/mailings/{mailing.pk}/bounce/", {"email": "LUCIA@apn.example.pe", "detail": "550 no such user"}
    )
    assert MailingRecipient.objects.get().status == "bounced"
    assert DeliveryEvent.objects.get().kind == "bounced"
    assert segment_people({"member_states": ["PE"]}, category="webinars").count() == 0
    response = client.post(f"/manage/mailings/{mailing.pk}/bounce/", {"email": "who@nowhere.example"}, follow=True)
    assert "nothing was recorded" in response.text


DSN = b"""From MAILER-DAEMON Mon Jan  4 10:00:00 2021
From: Mail Delivery System <MAILER-DAEMON@mx.example.org>
To: faro@cip.example.org
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

The mail could not be delivered.
--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.org

Final-Recipient: rfc822; joao@portos.example.br
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

Final-Recipient: rfc822; someone@unknown.example
Action: failed
Status: 5.1.1

Final-Recipient: rfc822; lucia@apn.example.pe
Action: delayed
Status: 4.4.1
--B--
"""


def test_the_bounce_command_reads_delivery_status_reports(
    tmp_path: Path, people: dict[str, Person], capsys: pytest.CaptureFixture[str]
) -> None:
    box = tmp_path / "bounces.mbox"
    box.write_bytes(DSN)
    assert len(mailbox.mbox(str(box))) == 1
    call_command("record_bounces", str(box))
    assert "bounces recorded: 1; unknown addresses: 1" in capsys.readouterr().out
    event = DeliveryEvent.objects.get()
    assert (event.person, event.kind) == (people["br"], "bounced")
    assert "5.1.1" in event.detail
    assert record_bounce("nobody@nowhere.example") is None


@pytest.mark.parametrize("persona", ["partner", "focal_point", "reviewer", "participant", "outsider"])
def test_only_staff_see_mailings(client: Client, staff: User, persona: str, request: pytest.FixtureRequest) -> None:
    mailing = make_mailing(staff, {"everyone": True})
    client.force_login(request.getfixturevalue(persona))
    for url in ["/manage/mailings/", f"/manage/mailings/{mailing.pk}/", "/manage/mailings/new/"]:
        assert client.get(url).status_code == 404
    assert client.post(f"/manage/mailings/{mailing.pk}/send/").status_code == 404


def test_staff_compose_preview_and_send_through_the_pages(
    client: Client,
    staff: User,
    people: dict[str, Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    client.force_login(staff)
    data = {
        "subject_0": "News",
        "subject_1": "Noticias",
        "subject_2": "",
        "subject_3": "",
        "body_0": "Hello",
        "body_1": "Hola",
        "body_2": "",
        "body_3": "",
        "category": "news",
        "member_states": ["PE", "BR"],
    }
    response = client.post("/manage/mailings/new/", data)
    mailing = Mailing.objects.get()
    assert response["Location"] == f"/manage/mailings/{mailing.pk}/"
    page = client.get(response["Location"]).text
    assert "2 people will receive this mailing" in page
    assert "fallback" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/manage/mailings/{mailing.pk}/send/", {"confirm": "yes"})
    mailing.refresh_from_db()
    assert response["Location"].startswith(f"/jobs/{mailing.job_id}/")
    assert "2 of 2" in client.get(response["Location"]).text
    assert len(mail.outbox) == 2


def test_an_empty_segment_is_explained_on_the_page(client: Client, staff: User, people: dict[str, Person]) -> None:
    mailing = make_mailing(staff, {"member_states": ["CU"]})
    client.force_login(staff)
    assert "No one matches this segment" in client.get(f"/manage/mailings/{mailing.pk}/").text
    response = client.post(f"/manage/mailings/{mailing.pk}/send/", {"confirm": "yes"}, follow=True)
    assert "No one matches this segment" in response.text
    assert not MailingRecipient.objects.exists()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Collector:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def test_a_real_mailing_goes_through_smtp(
    settings: Settings,
    staff: User,
    people: dict[str, Person],
    django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks,
) -> None:
    from aiosmtpd.controller import Controller

    collector = Collector()
    controller = Controller(collector, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
        mailing = make_mailing(staff, {"member_states": ["PE", "JM"]})
        with django_capture_on_commit_callbacks(execute=True):
            send_mailing(mailing, acting_user=staff)
    finally:
        controller.stop()
    received = {rcpt[0]: message for rcpt, message in collector.messages}
    assert set(received) == {"lucia@apn.example.pe", "keisha@port.example.jm", "andre@pa.example.jm"}
    spanish = received["lucia@apn.example.pe"]
    assert spanish["Subject"] == "Temporada de webinarios"
    assert spanish["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/unsubscribe/" in spanish["List-Unsubscribe"]
    body = spanish.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert "Estimados colegas" in body.decode()
    assert MailingRecipient.objects.filter(status="sent").count() == 3


def test_delivery_goes_in_batches_and_ticks_the_job_per_batch(
    staff: User, people: dict[str, Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    from faro.portal import tasks
    from faro.portal.services import delivery

    monkeypatch.setattr(delivery, "CHUNK", 2)
    ticks: list[int] = []
    monkeypatch.setattr(delivery, "set_job_progress", lambda job_id, done, total: ticks.append(done))
    mailing = make_mailing(staff, {"everyone": True})
    job_id = send_mailing(mailing, acting_user=staff)
    assert tasks.deliver_mailing(mailing.pk, job_id) == {"sent": 5, "skipped": 0, "failed": 0}
    assert ticks == [2, 4, 5, 5]  # after each batch, and once more at the end
    assert tasks.deliver_mailing(mailing.pk, job_id)["sent"] == 0  # re-running sends nothing twice
    assert len(mail.outbox) == 5
