"""The partner API's data. Its actors are the kit's (tests/kit/actors.py): dana holds a token with
every scope, erin one with only calendar:read (so she is refused everything else), frank has no
token, grace a revoked one.
"""

from datetime import timedelta

import pytest
from django.core.cache import cache

from tests.kit.silence import SK_OPENS, make_reported_case

IN_SILENCE = SK_OPENS + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _empty_calendar(empty_calendar):
    """Only the windows these tests create are in the calendar (tests/kit/silence.py)."""


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the rate limiter counts in the cache
    yield
    cache.clear()


@pytest.fixture
def held_case(slovak_election, active_policy, party_leader):
    """A Slovak deepfake decided in the silence window: removal hold + likely-AI label."""
    from triage.decisions.services import case_decide_by_policy

    case = make_reported_case("SK")
    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=IN_SILENCE)
    assert "removal_hold" in decision.action_types()
    return case
