"""The OpenAPI schema is a contract: schemathesis sends generated requests (valid and not) to every
partner operation of the live schema and checks each answer — never a 500, every answer's status,
content type and body as the schema says.

Bounded: a few examples per operation (each operation still gets its schema's explicit examples
and generated valid and invalid requests), no shrinking, and a per-test time limit, so it runs in CI
in seconds rather than hours. The app is called in-process (WSGI) on the test database, with a
token of every scope whose organisation sees the cases the fixtures make.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from integrations.partners.models import Scope
from integrations.partners.services import partner_token_create

# Five per operation (down from ten, to halve its share of the suite): every operation still meets
# valid and invalid input; the checks are about the answers' shape, which depends on the operation
# and the kind of input far more than on the values, and each example is a full WSGI round trip.
EXAMPLES_PER_OPERATION = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def in_test_transaction(app):
    """The WSGI app, minus closing the database connection per request (as Django's test client
    does): the test's transaction, and the data the fixtures made, must outlive each call."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    def call(environ, start_response):
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            return list(app(environ, start_response))
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)

    return call


@pytest.fixture
def api_schema(db, settings, held_case, dana_partner):
    from django.core.wsgi import get_wsgi_application

    settings.PARTNER_API_RATE = "100000/minute"  # the limiter has its own test
    return schemathesis.openapi.from_wsgi("/api/schema/", in_test_transaction(get_wsgi_application()))


@pytest.fixture
def bearer(dana_partner) -> dict:
    _, raw = partner_token_create(name="Schemathesis", scopes=list(Scope.values), partner=dana_partner)
    return {"Authorization": f"Bearer {raw}"}


@pytest.mark.timeout(180)
def test_every_partner_operation_answers_as_its_schema_says(api_schema, bearer):
    # Each operation is its own bounded Hypothesis run (schemathesis' pytest loader does not yet
    # run under pytest 9, so the operations are walked here); failures are collected, not fatal.
    failures = {}
    operations = [result.ok() for result in api_schema.include(path_regex=r"^/api/v1/").get_all_operations()]
    assert len(operations) >= 19

    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case):
            response = case.call(headers=bearer)
            case.validate_response(response, checks=CHECKS)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported together below
            failures[operation.label] = str(exc)[:3000]
    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
