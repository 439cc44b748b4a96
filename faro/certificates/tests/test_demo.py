from typing import Any

import pytest

from faro.certificates import demo
from faro.certificates.models import Certificate, CertificateTemplate, Kind
from faro.directory.models import Institution

pytestmark = pytest.mark.django_db


def test_the_demo_issues_the_2020_certificates_through_the_bulk_path_idempotently(
    attendees: list[Any], event: Institution
) -> None:
    lines: list[str] = []
    demo.load(lines.append)
    assert Certificate.objects.filter(kind=Kind.WEBINAR).count() == 3
    assert CertificateTemplate.objects.filter(is_default=True).count() == 3
    assert all(not t.missing_languages() for t in CertificateTemplate.objects.all())
    demo.load(lines.append)
    assert Certificate.objects.count() == 3
    assert CertificateTemplate.objects.count() == 3
