"""The one backoff formula and Retry-After parser every retrying part uses."""

import random
from datetime import UTC, datetime

from config.retry import backoff_seconds, retry_after_seconds

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


def test_backoff_doubles_from_the_first_wait_up_to_the_cap():
    assert [backoff_seconds(n, first=5, cap=60) for n in range(1, 7)] == [5, 10, 20, 40, 60, 60]


def test_attempt_zero_waits_as_long_as_the_first_retry():
    assert backoff_seconds(0, first=5, cap=60) == 5


def test_jitter_spreads_waits_but_never_above_the_cap():
    rng = random.Random(7)
    waits = [backoff_seconds(3, first=10, cap=45, jitter=0.2, rng=rng) for _ in range(200)]
    assert min(waits) >= 32 and max(waits) <= 45
    assert len(set(waits)) > 100


def test_retry_after_reads_seconds_and_http_dates():
    assert retry_after_seconds("120", now=NOW) == 120
    assert retry_after_seconds("Thu, 03 Dec 2026 12:01:30 GMT", now=NOW) == 90
    assert retry_after_seconds("Thu, 03 Dec 2026 11:00:00 GMT", now=NOW) == 0


def test_retry_after_that_cannot_be_read_is_none():
    for value in (None, "", "soon", "-5", "1e9", "Thu, 99 Foo 2026"):
        assert retry_after_seconds(value, now=NOW) is None
