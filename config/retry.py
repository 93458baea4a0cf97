"""How long to wait before trying again: one backoff formula and one Retry-After parser.

Django-free, so every layer uses the same arithmetic: media fetches, checks, detector vendors,
decision callbacks and outbound HTTP retries.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime


def backoff_seconds(
    attempt: int, *, first: float, cap: float, jitter: float = 0.0, rng: random.Random | None = None
) -> float:
    """Return the wait after failed try number `attempt` (1-based): first, 2·first, 4·first, … ≤ cap.

    `jitter` spreads each wait by ±that fraction (never above the cap), so the retries of one
    outage do not all come back in the same second.
    """
    base = min(first * 2 ** (max(attempt, 1) - 1), cap)
    if jitter:
        base *= (rng or random).uniform(1 - jitter, 1 + jitter)  # noqa: S311 - spreading load, not secrecy
    return min(base, cap)


def retry_after_seconds(value: str | None, *, now: datetime | None = None) -> float | None:
    """Parse an HTTP Retry-After header (delta-seconds or an HTTP date) into seconds from `now`.

    None when absent or unreadable; a date in the past is 0.
    """
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float()
        return float(value) if len(value) <= 9 else 1e9  # int() and float() balk at 4,301 digits
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
