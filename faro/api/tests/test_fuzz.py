"""Schemathesis: generated requests against every documented endpoint, as staff and anonymous.

No response may be a 5xx, and every response must conform to the OpenAPI schema.
"""

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from faro.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


@pytest.fixture
def staff_headers(staff: Any) -> dict[str, str]:
    from faro.api.services import create_api_token

    _token, plain = create_api_token(staff, acting_user=staff, name="fuzz", scope="write", expires_at=None)
    return {"Authorization": f"Bearer {plain}"}


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_the_api_never_fails_and_keeps_its_schema(case: Any, staff_headers: dict[str, str]) -> None:
    case.call_and_validate(headers=staff_headers)
    case.call_and_validate()
