"""Silence windows opening and closing: each transition recorded once, its cases re-evaluated in batches.

The beat (`elections.tasks.window_transitions_run`, every WINDOW_TRANSITION_BEAT_SECONDS) calls
`window_transitions_run()`. It finds transitions that are due on the clock (`config.clock.now()`,
which tests move) and not yet recorded, claims each by inserting its WindowTransition row (a
unique constraint on (window, kind, boundary): a second beat, or a restarted one, loses the
insert and does nothing), and commits with it the batches of case ids to re-evaluate. Each batch
is a Celery task enqueued on commit; a batch whose message was lost is re-enqueued by a later beat.

Ordering: a window's close is recorded only once its opening has been re-evaluated in full, so
after downtime a window that opened and closed meanwhile gets both, in order, on consecutive beats.

What counts as a case to re-evaluate (a trust-and-safety choice, see docs/transitions.md): every
live case (not merged into another) whose audience includes the window's country; for a window
limited to some regions (an Indian phase), the cases with one of those regions in their
audience, and the cases of that country whose regions are unknown (the cautious reading, the
same one `calendar_phase` makes). No case state is terminal: a decided case may need a hold
once silence starts, and the policy decides whether anything changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from config import clock
from config.leases import lease_expired_before, lease_heartbeat
from elections.models import SilenceWindow
from triage.audit.services import audit_record
from triage.decisions.services import cases_decide_in_batch
from triage.models import Case

from .models import (
    TransitionBatchState,
    TransitionKind,
    WindowTransition,
    WindowTransitionBatch,
)

TRIGGERS = {TransitionKind.OPENED: "window_opened", TransitionKind.CLOSED: "window_closed"}
# The batch task's hard time limit: a batch of 200 cases takes seconds; the heartbeat stops renewing
# a batch's claim past this, so a thread stuck beyond it lets the batch be taken over.
BATCH_TIME_LIMIT_SECONDS = 900


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _catchup_cutoff(now: datetime) -> datetime:
    # Transitions older than this are history, not missed work: a fresh install with a seeded
    # calendar must not re-evaluate every case for every window of past years.
    return now - timedelta(hours=_setting("WINDOW_TRANSITION_CATCHUP_HOURS", 168))


@dataclass(frozen=True)
class Due:
    """A transition due and not yet recorded. `window` is None for a window deleted while open."""

    window: SilenceWindow | None
    window_ref: int
    kind: str
    boundary_at: datetime
    country: str
    regions: list[str]
    label: str


def _due(window: SilenceWindow, kind: str, boundary_at: datetime) -> Due:
    return Due(
        window=window,
        window_ref=window.pk,
        kind=kind,
        boundary_at=boundary_at,
        country=window.country_id,
        regions=list(window.regions or []),
        label=f"{window.election.name} [{window.time_zone}]"[:300],
    )


def transitions_due(*, now: datetime) -> list[Due]:
    """Return the transitions due at `now` and not yet recorded, oldest first.

    Opened: the window has started (and did not end before the catch-up horizon) and no opening
    at its current start is recorded. Closed: the window has ended, no close at its current end
    is recorded, and the opening at its current start is recorded and fully re-evaluated. Also
    closed: a window deleted while open (its election or rule removed), once its opening is done.
    """
    cutoff = _catchup_cutoff(now)
    recorded = WindowTransition.objects.filter(window_ref=OuterRef("pk"))
    opened_now = recorded.filter(kind=TransitionKind.OPENED, boundary_at=OuterRef("start"))
    closed_now = recorded.filter(kind=TransitionKind.CLOSED, boundary_at=OuterRef("end"))
    windows = SilenceWindow.objects.select_related("election")
    opening = windows.filter(start__lte=now, end__gte=cutoff).exclude(Exists(opened_now))
    closing = (
        windows.filter(end__lte=now, end__gte=cutoff)
        .exclude(Exists(closed_now))
        .filter(Exists(opened_now.filter(finished_at__isnull=False)))
    )
    due = [_due(w, TransitionKind.OPENED, w.start) for w in opening]
    due += [_due(w, TransitionKind.CLOSED, w.end) for w in closing]
    # An opening whose window is gone and which nothing closed: the silence ended with the window.
    later_close = WindowTransition.objects.filter(
        window_ref=OuterRef("window_ref"),
        kind=TransitionKind.CLOSED,
        boundary_at__gte=OuterRef("boundary_at"),
    )
    orphans = WindowTransition.objects.filter(
        window__isnull=True, kind=TransitionKind.OPENED, finished_at__isnull=False
    ).exclude(Exists(later_close))
    due += [
        Due(
            window=None,
            window_ref=t.window_ref,
            kind=TransitionKind.CLOSED,
            boundary_at=t.boundary_at,
            country=t.country,
            regions=list(t.regions),
            label=t.window_label,
        )
        for t in orphans
        if t.window_ref  # 0: deleted before transitions kept their window's id
    ]
    return sorted(due, key=lambda d: (d.boundary_at, d.kind != TransitionKind.OPENED, d.window_ref))


def _audience_key_q(country: str) -> Q:
    # audience_key is the sorted country codes joined by commas ("DE,SK"): a token match that
    # works on PostgreSQL and on the embedded SQLite alike (SQLite has no JSON containment).
    return (
        Q(audience_key=country)
        | Q(audience_key__startswith=f"{country},")
        | Q(audience_key__endswith=f",{country}")
        | Q(audience_key__contains=f",{country},")
    )


def transition_case_ids(*, country: str, regions: list[str] | None = None) -> list[int]:
    """Return the ids of the live cases a transition of a window in `country` (`regions`) re-evaluates."""
    country = country.upper()
    live = Q(merged_into__isnull=True) & ~Q(status="merged")
    rows = (
        _case_model()
        .objects.filter(live, _audience_key_q(country))
        .order_by("pk")
        .values_list("pk", "audience_regions")
    )
    wanted = {r.upper() for r in regions or []}
    if not wanted:
        return [pk for pk, _ in rows]
    selected = []
    for pk, audience_regions in rows:
        own = {r.upper() for r in audience_regions or [] if str(r).upper().startswith(f"{country}-")}
        if not own or own & wanted:  # regions unknown: the cautious reading includes the case
            selected.append(pk)
    return selected


def _case_model():

    return Case


def _enqueue(batch_ids: list[int], at: datetime) -> None:
    # the tasks module imports this one
    from .tasks import transition_batch_run

    for batch_id in batch_ids:
        transition_batch_run.delay(batch_id, at.isoformat())


@transaction.atomic
def window_transition_record(*, due: Due, now: datetime) -> WindowTransition | None:
    """Claim one transition and commit its batches; return it, or None if another beat has it.

    The batches' tasks are enqueued on commit, carrying `now` as the instant to evaluate at.
    """
    try:
        with transaction.atomic():
            transition = WindowTransition.objects.create(
                window=due.window,
                window_ref=due.window_ref,
                kind=due.kind,
                boundary_at=due.boundary_at,
                country=due.country,
                regions=due.regions,
                window_label=due.label,
                recorded_at=now,
            )
    except IntegrityError:
        return None
    case_ids = transition_case_ids(country=due.country, regions=due.regions)
    size = max(1, _setting("WINDOW_TRANSITION_BATCH_SIZE", 200))
    enqueued_at = timezone.now()
    batches = WindowTransitionBatch.objects.bulk_create(
        [
            WindowTransitionBatch(
                transition=transition, case_ids=case_ids[i : i + size], enqueued_at=enqueued_at
            )
            for i in range(0, len(case_ids), size)
        ]
    )
    transition.cases_total = len(case_ids)
    if not batches:
        transition.finished_at = now
    transition.save(update_fields=["cases_total", "finished_at"])
    audit_record(
        action=f"window.{due.kind}",
        inputs={
            "window_id": due.window_ref,
            "window": due.label,
            "window_removed": due.window is None,
            "country": due.country,
            "regions": due.regions,
            "boundary_at": due.boundary_at,
            "clock": now,
        },
        outcome={"transition_id": transition.pk, "cases": len(case_ids), "batches": len(batches)},
    )
    batch_ids = [b.pk for b in batches]
    transaction.on_commit(lambda: _enqueue(batch_ids, now))
    return transition


def transition_batches_sweep(*, now: datetime) -> int:
    """Re-enqueue batches whose message was lost or whose worker died; return how many."""
    real_now = timezone.now()
    stale_pending = real_now - timedelta(seconds=_setting("WINDOW_TRANSITION_REENQUEUE_SECONDS", 60))
    stale_running = lease_expired_before("WINDOW_TRANSITION_LEASE_SECONDS")
    batch_ids = list(
        WindowTransitionBatch.objects.filter(
            Q(state=TransitionBatchState.PENDING, enqueued_at__lt=stale_pending)
            | Q(state=TransitionBatchState.RUNNING, claimed_at__lt=stale_running)
        ).values_list("pk", flat=True)
    )
    if batch_ids:
        WindowTransitionBatch.objects.filter(pk__in=batch_ids).update(enqueued_at=real_now)
        _enqueue(batch_ids, now)
    return len(batch_ids)


def window_transitions_run(*, now: datetime | None = None) -> list[WindowTransition]:
    """Record every due transition (the beat's work) and re-enqueue stale batches; return those recorded."""
    now = now or clock.now()
    recorded = []
    for due in transitions_due(now=now):
        transition = window_transition_record(due=due, now=now)
        if transition is not None:
            recorded.append(transition)
    transition_batches_sweep(now=now)
    return recorded


def _claim(batch_id: int) -> tuple[WindowTransitionBatch, datetime] | None:
    """Claim a pending batch, or a running one not renewed for a lease; return it and its claim token."""
    real_now = timezone.now()
    claimed = WindowTransitionBatch.objects.filter(
        Q(state=TransitionBatchState.PENDING)
        | Q(
            state=TransitionBatchState.RUNNING,
            claimed_at__lt=lease_expired_before("WINDOW_TRANSITION_LEASE_SECONDS"),
        ),
        pk=batch_id,
    ).update(state=TransitionBatchState.RUNNING, claimed_at=real_now)
    if not claimed:
        return None
    return WindowTransitionBatch.objects.select_related("transition").get(pk=batch_id), real_now


def transition_batch_process(*, batch_id: int, at: datetime) -> int:
    """Re-evaluate a batch's cases with the policy at `at`; return how many were evaluated.

    Claims the batch first (a redelivered or duplicate task finds it taken and returns 0), and
    renews the claim by heartbeat while it works (config/leases.py), so a batch whose worker died
    is taken over after a short lease while a slow live one keeps it. A holder that learns its
    claim was taken over stops before its next case and does not mark the batch done: the new
    holder decides the rest, each case under its own row lock, so no case is decided by both at
    once. Each case is its own transaction inside the policy service; one case failing is logged
    by id and recorded on the batch, and the others go on.
    """

    claimed = _claim(batch_id)
    if claimed is None:
        return 0
    batch, token = claimed
    with lease_heartbeat(
        WindowTransitionBatch.objects,
        pk=batch.pk,
        field="claimed_at",
        token=token,
        max_seconds=BATCH_TIME_LIMIT_SECONDS,
    ) as lease:
        # Every case of the batch is evaluated at the same instant.
        failed = cases_decide_in_batch(
            case_ids=batch.case_ids,
            trigger=TRIGGERS[TransitionKind(batch.transition.kind)],
            at=at,
            context=f"transition {batch.transition_id}",
            stop=lease.lost,
        )
    # Fenced by the claim's token: a holder whose claim was taken over writes nothing.
    done = WindowTransitionBatch.objects.filter(
        pk=batch.pk, state=TransitionBatchState.RUNNING, claimed_at=lease.token
    ).update(state=TransitionBatchState.DONE, done_at=timezone.now(), failed_case_ids=failed)
    if not done:
        return 0
    _transition_finish_if_done(transition_id=batch.transition_id, now=at)
    return len(batch.case_ids) - len(failed)


def _transition_finish_if_done(*, transition_id: int, now: datetime) -> None:
    # Runs after the batch's own update committed, so of two last batches finishing together
    # at least the later one sees every batch done; the conditional update records it once.
    if (
        WindowTransitionBatch.objects.filter(transition_id=transition_id)
        .exclude(state=TransitionBatchState.DONE)
        .exists()
    ):
        return
    with transaction.atomic():
        finished = WindowTransition.objects.filter(pk=transition_id, finished_at__isnull=True).update(
            finished_at=now
        )
        if finished:
            transition = WindowTransition.objects.get(pk=transition_id)
            failed = sum(
                len(ids)
                for ids in WindowTransitionBatch.objects.filter(transition_id=transition_id).values_list(
                    "failed_case_ids", flat=True
                )
            )
            audit_record(
                action=f"window.{transition.kind}.reevaluated",
                inputs={"transition_id": transition_id, "window_id": transition.window_ref},
                outcome={"cases": transition.cases_total, "failed": failed},
            )
