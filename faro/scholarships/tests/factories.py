"""Builders for scholarship tests: an open call and complete applications."""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from faro.courses.models import Offering
from faro.directory.models import Person
from faro.scholarships import services
from faro.scholarships.models import Application, Call

PDF = b"%PDF-1.4\n% test\n"


def make_call(offerings: list[Offering], **fields: Any) -> Call:
    now = timezone.now()
    values = {
        "title": {"en": "Port scholarships", "es": "Becas portuarias"},
        "year": now.year,
        "required_documents": ["cv", "employer_letter", "id"],
        "requires_endorsement": True,
        "opens_at": now - datetime.timedelta(days=1),
        "closes_at": now + datetime.timedelta(days=10),
        "endorsement_deadline": now + datetime.timedelta(days=20),
        "results_on": (now + datetime.timedelta(days=30)).date(),
        "accept_by": now + datetime.timedelta(days=40),
        "start": (now + datetime.timedelta(days=50)).date(),
        "end": (now + datetime.timedelta(days=120)).date(),
        "country_cap": 1,
        "country_cap_total": 2,
        "status": Call.Status.OPEN,
        **fields,
    }
    return services.create_call(acting_user=None, offerings=offerings, **values)


def pdf(name: str = "cv.pdf") -> ContentFile[bytes]:
    return ContentFile(PDF, name=name)


def make_application(
    call: Call, person: Person, offerings: list[Offering], *, submit: bool = True, languages: list[str] | None = None
) -> Application:
    application = services.start_application(call, person, acting_user=None)
    services.save_application(
        application,
        acting_user=None,
        motivation="To learn.",
        offerings=offerings,
        spoken_languages=languages if languages is not None else ["es", "en"],
    )
    for kind in application.required_documents():
        services.attach_document(application, kind, pdf(f"{kind}.pdf"), acting_user=None)
    if submit:
        services.submit_application(application, acting_user=None)
    return application


def move_to(call: Call, status: str) -> Call:
    call.status = status
    call.save(update_fields=["status"])
    return call


def reviewed(application: Application, merit: float) -> Application:
    """Give the application the submitted reviews its call requires, all scoring `merit`."""
    from decimal import Decimal

    from faro.accounts.models import User
    from faro.scholarships.models import Review

    for n in range(application.call.reviews_per_application):
        reviewer, _ = User.objects.get_or_create(email=f"scorer{n}@reviews.example")
        Review.objects.get_or_create(
            application=application,
            reviewer=reviewer,
            defaults={"total": Decimal(merit), "submitted_at": timezone.now(), "scores": {}},
        )
    Application.objects.filter(pk=application.pk).update(merit=merit)
    application.refresh_from_db()
    return application
