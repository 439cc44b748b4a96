import datetime
import io
from typing import Any

import pytest
from django.core import mail
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from faro.accounts.models import User
from faro.core.timefmt import format_span, zone_name
from faro.directory.models import Institution, MemberState, Person
from faro.webinars import services
from faro.webinars.models import Attendance, Registration, SurveyResponse, Webinar
from faro.webinars.services import attendance
from faro.webinars.tests.conftest import Record, Report, make_webinar, register

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    return {
        "email": "maria@port.example.mx",
        "first_name": "María",
        "last_name": "García",
        "member_state": MemberState.objects.get(code="MX").pk,
        "position": "Harbour master",
        "language": "es",
        "consent": "on",
        **overrides,
    }


def test_the_public_list_shows_published_webinars_not_drafts(client: Client, webinar: Webinar) -> None:
    draft = make_webinar(status=Webinar.Status.DRAFT, title={"en": "Secret draft"})
    response = client.get(reverse("webinars:webinars"))
    assert response.status_code == 200
    assert "Port security" in response.content.decode()
    assert "Secret draft" not in response.content.decode()
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_detail_page_shows_times_in_two_zones_and_hides_the_join_link(client: Client, webinar: Webinar) -> None:
    page = client.get(webinar.get_absolute_url()).content.decode()
    assert zone_name("America/New_York", webinar.starts_at) in page  # the organiser's, named as people say it
    assert "America/New_York" not in page
    assert format_span(webinar.starts_at, webinar.ends_at, "UTC") in page  # the viewer's (none: UTC)
    assert webinar.join_url not in page


def test_a_confirmed_registrant_sees_the_join_link(client: Client, webinar: Webinar, participant: User) -> None:
    register(webinar, participant.email)
    client.force_login(participant)
    assert webinar.join_url in client.get(webinar.get_absolute_url()).content.decode()


def test_registering_through_the_form_and_replaying_it_yields_one_registration(
    client: Client, webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    url = reverse("webinars:registration_create", args=[webinar.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data())
    assert response["Location"] == reverse("webinars:registration_sent", args=[webinar.pk])
    assert "Check your inbox" in client.get(response["Location"]).content.decode()
    assert mail.outbox[0].to == ["maria@port.example.mx"]
    manage_url = next(line for line in mail.outbox[0].body.splitlines() if "/webinars/registration/" in line)
    own_page = client.get(manage_url[manage_url.index("/webinars/") :]).content.decode()
    assert "María García" in own_page
    assert webinar.join_url in own_page
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, form_data(email="MARIA@port.example.mx"))
    assert again["Location"] == response["Location"]
    assert Registration.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["maria@port.example.mx"]] * 2


