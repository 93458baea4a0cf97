"""Confirming or moving an election's date, and finding the dates still waiting for it.

Seeded elections ahead are `expected` when the law says they are due but no authority has fixed
the day yet. When the electoral commission (or a decree) fixes it, an operator confirms the date
as it is, or moves the voting days to the announced ones: `election_date_confirm`, used by the
`confirm_election_date` command and the Elections admin action. The windows are recomputed by the
existing services, and `election_date_confirmed` is sent inside the transaction, so a receiver
(triage's audit log: triage/audit/receivers.py) writes its record in the same transaction: both
land or neither. This module never imports triage.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.dispatch import Signal
from django.utils import timezone

from . import validation
from .models import DateStatus, Election
from .services import election_windows_recompute, recompute_deferred

# Sent inside the confirming transaction with: election, previous_days (ISO strings), voting_days,
# moved (bool), reason, source_url, user (a User or None), at (the instant).
election_date_confirmed = Signal()

# How far ahead an unconfirmed expected date counts as stale (issue 15: 60 days).
STALE_WITHIN_DAYS = 60


@dataclass(frozen=True)
class DateConfirmation:
    election: Election
    previous_days: list[str]
    moved: bool
    windows: int


def _raise_if(errors: validation.Errors) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def election_date_confirm(
    *,
    election: Election,
    reason: str,
    voting_days: list[date | str] | None = None,
    source_url: str = "",
    user: Any = None,
) -> DateConfirmation:
    """Mark `election`'s date confirmed, or move it to `voting_days` and confirm it; recompute.

    Raise ValidationError (field-keyed) and change nothing on: no reason, a source that is not an
    http(s) URL, bad or overlapping voting days, or moving a phased election (its phases carry
    their own days: move them in the admin).
    """
    errors: validation.Errors = {}
    reason = (reason or "").strip()
    source_url = (source_url or "").strip()
    if not reason:
        validation.add_error(
            errors, "reason", "Say who fixed the date and how you know (it is kept in the audit log)."
        )
    if source_url and not source_url.startswith(("http://", "https://")):
        validation.add_error(errors, "source_url", "Enter an http(s) URL of the announcement.")
    _raise_if(errors)
    election = Election.objects.select_for_update().select_related("country").get(pk=election.pk)
    previous = list(election.voting_days)
    new_days = previous
    if voting_days:
        errors.update(validation.voting_day_errors("voting_days", list(voting_days)))
        _raise_if(errors)
        new_days = validation.days_to_json(voting_days)
    moved = new_days != previous
    if moved and election.phases.exists():
        validation.add_error(
            errors, "voting_days", "This election votes in phases: move each phase's days in the admin."
        )
    if moved:
        for field, messages in validation.election_errors(
            country_code=election.country_id,
            region=election.region,
            constituencies=election.constituencies,
            voting_days=new_days,
            polls_open=election.polls_open,
            polls_close=election.polls_close,
            polls_close_next_day=election.polls_close_next_day,
            polls_time_zone=election.polls_time_zone,
            time_zones=election.time_zones,
        ).items():
            errors.setdefault(field, []).extend(messages)
        others = validation.overlapping_elections(
            Election.objects.all(),
            country_code=election.country_id,
            kind=election.kind,
            region=election.region,
            constituencies=election.constituencies,
            voting_days=new_days,
            exclude_pk=election.pk,
        )
        if others:
            validation.add_error(errors, "voting_days", f"Overlaps {others[0].name} ({others[0].round}).")
    _raise_if(errors)

    at = timezone.now()
    election.voting_days = new_days
    election.status = DateStatus.SCHEDULED
    election.date_confirmed_at = at
    election.date_confirmed_by = getattr(user, "get_username", lambda: "")() if user is not None else ""
    if source_url and source_url not in election.source_urls:
        election.source_urls = [*election.source_urls, source_url]
    with recompute_deferred():
        election.save()
    windows = election_windows_recompute(election=election)
    election_date_confirmed.send(
        sender=Election,
        election=election,
        previous_days=previous,
        voting_days=new_days,
        moved=moved,
        reason=reason,
        source_url=source_url,
        user=user if getattr(user, "is_authenticated", False) else None,
        at=at,
    )
    return DateConfirmation(election=election, previous_days=previous, moved=moved, windows=len(windows))


def elections_awaiting_confirmation(*, at: datetime, within_days: int = STALE_WITHIN_DAYS) -> list[Election]:
    """Each country's next election, where it is still `expected` and votes within `within_days`.

    Stale data made visible: the calendar page flags these countries. One query (DISTINCT ON the
    country over the elections still ahead, the soonest first).
    """
    today = at.date()
    ahead = (
        Election.objects.filter(first_voting_day__gte=today)
        .select_related("country")
        .order_by("country_id", "first_voting_day", "pk")
    )
    if connection.features.can_distinct_on_fields:
        nexts = list(ahead.distinct("country_id"))
    else:
        # SQLite (the embedded first-look mode) has no DISTINCT ON: keep the first row per country.
        first: dict[str, Election] = {}
        for election in ahead:
            first.setdefault(election.country_id, election)
        nexts = list(first.values())
    horizon = today + timedelta(days=within_days)
    return [
        election
        for election in nexts
        if election.status == DateStatus.EXPECTED and election.first_voting_day <= horizon
    ]
