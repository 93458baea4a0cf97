"""The one clock the time-driven parts read (window transitions), so tests can move it.

`settings.CLOCK_NOW` (a timezone-aware datetime or an ISO 8601 string) pins "now"; it is a
test-only setting and unset in every deployment, where `now()` is `django.utils.timezone.now()`.
Work that leaves the process (Celery tasks) carries the instant it was scheduled for as an
argument instead of re-reading the clock, so a worker never needs the override.
"""

from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime


def now() -> datetime:
    """Return the current instant, or the instant `settings.CLOCK_NOW` pins (tests)."""
    override = getattr(settings, "CLOCK_NOW", None)
    if not override:
        return timezone.now()
    if isinstance(override, datetime):
        moment = override
    else:
        parsed = parse_datetime(str(override))
        if parsed is None:
            raise ValueError(f"settings.CLOCK_NOW is not an ISO 8601 datetime: {override!r}")
        moment = parsed
    if timezone.is_naive(moment):
        raise ValueError("settings.CLOCK_NOW must carry a time zone")
    return moment
