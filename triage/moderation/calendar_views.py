"""The calendar page: who is silent now and what opens in the next 30 days, with countdowns."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from elections.calendar_view import calendar_ahead

from .views import moderator_required

CALENDAR_DAYS = 30


def countdown(until: datetime, now: datetime) -> str:
    """ "3 d 4 h", "5 h 12 min", "40 min": the server's rendering; countdown.js keeps it live."""
    seconds = max(0, int((until - now).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return f"{days} d {hours} h"
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


@require_GET
@moderator_required
def calendar_page(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    ahead = calendar_ahead(at=now, days=CALENDAR_DAYS)
    for row in ahead.silent_now:
        row.countdown = countdown(row.end, now)
    for row in ahead.windows_ahead:
        row.countdown = countdown(row.start, now)
    for row in ahead.periods:
        row.in_force = row.start <= now
        row.countdown = countdown(row.start, now)
        row.vote_countdown = countdown(row.election.first_day_start, now)
    flagged = {election.country_id for election in ahead.awaiting_confirmation}
    return render(
        request,
        "dashboard/calendar.html",
        {"ahead": ahead, "now": now, "flagged": flagged, "days": CALENDAR_DAYS},
    )
