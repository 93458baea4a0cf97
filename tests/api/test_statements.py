"""GET /api/v1/statements/: stored DSA statements of reasons as JSON or CSV."""

import csv
import io

import pytest

from integrations.transparency.services import statements_for_decision
from triage.decisions.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement(held_case):
    decision = Decision.objects.get(case=held_case, is_current=True)
    [stored] = statements_for_decision(decision_id=decision.pk)
    assert stored.valid, stored.errors
    return stored


def test_alice_exports_statements_as_json(dana, statement):
    body = dana.get("/api/v1/statements/").json()
    assert body["count"] == 1
    assert body["statements"] == [statement.statement]


def test_and_as_csv(dana, statement):
    response = dana.get("/api/v1/statements/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["X-Total-Count"] == "1"
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 1
    assert rows[0]["puid"] == statement.statement["puid"]


def test_filters_by_time_and_platform(dana, statement):
    assert dana.get("/api/v1/statements/?since=2999-01-01T00:00:00Z").json()["count"] == 0
    assert dana.get("/api/v1/statements/?platform=vidshare").json()["count"] == 1
    assert dana.get("/api/v1/statements/?platform=elsewhere").json()["count"] == 0


def test_bad_parameters_are_400s(dana):
    response = dana.get("/api/v1/statements/?since=now&until=2020-01-01T00:00:00Z")
    assert response.status_code == 400
    assert set(response.json()) == {"since"}
    response = dana.get("/api/v1/statements/?since=2021-01-01T00:00:00Z&until=2020-01-01T00:00:00Z")
    assert response.json() == {"until": ["Must be after since."]}
    assert dana.get("/api/v1/statements/?format=csv&since=bad").status_code == 400
