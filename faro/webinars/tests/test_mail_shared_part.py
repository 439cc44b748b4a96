"""What every registrant's mail shares (the calendar part per language) is rendered once, not per mail."""

from typing import Any

import pytest
from django.core import mail
from django.utils import formats
from pytest_django.fixtures import DjangoAssertNumQueries

from faro.core import timefmt
from faro.lib import ics
from faro.webinars import emails, tasks
from faro.webinars.models import Webinar
from faro.webinars.tests.conftest import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    emails._calendar_part.cache_clear()
    calls: list[str] = []
    real = ics.calendar_bytes

    def counting(events: Any, **kwargs: Any) -> bytes:
        calls.append(events[0].title)
        return real(events, **kwargs)

    monkeypatch.setattr(emails, "calendar_bytes", counting)
    return calls


def test_registrants_in_one_language_share_one_rendered_calendar_part(webinar: Webinar, rendered: list[str]) -> None:
    webinar.capacity = 10
    webinar.save()
    registrations = [register(webinar, f"r{n}@port.example.br").registration for n in range(3)]
    for registration in registrations:
        emails.send_registration_mail(registration, "confirmed")
    assert len(mail.outbox) == 3
    assert len(rendered) == 1
    parts = {m.attachments[0][1] for m in mail.outbox}
    assert len(parts) == 1


def test_another_language_or_an_edited_webinar_gets_its_own(webinar: Webinar, rendered: list[str]) -> None:
    webinar.capacity = 10
    webinar.save()
    portuguese = register(webinar, "pt@port.example.br").registration
    spanish = register(webinar, "es@port.example.mx", language="es").registration
    emails.send_registration_mail(portuguese, "confirmed")
    emails.send_registration_mail(spanish, "confirmed")
    webinar.title = {"en": "Cruise terminals", "pt": "Terminais de cruzeiro", "es": "Terminales de cruceros"}
    webinar.save()
    portuguese.refresh_from_db()
    emails.send_registration_mail(portuguese, "confirmed")
    assert len(rendered) == 3
    assert "Terminais de cruzeiro" in mail.outbox[-1].attachments[0][1]


def test_a_confirmation_mail_reads_its_registration_in_one_query(
    webinar: Webinar, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    registration = register(webinar, "ana@port.example.br").registration  # no time zone: Brasília's, from BR
    with django_assert_num_queries(1):
        tasks.send_registration_mail(registration.pk, "confirmed")
    assert "America/Sao_Paulo" not in mail.outbox[0].body  # the zone as people say it, not its identifier
    assert "UTC" in mail.outbox[0].body


def test_registrants_of_one_webinar_in_one_zone_and_language_share_its_time_lines(
    webinar: Webinar, monkeypatch: pytest.MonkeyPatch
) -> None:
    webinar.capacity = 10
    webinar.save()
    timefmt._span.cache_clear()
    written: list[str] = []
    real = formats.date_format

    def counting(value: Any, format: str) -> str:
        written.append(format)
        return real(value, format)

    monkeypatch.setattr("faro.core.timefmt.date_format", counting)
    for n in range(3):
        emails.send_registration_mail(register(webinar, f"r{n}@port.example.br").registration, "confirmed")
    once = len(written)
    emails.send_registration_mail(register(webinar, "r9@port.example.br").registration, "confirmed")
    assert len(mail.outbox) == 4
    assert len(written) == once  # the fourth mail formatted no date: both lines came from the first
