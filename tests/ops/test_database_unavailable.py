"""A database connection error is the service being briefly unavailable: 503 with Retry-After.

The whole story (PostgreSQL restarting under webhook load) is tests/faults/test_postgres_restart.py;
this pins the answer itself, and that other errors are left alone (a bug must stay a 500).
"""

from __future__ import annotations

import json

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import RequestFactory

from config.middleware import DatabaseUnavailableMiddleware


@pytest.fixture
def middleware():
    return DatabaseUnavailableMiddleware(lambda request: None)


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("connection failed: server closed the connection"),
        InterfaceError("connection already closed"),
    ],
)
def test_a_lost_database_answers_503_with_retry_after(middleware, error):
    response = middleware.process_exception(RequestFactory().post("/webhooks/videoshare/"), error)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert json.loads(response.content) == {"detail": "The database is unavailable; try again shortly."}


def test_other_database_errors_are_not_hidden(middleware):
    assert middleware.process_exception(RequestFactory().get("/"), IntegrityError("duplicate key")) is None
    assert middleware.process_exception(RequestFactory().get("/"), ValueError("a bug")) is None
