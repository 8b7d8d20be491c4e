"""Property-based checks of every API operation against our own OpenAPI document (schemathesis):
whatever the generated parameters, the API answers with a documented error format, never a 500."""

import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings

from ocop.accounts import services
from tests.factories import make_user

pytestmark = pytest.mark.django_db

# Deterministic in CI; `OCOP_FUZZ_RANDOM=1 OCOP_FUZZ_EXAMPLES=500 pytest tests/api/test_schema_fuzz.py`
# explores further.
FUZZ_RANDOM = os.environ.get("OCOP_FUZZ_RANDOM") == "1"
FUZZ_EXAMPLES = int(os.environ.get("OCOP_FUZZ_EXAMPLES", "30"))


@pytest.fixture
def keep_connection():
    """Requests made straight to the WSGI app would close the test's database connection when
    they finish (Django's test client prevents that the same way)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_api_never_fails_on_generated_input(keep_connection):
    token = services.create_token(make_user("fuzz.officer", "province_officer", "2025/19/"), name="fuzz")[1]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    checked = []

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=FUZZ_EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
            derandomize=not FUZZ_RANDOM,
        )
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
