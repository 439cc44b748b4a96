"""A stand-in programme for the certificate tests: an 'event' is an Institution, its people attend."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import models
from django.db.models import QuerySet

from conftest import make_person, make_user, person_of
from faro.accounts.models import User
from faro.certificates import programme_adapters as sources
from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.certificates.services import issue_certificate, save_template
from faro.core.fields import Translated
from faro.directory.models import Institution, Person


class EventAdapter:
    """Test-only adapter: the source is an Institution; its staff are the eligible people."""

    kind = Kind.WEBINAR.value
    model: type[models.Model] = Institution
    not_held: set[int] = set()

    def title(self, source: Any) -> Translated:
        return Translated({"en": f"Port security {source.name}", "es": f"Seguridad portuaria {source.name}"})

    def achieved_on(self, source: Any) -> datetime.date:
        return datetime.date(2020, 10, 15)

    def partners(self, source: Any) -> list[Any]:
        return [source]

    def eligible(self, source: Any) -> QuerySet[Person]:
        return Person.objects.filter(institution=source)

    def is_held(self, source: Any) -> bool:
        return source.pk not in self.not_held

    def choices(self) -> QuerySet[models.Model]:
        return Institution.objects.all()


@pytest.fixture
def adapter() -> Iterator[EventAdapter]:
    previous = sources.ADAPTERS.get(Kind.WEBINAR)
    adapter = EventAdapter()
    adapter.not_held = set()
    sources.ADAPTERS[Kind.WEBINAR] = adapter
    yield adapter
    if previous is None:
        sources.ADAPTERS.pop(Kind.WEBINAR, None)
    else:
        sources.ADAPTERS[Kind.WEBINAR] = previous


@pytest.fixture
def event(adapter: EventAdapter, db: None) -> Institution:
    return Institution.objects.create(
        name="Puerto de Cartagena", acronym="SPRC", kind="port_operator", country_code="CO"
    )


@pytest.fixture
def template(db: None) -> CertificateTemplate:
    template = CertificateTemplate(
        name="Webinar",
        kind=Kind.WEBINAR,
        is_default=True,
        heading={
            "en": "Certificate of participation",
            "es": "Constancia de participación",
            "pt": "Certificado de participação",
            "fr": "Attestation de participation",
        },
        body={
            "en": "{name} took part in “{achievement}” on {date}.",
            "es": "{name} participó en «{achievement}» el {date}.",
            "pt": "{name} participou de “{achievement}” em {date}.",
            "fr": "{name} a participé à « {achievement} » le {date}.",
        },
    )
    return save_template(template, acting_user=None)


@pytest.fixture
def attendees(event: Institution) -> list[Person]:
    return [
        make_person(
            "José", "Pérez Núñez", "CO", email="jose@sprc.example.co", institution=event, preferred_language="es"
        ),
        make_person("Anne", "Lefèvre", "HT", email="anne@port.example.ht", institution=event, preferred_language="fr"),
        make_person("Keith", "Adams", "JM", email="keith@port.example.jm", institution=event),
    ]


@pytest.fixture
def holder_user(participant: User, event: Institution) -> User:
    assert participant.person is not None
    person_of(participant).institution = event
    person_of(participant).save()
    return participant


@pytest.fixture
def certificate(holder_user: User, event: Institution, template: CertificateTemplate, staff: User) -> Certificate:
    assert holder_user.person is not None
    return issue_certificate(Kind.WEBINAR, event, person_of(holder_user), acting_user=staff, template=template)


__all__ = ["make_user"]
