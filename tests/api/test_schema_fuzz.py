"""Property-based checks of every API operation against our own OpenAPI document (schemathesis):
whatever the generated parameters, the API answers with a documented error format, never a 500."""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from ocop.accounts import services
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_api_never_fails_on_generated_input():
    token = services.create_token(make_user("fuzz.officer", "province_officer", "2025/19/"), name="fuzz")[1]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    checked = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def call(case):
            response = case.call(headers={"Authorization": f"Bearer {token}"})
            assert response.status_code < 500, (case.path, case.query, response.text[:500])
            if response.status_code >= 400:
                content_type = response.headers.get("content-type", [""])[0]
                assert content_type.startswith("application/json"), (
                    case.path,
                    response.status_code,
                    response.text,
                )
                body = response.json()
                assert "detail" in body and isinstance(body.get("errors", []), list), body

        call()
        checked.append(operation.label)
    assert len(checked) == len(operations)
