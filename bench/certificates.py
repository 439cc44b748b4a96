"""Benchmark: render one certificate PDF (target ≤ 100 ms median) and issue 3,000 (target ≤ 10 s).

    .venv/bin/python bench/certificates.py

Runs on a throw-away test database (migrated from scratch) with mail going to memory. The
bulk figure is the real path: eligibility query, batched inserts, one mail per holder.
PDFs are rendered lazily on first download, so issuing does not render them.
"""

import datetime
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "faro.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

PEOPLE = 3000


class BenchAdapter:
    """A stand-in webinar: the source is an Institution whose people all attended."""

    kind = "webinar_participation"

    def __init__(self) -> None:
        from faro.directory.models import Institution

        self.model = Institution

    def title(self, source: Any) -> Any:
        return {"en": "Port community systems", "es": "Sistemas de comunidad portuaria"}

    def achieved_on(self, source: Any) -> datetime.date:
        return datetime.date(2020, 10, 21)

    def partners(self, source: Any) -> list[Any]:
        return [source]

    def eligible(self, source: Any) -> Any:
        from faro.directory.models import Person

        return Person.objects.filter(institution=source)

    def is_held(self, source: Any) -> bool:
        return True

    def choices(self) -> Any:
        return self.model.objects.all()


def setup_data() -> tuple[Any, Any]:
    from faro.certificates import programme_adapters as sources
    from faro.certificates.models import CertificateTemplate
    from faro.core.fields import as_translated
    from faro.directory.models import Institution, MemberState, Person

    sources.ADAPTERS["webinar_participation"] = BenchAdapter()  # type: ignore[assignment]
    event = Institution.objects.create(
        name="Autoridad Portuaria Nacional", acronym="APN", kind="port_authority", country_code="PE"
    )
    states = list(MemberState.objects.all())
    languages = ["en", "es", "pt", "fr"]
    Person.objects.bulk_create(
        Person(
            first_name=f"María José {i}",
            last_name="Fernández Núñez",
            email=f"oficial{i}@puerto.example.org",
            member_state=states[i % len(states)],
            institution=event,
            preferred_language=languages[i % 4],
        )
        for i in range(PEOPLE)
    )
    template = CertificateTemplate.objects.create(
        name="Webinar",
        kind="webinar_participation",
        is_default=True,
        heading=as_translated({"en": "Certificate of participation", "es": "Constancia de participación"}),
        body=as_translated(
            {
                "en": "{name} took part in “{achievement}” on {date}.",
                "es": "{name} participó en «{achievement}» el {date}.",
            }
        ),
    )
    template.signatories.create(name="Jorge Durán", title={"en": "Executive Secretary, CIP"})
    return event, template


def bench_pdf(template: Any, event: Any) -> None:
    from faro.certificates.models import Certificate
    from faro.certificates.pdf import render_pdf

    certificate = Certificate.objects.select_related("holder", "template").first()
    assert certificate is not None
    certificate.holder_name = "María de los Ángeles Fernández-Castañeda y Sánchez-Villalobos"
    render_pdf(certificate, "es")  # warm up: font loading
    timings = []
    for _i in range(30):
        began = time.perf_counter()
        content = render_pdf(certificate, "es")
        timings.append(time.perf_counter() - began)
    median = statistics.median(timings) * 1000
    verdict = "OK" if median <= 100 else "OVER TARGET"
    p90 = sorted(timings)[26] * 1000
    print(
        f"one PDF: median {median:.1f} ms, p90 {p90:.1f} ms, {len(content) / 1024:.0f} KiB (target ≤ 100 ms) {verdict}"
    )


def bench_issue(event: Any, template: Any) -> None:
    from django.core import mail

    from faro.certificates.models import Certificate
    from faro.certificates.services import issue_eligible_certificates

    began = time.perf_counter()
    created = issue_eligible_certificates("webinar_participation", event, acting_user=None, template=template)
    elapsed = time.perf_counter() - began
    assert created == PEOPLE == Certificate.objects.count()
    verdict = "OK" if elapsed <= 10 else "OVER TARGET"
    print(f"issue {created:,} certificates (+ {len(mail.outbox):,} mails): {elapsed:.2f} s (target ≤ 10 s) {verdict}")
    began = time.perf_counter()
    again = issue_eligible_certificates("webinar_participation", event, acting_user=None, template=template)
    print(f"run again (idempotent, {again} new): {time.perf_counter() - began:.2f} s")


def main() -> None:
    with (
        tempfile.TemporaryDirectory() as media,
        override_settings(MEDIA_ROOT=media, EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
    ):
        old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            event, template = setup_data()
            bench_issue(event, template)
            bench_pdf(template, event)
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")


if __name__ == "__main__":
    main()
