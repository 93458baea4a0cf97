"""The partner API's actors (dana's organisation covers SK and CZ) and the loopback receiver."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_calendar(empty_calendar):
    """Only the windows these tests create are in the calendar (tests/kit/silence.py)."""


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()  # the partner API's rate limiter counts in the cache
    yield
    cache.clear()
