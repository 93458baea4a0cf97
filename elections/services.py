"""Writes to the election calendar: create elections, save rules, recompute and adjust windows.

Windows are materialized whenever an election, one of its phases, its country's zones or the
country's rule changes: these services call election_windows_recompute explicitly, and the
post_save/post_delete handlers in elections/signals.py do it for every other save path (admin,
shell, imports). Inside `recompute_deferred()` the handlers hold off so that a service creating
an election with ten phases recomputes once, at the end.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction

from . import validation
from .models import (
    Country,
    Election,
    ElectionKind,
    ElectionPhase,
    ElectionRound,
    SilenceRule,
    SilenceWindow,
    WindowAdjustment,
    regions_key,
)
from .windows import WindowComputationError, election_derived_fields, election_window_specs

_deferred: ContextVar[bool] = ContextVar("elections_recompute_deferred", default=False)


@contextmanager
def recompute_deferred() -> Iterator[None]:
    """Hold off the signal-driven recomputation; the caller recomputes explicitly at the end."""
    token = _deferred.set(True)
    try:
        yield
    finally:
        _deferred.reset(token)


def recompute_is_deferred() -> bool:
    return _deferred.get()


def sync_election_windows(election: Any) -> list[Any]:
    """Materialize `election`'s windows through its relations only (so historical models work too).

    Windows keep their identity (phase, time zone): an existing one is updated in place, which
    keeps its id and its WindowAdjustment history, and an operator's adjustment carries over as
    the same shift from the computed end. Windows whose identity is gone are deleted (their
    adjustment records stay, detached, with the window's label); new ones are created.
    Raise WindowComputationError if the rule gives a window that ends before it starts.
    """
    country = election.country
    try:
        rule = country.silence_rule
    except ObjectDoesNotExist:
        rule = None  # a country without a silence period (the US): no windows
    phases = list(election.phases.all())
    specs = election_window_specs(
        rule=rule, election=election, country_zones=country.time_zones, phases=phases
    )
    phase_ids = {phase.number: phase.pk for phase in phases}
    existing = {(window.phase_id, window.time_zone): window for window in election.windows.all()}
    kept = []
    for spec in specs:
        phase_id = phase_ids.get(spec.phase_number) if spec.phase_number is not None else None
        window = existing.pop((phase_id, spec.time_zone), None)
        fields = {
            "country_id": country.pk,
            "regions": list(spec.regions),
            "regions_key": regions_key(spec.regions),
            "scope": rule.scope,
            "covers_online": rule.covers_online,
            "computed_start": spec.start_utc,
            "computed_end": spec.end_utc,
            "start": spec.start_utc,
        }
        if window is None:
            window = election.windows.create(
                phase_id=phase_id, time_zone=spec.time_zone, end=spec.end_utc, **fields
            )
        else:
            shift = window.end - window.computed_end
            end = spec.end_utc + shift
            # An adjustment that no longer fits the recomputed window is dropped from the
            # window in force (its record stays in WindowAdjustment).
            fields["end"] = end if end > spec.start_utc else spec.end_utc
            for name, value in fields.items():
                setattr(window, name, value)
            window.save()
        kept.append(window)
    for window in existing.values():
        window.delete()
    # The election period runs until the later of voting's end and the last window's end.
    period_end = max([election.period_end, *(window.end for window in kept)]) if election.period_end else None
    if period_end and period_end != election.period_end:
        type(election).objects.filter(pk=election.pk).update(period_end=period_end)
        election.period_end = period_end
    return kept


@transaction.atomic
def election_windows_recompute(*, election: Election) -> list[SilenceWindow]:
    """Recompute `election`'s silence windows from its country's rule; return them.

    Raise ValidationError when the rule and the election give a window that ends before it starts.
    """
    election = Election.objects.select_related("country").get(pk=election.pk)
    # Voting's end may have changed with the election; start again from it, then add the windows.
    Election.objects.filter(pk=election.pk).update(period_end=_voting_end(election))
    election.period_end = _voting_end(election)
    try:
        return sync_election_windows(election)
    except WindowComputationError as exc:
        raise ValidationError({"voting_days": [f"No usable silence window: {exc}."]}) from exc


def _voting_end(election: Election) -> datetime:

    return election_derived_fields(election=election, country_zones=election.country.time_zones)["period_end"]


def country_windows_recompute(*, country: Country) -> int:
    """Recompute the windows of every election of `country`; return how many elections."""
    elections = list(Election.objects.filter(country=country))
    for election in elections:
        election_windows_recompute(election=election)
    return len(elections)


def _raise_if(errors: validation.Errors) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def election_create(
    *,
    country: str,
    name: str,
    kind: str,
    round: str = ElectionRound.FIRST,  # noqa: A002 - the domain's word, as the issue names it
    voting_days: Sequence[date | str],
    polls_open: time,
    polls_close: time,
    region: str = "",
    constituencies: Sequence[str] | None = None,
    polls_time_zone: str = "",
    time_zones: Sequence[str] | None = None,
    source_urls: Sequence[str] | None = None,
    notes: str = "",
    phases: Sequence[dict] | None = None,
    polls_close_next_day: bool = False,
) -> Election:
    """Validate and create an election (with its phases) and materialize its windows.

    `phases` are dicts {"number", "voting_days", "regions", optional "constituencies"}.
    Raise ValidationError with field-keyed messages on bad input, creating nothing.
    """
    errors: validation.Errors = {}
    country_obj = Country.objects.filter(pk=(country or "").upper()).first()
    if country_obj is None:
        validation.add_error(errors, "country", f"Unknown country {country!r}: add it to the calendar first.")
    if not (name or "").strip():
        validation.add_error(errors, "name", "Enter the election's name.")
    if kind not in ElectionKind.values:
        validation.add_error(errors, "kind", f"Unknown kind {kind!r}.")
    if round not in ElectionRound.values:
        validation.add_error(errors, "round", f"Unknown round {round!r}: first, runoff or repeat.")
    phases = list(phases or [])
    for field, messages in validation.election_errors(
        country_code=country_obj.pk if country_obj else None,
        region=region,
        constituencies=list(constituencies or []),
        voting_days=list(voting_days),
        polls_open=polls_open,
        polls_close=polls_close,
        polls_close_next_day=polls_close_next_day,
        polls_time_zone=polls_time_zone,
        time_zones=list(time_zones or []),
        phases=phases,
    ).items():
        errors.setdefault(field, []).extend(messages)
    _raise_if(errors)

    election = Election(
        country=country_obj,
        name=name.strip(),
        kind=kind,
        round=round,
        region=region,
        constituencies=list(constituencies or []),
        voting_days=validation.days_to_json(voting_days),
        polls_open=polls_open,
        polls_close=polls_close,
        polls_close_next_day=polls_close_next_day,
        polls_time_zone=polls_time_zone,
        time_zones=list(time_zones or []),
        source_urls=list(source_urls or []),
        notes=notes,
    )
    # Field checks plus the overlap with other rounds (Election.clean), as the admin runs them.
    election.full_clean(exclude=["first_voting_day", "last_voting_day"])
    with recompute_deferred():
        election.save()
        for phase in phases:
            ElectionPhase.objects.create(
                election=election,
                number=phase["number"],
                voting_days=validation.days_to_json(phase["voting_days"]),
                regions=list(phase.get("regions") or []),
                constituencies=list(phase.get("constituencies") or []),
            )
    election_windows_recompute(election=election)
    return election


@transaction.atomic
def silence_rule_save(*, country: str, **fields: Any) -> SilenceRule:
    """Create or update `country`'s silence rule, validate it and recompute the country's windows.

    Fields not given keep their current (or default) values. Raise ValidationError with
    field-keyed messages, saving nothing, when the rule is incomplete or inconsistent.
    """
    unknown = sorted(set(fields) - set(validation.RULE_FIELDS))
    if unknown:
        raise ValidationError({name: ["Not a silence-rule field."] for name in unknown})
    country_obj = Country.objects.filter(pk=(country or "").upper()).first()
    if country_obj is None:
        raise ValidationError({"country": [f"Unknown country {country!r}."]})
    rule = SilenceRule.objects.select_for_update().filter(country=country_obj).first() or SilenceRule(
        country=country_obj
    )
    for name, value in fields.items():
        setattr(rule, name, value)
    rule.full_clean()
    with recompute_deferred():
        rule.save()
    country_windows_recompute(country=country_obj)
    return rule


@transaction.atomic
def silence_rule_delete(*, country: str) -> None:
    """Remove `country`'s silence rule (the country then has none) and drop its windows."""
    with recompute_deferred():
        SilenceRule.objects.filter(country_id=country).delete()
    country_obj = Country.objects.get(pk=country)
    country_windows_recompute(country=country_obj)


@transaction.atomic
def window_adjust(*, window: SilenceWindow, new_end: datetime, reason: str, user=None) -> WindowAdjustment:
    """Extend or shorten a window's end, with a reason; record the change in WindowAdjustment.

    Voting extended at one polling station extended Slovakia's 2023 silence by 40 minutes:
    `window_adjust(window=w, new_end=w.end + timedelta(minutes=40), reason="...")`.
    """
    errors: validation.Errors = {}
    reason = (reason or "").strip()
    if not reason:
        validation.add_error(
            errors, "reason", "Give the reason for the change (it is kept in the audit trail)."
        )
    if not isinstance(new_end, datetime) or new_end.tzinfo is None:
        validation.add_error(errors, "new_end", "Enter the new end as a date and time with its time zone.")
    _raise_if(errors)
    window = SilenceWindow.objects.select_for_update().get(pk=window.pk)
    if new_end <= window.start:
        validation.add_error(
            errors,
            "new_end",
            f"The new end must be after the window's start ({window.start:%Y-%m-%d %H:%M} UTC).",
        )
    elif new_end == window.end:
        validation.add_error(errors, "new_end", "The window already ends then.")
    _raise_if(errors)
    adjustment = WindowAdjustment.objects.create(
        window=window,
        window_label=f"{window.election.name} [{window.time_zone}]"[:300],
        previous_end=window.end,
        new_end=new_end,
        reason=reason,
        made_by=user if user is not None and getattr(user, "is_authenticated", False) else None,
    )
    SilenceWindow.objects.filter(pk=window.pk).update(end=new_end)
    election = window.election
    latest = max(SilenceWindow.objects.filter(election=election).values_list("end", flat=True))
    voting_end = _voting_end(election)
    Election.objects.filter(pk=election.pk).update(period_end=max(latest, voting_end))
    return adjustment