def test_someone_elses_email_reveals_nothing_of_their_registration(
    client: Client, webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """The attack: type a known address into the public form and get the owner's name, join link and
    a working cancel button. Now the answer is the one a new address gets; the link goes to the owner."""
    owner = register(webinar, "victim@port.example.mx", first="Rosa", last="Quispe").registration
    mail.outbox.clear()
    url = reverse("webinars:registration_create", args=[webinar.pk])
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(url, form_data(email="Victim@port.example.mx", first_name="X"), follow=True)
        new = client.post(url, form_data(email="new@port.example.mx"), follow=True)
    assert known.redirect_chain == new.redirect_chain
    page = known.content.decode()
    assert "Quispe" not in page
    assert webinar.join_url not in page
    assert services.registration_token(owner) not in page
    assert "Cancel my registration" not in page
    assert [message.to for message in mail.outbox] == [["victim@port.example.mx"], ["new@port.example.mx"]]


def test_the_link_is_resent_at_most_three_times_an_hour(webinar: Webinar) -> None:
    registration = register(webinar, "a@x.example.org").registration
    sent = [services.resend_registration_link(registration, acting_user=None) for _ in range(4)]
    assert sent == [True, True, True, False]


def test_a_signed_in_registrant_sees_their_own_registration(
    client: Client, webinar: Webinar, participant: User
) -> None:
    client.force_login(participant)
    response = client.post(
        reverse("webinars:registration_create", args=[webinar.pk]), form_data(email=participant.email)
    )
    assert "/webinars/registration/" in response["Location"]
    assert webinar.join_url in client.get(response["Location"]).content.decode()


def test_a_signed_in_participant_cannot_register_someone_else_through_the_form(
    client: Client, webinar: Webinar, participant: User
) -> None:
    client.force_login(participant)
    response = client.post(
        reverse("webinars:registration_create", args=[webinar.pk]), form_data(email="other@port.example.mx")
    )
    assert response.status_code == 403
    assert response.context["form"].errors["email"] == [
        "You may register only yourself (keisha@port.example.jm); only this webinar's organisers register other people."
    ]
    assert not Registration.objects.exists()


def test_the_co_organising_partner_registers_someone_else_through_the_form(
    client: Client, webinar: Webinar, partner: User
) -> None:
    client.force_login(partner)
    response = client.post(
        reverse("webinars:registration_create", args=[webinar.pk]), form_data(email="other@port.example.mx")
    )
    assert response["Location"] == reverse("webinars:registration_sent", args=[webinar.pk])
    assert Registration.objects.get().person.email == "other@port.example.mx"


def test_the_public_form_mails_one_address_at_most_the_hourly_limit(
    client: Client, settings: Any, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    """#16.13: registering a victim's address for every webinar would mail them each time."""
    settings.FARO_MAIL_LIMIT_PER_EMAIL = 2
    webinars = [make_webinar() for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            Client(REMOTE_ADDR=f"198.51.100.{n}").post(
                reverse("webinars:registration_create", args=[w.pk]), form_data()
            )
            for n, w in enumerate(webinars)
        ]
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert "Too many registrations" in answers[2].content.decode()
    assert len(mail.outbox) == 2
    assert Registration.objects.count() == 2


def test_the_public_form_takes_at_most_the_hourly_limit_from_one_client(client: Client, settings: Any) -> None:
    settings.FARO_MAIL_LIMIT_PER_IP = 2
    webinar = make_webinar(capacity=10)
    url = reverse("webinars:registration_create", args=[webinar.pk])
    answers = [client.post(url, form_data(email=f"person{n}@port.example.mx")) for n in range(3)]
    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert Registration.objects.count() == 2


def test_the_form_rejects_a_bad_email_and_missing_consent(client: Client, webinar: Webinar) -> None:
    response = client.post(
        reverse("webinars:registration_create", args=[webinar.pk]), form_data(email="maria@", consent="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"email", "consent"}
    assert not Registration.objects.exists()


def test_a_full_webinar_waitlists_and_says_so(
    client: Client, webinar: Webinar, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    register(webinar, "a@x.example.org")
    register(webinar, "b@x.example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webinars:registration_create", args=[webinar.pk]), form_data(language="en"))
    assert Registration.objects.get(person__email="maria@port.example.mx").status == "waitlisted"
    assert "waitlist" in mail.outbox[0].body


def test_extra_questions_are_asked_and_stored(client: Client, webinar: Webinar) -> None:
    question = webinar.questions.create(label={"en": "Which port?"}, required=True)
    url = reverse("webinars:registration_create", args=[webinar.pk])
    assert client.post(url, form_data()).status_code == 200
    client.post(url, form_data(**{f"q_{question.pk}": "Manzanillo"}))
    assert Registration.objects.get().answers == {str(question.pk): "Manzanillo"}


def test_self_cancel_is_post_only_and_a_reused_or_forged_link_is_harmless(client: Client, webinar: Webinar) -> None:
    registration = register(webinar, "a@x.example.org").registration
    token = services.registration_token(registration)
    cancel = reverse("webinars:registration_cancel", args=[token])
    assert client.get(cancel).status_code == 405
    assert client.post(cancel).status_code == 302
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    reused = client.post(cancel, follow=True)
    assert "already cancelled" in reused.content.decode()
    forged = client.post(reverse("webinars:registration_cancel", args=[token[:-3] + "abc"]))
    assert forged.status_code == 404
    assert "does not work" in forged.content.decode()


def test_the_public_ics_has_no_join_link(client: Client, webinar: Webinar) -> None:
    response = client.get(reverse("webinars:webinar_ics", args=[webinar.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in response.content
    assert b"zoom.example.org" not in response.content


# --- Staff pages and personas --------------------------------------------------------------------


MANAGE_PAGES = [
    "manage_webinar",
    "manage_registrants",
    "manage_attendance",
    "attendance_import",
    "manage_survey",
]


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_staff_and_the_co_organising_partner_see_manage_pages(
    client: Client, webinar: Webinar, staff: User, partner: User, name: str
) -> None:
    for user in (staff, partner):
        client.force_login(user)
        assert client.get(reverse(f"webinars:{name}", args=[webinar.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["focal_point", "reviewer", "participant", "outsider"])
def test_other_personas_get_404_on_manage_pages(
    client: Client, webinar: Webinar, persona: str, request: pytest.FixtureRequest
) -> None:
    client.force_login(request.getfixturevalue(persona))
    for name in MANAGE_PAGES:
        assert client.get(reverse(f"webinars:{name}", args=[webinar.pk])).status_code == 404
    assert client.get(reverse("webinars:manage_webinars")).status_code == 404


def test_a_partner_of_another_institution_gets_404(
    client: Client, partner: User, other_institution: Institution
) -> None:
    theirs = make_webinar(partners=[other_institution])
    client.force_login(partner)
    assert client.get(reverse("webinars:manage_webinar", args=[theirs.pk])).status_code == 404
    assert theirs not in client.get(reverse("webinars:manage_webinars")).context["webinars"]


def test_anonymous_is_sent_to_log_in(client: Client, webinar: Webinar) -> None:
    response = client.get(reverse("webinars:manage_webinar", args=[webinar.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_for_user_scopes(webinar: Webinar, staff: User, partner: User, participant: User, outsider: User) -> None:
    register(webinar, participant.email)
    assert list(Webinar.objects.for_user(staff)) == [webinar]
    assert list(Webinar.objects.for_user(partner)) == [webinar]
    assert list(Webinar.objects.for_user(participant)) == [webinar]
    assert not Webinar.objects.for_user(outsider).exists()
    assert Registration.objects.for_user(participant).count() == 1
    assert not Registration.objects.for_user(outsider).exists()


def test_partners_cannot_change_the_status_or_edit(client: Client, webinar: Webinar, partner: User) -> None:
    client.force_login(partner)
    assert client.get(reverse("webinars:webinar_edit", args=[webinar.pk])).status_code == 404
    assert client.get(reverse("webinars:webinar_create")).status_code == 404
    response = client.post(reverse("webinars:webinar_status", args=[webinar.pk]), {"action": "cancel"})
    assert response.status_code == 404
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.PUBLISHED


def test_staff_create_and_publish_a_webinar(client: Client, staff: User, partner_institution: Institution) -> None:
    client.force_login(staff)
    data = {
        "title_0": "Cruise ports after the pandemic",
        "title_1": "",
        "title_2": "",
        "title_3": "",
        "description_0": "",
        "description_1": "",
        "description_2": "",
        "description_3": "",
        "language": "en",
        "interpretation_languages": ["es"],
        "starts_at": "2030-05-04T14:00",
        "ends_at": "2030-05-04T15:30",
        "capacity": "300",
        "platform": "zoom",
        "join_url": "https://zoom.example.org/j/1",
        "attended_rule": "minutes",
        "attended_threshold": "45",
        "partners": [partner_institution.pk],
        "speakers-TOTAL_FORMS": "2",
        "speakers-INITIAL_FORMS": "0",
        "speakers-0-name": "Ana Ruiz",
        "speakers-0-role": "moderator",
        "speakers-0-institution": "Valenciaport",
        "speakers-0-country_code": "es",
        "speakers-1-role": "speaker",
        "questions-TOTAL_FORMS": "1",
        "questions-INITIAL_FORMS": "0",
        "questions-0-label_0": "Your port?",
        "questions-0-label_1": "",
        "questions-0-label_2": "",
        "questions-0-label_3": "",
    }
    response = client.post(reverse("webinars:webinar_create"), data)
    webinar = Webinar.objects.get()
    assert response["Location"] == webinar.get_manage_url()
    assert webinar.speakers.get().country_code == "ES"
    assert webinar.questions.get().label == {"en": "Your port?"}
    assert webinar.interpretation_languages == ["es"]
    client.post(reverse("webinars:webinar_status", args=[webinar.pk]), {"action": "publish"})
    webinar.refresh_from_db()
    assert webinar.status == Webinar.Status.PUBLISHED


def test_registrants_filter_and_export(client: Client, webinar: Webinar, staff: User) -> None:
    register(webinar, "a@x.example.org", first="Ana")
    register(webinar, "b@x.example.org", first="Beto", member_state=MemberState.objects.get(code="MX"))
    register(webinar, "c@x.example.org", first="=HYPERLINK(1)")
    client.force_login(staff)
    url = reverse("webinars:manage_registrants", args=[webinar.pk])
    assert client.get(url, {"status": "waitlisted"}).context["total"] == 1
    assert client.get(url, {"member_state": "MX"}).context["total"] == 1
    csv_text = client.get(url, {"q": "beto", "format": "csv"}).getvalue().decode("utf-8-sig")
    assert "Beto" in csv_text
    assert "Ana" not in csv_text
    book = load_workbook(io.BytesIO(client.get(url, {"format": "xlsx"}).getvalue()))
    assert book.active.max_row == 4
    assert "'=HYPERLINK(1)" in client.get(url, {"format": "csv"}).getvalue().decode("utf-8-sig")


def test_registrant_exports_carry_no_live_formula(client: Client, webinar: Webinar, staff: User) -> None:
    from faro.lib.tests.test_formulas import HOSTILE, formula_problems_csv, formula_problems_xlsx

    question = webinar.questions.create(label={"en": "=Which port?"}, required=False)
    webinar.capacity = len(HOSTILE)
    webinar.save()
    for index, value in enumerate(HOSTILE):
        register(
            webinar,
            f"r{index}@x.example.org",
            first=value,
            last=value,
            position=value,
            answers={str(question.pk): value},
        )
    client.force_login(staff)
    url = reverse("webinars:manage_registrants", args=[webinar.pk])
    assert formula_problems_csv(client.get(url, {"format": "csv"}).getvalue().decode("utf-8")) == []
    assert formula_problems_xlsx(client.get(url, {"format": "xlsx"}).getvalue()) == []


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_registrant_exports_stream(client: Client, webinar: Webinar, staff: Any, kind: str) -> None:
    """Neither export is built in memory as one string: both responses stream, in pieces."""
    webinar.capacity = 1200
    webinar.save()
    country = MemberState.objects.get(code="MX")
    people = Person.objects.bulk_create(
        Person(first_name="Ana", last_name=f"Número {n}", email=f"ana{n}@x.example.org", member_state=country)
        for n in range(1200)
    )
    Registration.objects.bulk_create(
        Registration(webinar=webinar, person=p, status="confirmed", consented_at=webinar.starts_at) for p in people
    )
    client.force_login(staff)
    response = client.get(reverse("webinars:manage_registrants", args=[webinar.pk]), {"format": kind})
    assert isinstance(response, StreamingHttpResponse)
    chunks = list(response.streaming_content)
    assert len(chunks) > 1
    assert f'filename="webinar-{webinar.pk}-registrants.{kind}"' in response["Content-Disposition"]
    content = b"".join(chunks)
    if kind == "csv":
        lines = content.decode("utf-8-sig").splitlines()
        assert len(lines) == 1201
        assert lines[-1].startswith("Ana,Número ")
    else:
        sheet = load_workbook(io.BytesIO(content)).active
        assert sheet.max_row == 1201
        assert {sheet.cell(row=r, column=1).value for r in range(2, 1202)} == {"Ana"}


def test_registrants_paginate_and_keep_the_filters(
    client: Client, webinar: Webinar, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("faro.core.pagination.PER_PAGE", 1)
    register(webinar, "a@x.example.org", first="Ana")
    register(webinar, "b@x.example.org", first="Beto")
    client.force_login(staff)
    url = reverse("webinars:manage_registrants", args=[webinar.pk])
    first = client.get(url, {"status": "confirmed"})
    assert first.context["total"] == 2
    assert len(first.context["registrations"]) == 1
    assert 'href="?status=confirmed&amp;page=2"' in first.content.decode()
    assert len(client.get(url, {"status": "confirmed", "page": "2"}).context["registrations"]) == 1


def test_staff_upload_preview_and_apply_an_attendance_file(
    client: Client, webinar: Webinar, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(webinar, "ana@x.example.org")
    report = Report(rows=2, attendees=[Record("Ana", "ana@x.example.org", 80), Record("Zé", "ze@x.example.br", 70)])
    monkeypatch.setattr(attendance, "parse_report", lambda data, filename="": report)
    client.force_login(staff)
    upload = io.BytesIO(b"Attendee Report\n...")
    upload.name = "report.csv"
    response = client.post(reverse("webinars:attendance_import", args=[webinar.pk]), {"file": upload})
    preview = client.get(response["Location"])
    assert preview.context["counts"]["registered"] == 1
    assert not Attendance.objects.exists()
    applied = client.post(response["Location"], follow=True)
    assert "Zé" in applied.content.decode()
    assert Attendance.objects.count() == 2


def test_an_unknown_file_is_refused_with_a_clear_message(
    client: Client, webinar: Webinar, staff: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unknown(data: bytes, filename: str = "") -> Any:
        raise services.WebinarError("Expected a Zoom or Teams attendance report.")

    monkeypatch.setattr(attendance, "parse_report", unknown)
    client.force_login(staff)
    upload = io.BytesIO(b"\x00\x01garbage")
    upload.name = "x.csv"
    response = client.post(reverse("webinars:attendance_import", args=[webinar.pk]), {"file": upload})
    assert response.status_code == 200
    assert "Expected a Zoom or Teams" in response.content.decode()


def test_survey_is_sent_to_attendees_answered_once_and_summarised(
    client: Client, staff: User, django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks
) -> None:
    past = timezone.now() - datetime.timedelta(days=1)
    webinar = make_webinar(starts_at=past, ends_at=past + datetime.timedelta(hours=1), status=Webinar.Status.HELD)
    ana = register_person("ana@x.example.org")
    brief = register_person("brief@x.example.org")
    Attendance.objects.create(webinar=webinar, person=ana, minutes=55)
    Attendance.objects.create(webinar=webinar, person=brief, minutes=5)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("webinars:manage_survey", args=[webinar.pk]))
        client.post(reverse("webinars:manage_survey", args=[webinar.pk]))
    [invitation] = mail.outbox
    assert invitation.to == ["ana@x.example.org"]
    link = next(line for line in invitation.body.splitlines() if "/webinars/survey/" in line)
    answers = {
        "overall": "5",
        "content": "4",
        "speakers": "5",
        "organisation": "3",
        "usefulness": "4",
        "comment": "Great",
    }
    client.logout()
    assert client.post(link.split("8000")[-1].strip(), answers).status_code == 200
    assert SurveyResponse.objects.get().overall == 5
    client.force_login(staff)
    page = client.get(reverse("webinars:manage_survey", args=[webinar.pk]))
    assert page.context["count"] == 1
    assert "Great" in page.content.decode()


def register_person(email: str) -> Any:
    from faro.directory.models import Person

    return Person.objects.create(first_name=email.split("@")[0], email=email)


def _submitted(html: str) -> dict[str, Any]:
    """What a browser submits for the page's form, untouched: inputs, checked boxes, textareas, selections."""
    from html.parser import HTMLParser

    data: dict[str, list[str]] = {}

    class Form(HTMLParser):
        textarea = select = None

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in {"submit", "file"}:
                if a.get("type") not in {"checkbox", "radio"} or "checked" in a:
                    data.setdefault(name, []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
            elif tag == "textarea" and name:
                self.textarea = name
                data.setdefault(name, []).append("")
            elif tag == "select" and name:
                self.select = name
            elif tag == "option" and self.select and "selected" in a:
                data.setdefault(self.select, []).append(a.get("value") or "")

        def handle_endtag(self, tag: str) -> None:
            if tag == "textarea":
                self.textarea = None
            elif tag == "select":
                self.select = None

        def handle_data(self, text: str) -> None:
            if self.textarea:
                data[self.textarea][-1] += text

    Form().feed(html)
    return {name: values if len(values) > 1 else values[0] for name, values in data.items()}


def test_saving_a_webinar_untouched_keeps_its_speakers_and_questions(
    client: Client, webinar: Webinar, staff: User
) -> None:
    from faro.webinars.models import Question, Speaker

    Speaker.objects.create(webinar=webinar, name="Ana Ruiz", role="moderator", institution="Valenciaport", order=0)
    question = Question.objects.create(webinar=webinar, label={"en": "Your port?"}, required=True, order=0)
    client.force_login(staff)
    url = reverse("webinars:webinar_edit", args=[webinar.pk])
    data = _submitted(client.get(url).text)
    data.pop("csrfmiddlewaretoken", None)
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    assert list(webinar.speakers.values_list("name", flat=True)) == ["Ana Ruiz"]
    assert list(webinar.questions.values_list("pk", flat=True)) == [question.pk]  # answers keep pointing at it
