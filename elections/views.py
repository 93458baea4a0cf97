"""The calendar's iCalendar feeds.

The feeds are public and read-only by default: calendar clients (Google Calendar, Outlook,
Thunderbird) subscribe by URL and cannot log in, and the feeds carry only public facts
(elections, polling hours, the silence windows the law derives from them), never Person data.
An operator who does not want to publish them sets CALENDAR_FEEDS_PUBLIC=0: they then need a
logged-in staff user.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseForbidden
from django.views.decorators.http import require_GET

from .ical import calendar_build, calendar_description
from .models import Country, Election, SilenceWindow, WindowAdjustment

# How far back a feed reaches by default: enough for last year's elections, small enough to sync.
DEFAULT_LOOKBACK = dt.timedelta(days=365)


def _since(request: HttpRequest) -> dt.date | HttpResponse:
    raw = request.GET.get("since")
    if raw is None:
        return dt.datetime.now(dt.UTC).date() - DEFAULT_LOOKBACK
    try:
        if len(raw) != 10:
            raise ValueError
        return dt.date.fromisoformat(raw)
    except ValueError:
        return HttpResponseBadRequest(
            f"since: {raw[:40]!r} is not a date YYYY-MM-DD\n", content_type="text/plain; charset=utf-8"
        )


def _feed(request: HttpRequest, country: Country | None, filename: str) -> HttpResponse:
    if not settings.CALENDAR_FEEDS_PUBLIC and not (request.user.is_authenticated and request.user.is_staff):
        return HttpResponseForbidden("The calendar feeds are not public here.\n", content_type="text/plain")
    since = _since(request)
    if isinstance(since, HttpResponse):
        return since
    elections = (
        Election.objects.filter(last_voting_day__gte=since)
        .select_related("country__silence_rule")
        .prefetch_related("phases")
    )
    windows = SilenceWindow.objects.filter(
        end__gte=dt.datetime.combine(since, dt.time(0), tzinfo=dt.UTC)
    ).select_related("election", "phase", "country__silence_rule")
    windows = windows.prefetch_related(
        Prefetch("adjustments", queryset=WindowAdjustment.objects.order_by("made_at"))
    )
    if country is not None:
        elections = elections.filter(country=country)
        windows = windows.filter(country=country)
    title = f"Moratorium: {country.name} elections" if country else "Moratorium: all elections"
    body = calendar_build(
        title=title,
        description=calendar_description(country),
        elections=elections.order_by("first_voting_day", "pk"),
        windows=windows.order_by("start", "pk"),
        stamp=dt.datetime.now(dt.UTC).replace(microsecond=0),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def calendar_country(request: HttpRequest, code: str) -> HttpResponse:
    """One country's elections and silence windows, from `since` (default: a year ago) on."""
    country = Country.objects.select_related("silence_rule").filter(code=code.upper()).first()
    if country is None:
        raise Http404("No such country in the calendar.")
    return _feed(request, country, f"{country.code}.ics")


@require_GET
def calendar_all(request: HttpRequest) -> HttpResponse:
    """Every country's elections and silence windows, from `since` (default: a year ago) on."""
    return _feed(request, None, "all.ics")
