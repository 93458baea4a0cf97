"""The partner API's actors and data.

alice holds a token with every scope; bob holds a token with only calendar:read (so he is
refused everything else); charlie has no token, or one that was revoked.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.transitions.conftest import (  # noqa: F401 - fixtures shared with the transition tests
    SK_OPENS,
    _empty_calendar,
    active_policy,
    make_case,
    make_reported_case,
    party_leader,
    slovak_election,
)
from triage.partners.models import Scope
from triage.partners.services import partner_organisation_save, partner_token_create, partner_token_revoke

IN_SILENCE = SK_OPENS + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the rate limiter counts in the cache
    yield
    cache.clear()


def client_with(raw: str | None) -> APIClient:
    client = APIClient()
    if raw:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def alice_partner(db):
    """Alice's organisation covers Slovakia and Czechia."""
    return partner_organisation_save(name="Alice Fact Check", countries=["SK", "CZ"])


@pytest.fixture
def alice(alice_partner) -> APIClient:
    _, raw = partner_token_create(name="Alice Fact Check", scopes=list(Scope.values), partner=alice_partner)
    return client_with(raw)


@pytest.fixture
def bob(db) -> APIClient:
    _, raw = partner_token_create(name="Bob's Newsroom", scopes=[Scope.CALENDAR_READ])
    return client_with(raw)


@pytest.fixture
def charlie(db) -> APIClient:
    return client_with(None)


@pytest.fixture
def charlie_revoked(db) -> APIClient:
    token, raw = partner_token_create(name="Charlie Former Partner", scopes=list(Scope.values))
    partner_token_revoke(token=token)
    return client_with(raw)


@pytest.fixture
def held_case(slovak_election, active_policy, party_leader):  # noqa: F811 - fixtures, by name
    """A Slovak deepfake decided in the silence window: removal hold + likely-AI label."""
    from triage.policy.services import case_decide_by_policy

    case = make_reported_case("SK")
    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=IN_SILENCE)
    assert "removal_hold" in decision.action_types()
    return case
