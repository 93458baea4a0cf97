"""The partner API's data. Its actors are the kit's (tests/kit/actors.py): dana holds a token with
every scope, erin one with only calendar:read (so she is refused everything else), frank has no
token, grace a revoked one.
"""

import pytest
from django.core.cache import cache

from tests.kit.silence import IN_SILENCE  # noqa: F401 - the API tests' instant


@pytest.fixture(autouse=True)
def _empty_calendar(empty_calendar):
    """Only the windows these tests create are in the calendar (tests/kit/silence.py)."""


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the rate limiter counts in the cache
    yield
    cache.clear()
