"""Writes for decision callbacks: fan a decision out, send one try, retry a dead letter.

Every function that depends on the time takes `now` (default: `timezone.now()`), so tests move
the clock instead of sleeping. The signature's timestamp is always the real wall-clock time: it
is what the platform checks against its own clock to refuse replays.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from config.retry import backoff_seconds, retry_after_seconds
from integrations.http import OutboundError, outbound_request
from integrations.platforms.contract import decision_body
from integrations.platforms.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature_compute
from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.decisions.models import Decision
from triage.intake.selectors import case_submissions

from .models import AttemptOutcome, DecisionFanOut, Delivery, DeliveryAttempt, DeliveryState
from .selectors import decisions_with_undelivered_submissions

logger = logging.getLogger(__name__)

IDEMPOTENCY_HEADER = "Idempotency-Key"
GIVE_UP_AFTER = timedelta(hours=24)
FIRST_RETRY = timedelta(seconds=30)
MAX_INTERVAL = timedelta(hours=1)
# A claim older than CALLBACK_CLAIM_LEASE_SECONDS belongs to a worker that died mid-send: the row
# is put back in line (a send is bounded by the callback timeouts, well under the lease).
EXCERPT_CHARS = 500
# 408 and 429 are "try later"; 425 (Too Early) too, as the outbound module treats it.
RETRYABLE_4XX = frozenset({408, 425, 429})


def _now(now: datetime | None) -> datetime:
    return now or timezone.now()


def retry_delay(*, attempt: int, rng: random.Random | None = None) -> timedelta:
    """Return the wait after failed try number `attempt` (1-based): 30 s, 1 m, 2 m, … capped at 1 h.

    Each wait is jittered by ±20 % (never above the cap) so the deliveries of one platform
    outage do not all come back in the same second.
    """
    seconds = backoff_seconds(
        attempt, first=FIRST_RETRY.total_seconds(), cap=MAX_INTERVAL.total_seconds(), jitter=0.2, rng=rng
    )
    return timedelta(seconds=seconds)


def retry_after(value: str | None, *, now: datetime) -> timedelta | None:
    """The wait a Retry-After header asks for (seconds or an HTTP date), or None if it says nothing."""
    seconds = retry_after_seconds(value, now=now)
    return None if seconds is None else timedelta(seconds=seconds)


def _enqueue(delivery_ids: list[int]) -> None:
    """Enqueue one send per delivery once the transaction commits (the beat task is the safety net)."""
    if not delivery_ids:
        return

    def send() -> None:
        # the tasks module imports this one
        from .tasks import deliver_callback

        for delivery_id in delivery_ids:
            try:
                deliver_callback.delay(delivery_id)
            except Exception:  # noqa: BLE001  (broker down: the due-rows sweep sends it later)
                logger.warning("could not enqueue delivery %s; the sweep will pick it up", delivery_id)

    transaction.on_commit(send)


@transaction.atomic
def decision_fan_out(
    *, decision_id: int, now: datetime | None = None, trigger: str = "decision_made"
) -> list[Delivery]:
    """Create one delivery per submission of the decision's case on a platform with a callback URL.

    Idempotent (a second call for the same decision creates nothing): callers may race (the
    decision's own fan-out, a joining submission's catch-up, the sweeps) since they serialise on
    the decision's row lock and each (decision, submission) has one delivery at most. A decision
    that is no longer current is not sent: its successor carries the case's whole state. Pending
    deliveries of older decisions for the same content are marked superseded. `trigger` says in
    the audit event who asked: the decision itself, a submission that joined the case, a sweep.
    """
    now = _now(now)
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("policy_version", "supersedes", "case")
        .get(pk=decision_id)
    )
    DecisionFanOut.objects.get_or_create(decision=decision)
    if not decision.is_current:
        return []
    created: list[Delivery] = []
    skipped: list[str] = []
    for submission in case_submissions(case_id=decision.case_id):
        platform = submission.platform
        if not platform.callback_url or not platform.enabled:
            skipped.append(platform.slug)  # such platforms poll the status URL
            continue
        delivery, was_created = Delivery.objects.get_or_create(
            decision=decision,
            submission=submission,
            defaults={
                "platform": platform,
                "content_id": submission.content_id,
                "idempotency_key": f"{decision.decision_id}:{platform.slug}:{submission.pk}",
                "url": platform.callback_url,
                "body": decision_body(decision=decision, submission=submission),
                "next_attempt_at": now,
                "give_up_at": now + GIVE_UP_AFTER,
            },
        )
        if not was_created:
            continue
        created.append(delivery)
        # Only current decisions are fanned out, so any other decision's pending delivery is older.
        stale = Delivery.objects.filter(submission=submission, state=DeliveryState.PENDING).exclude(
            decision=decision
        )
        stale_ids = list(stale.values_list("pk", flat=True))
        if stale_ids:
            Delivery.objects.filter(pk__in=stale_ids, state=DeliveryState.PENDING).update(
                state=DeliveryState.SUPERSEDED, next_attempt_at=None, updated_at=now
            )
    if created:
        DecisionFanOut.objects.filter(decision=decision).update(deliveries=F("deliveries") + len(created))
        audit_record(
            action="decision.fanned_out",
            case_id=decision.case_id,
            inputs={"decision_id": str(decision.decision_id), "trigger": trigger},
            outcome={
                "deliveries": [
                    {"id": d.pk, "platform": d.platform.slug, "content_id": d.content_id} for d in created
                ],
                "platforms_polling": sorted(set(skipped)),
            },
            policy_version=decision.policy_version.version if decision.policy_version_id else None,
        )
    _enqueue([d.pk for d in created])
    return created


def claim_lease() -> timedelta:
    return timedelta(seconds=settings.CALLBACK_CLAIM_LEASE_SECONDS)


def _claim(*, delivery_id: int, now: datetime) -> bool:
    """Take the delivery for this worker if it is pending and due; False if someone else has it."""
    return bool(
        Delivery.objects.filter(pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now).update(
            state=DeliveryState.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    )


@dataclass(frozen=True)
class SignedPost:
    """What one signed POST came back with: the status, how long it took, and what went wrong."""

    status: int | None  # None: no HTTP answer (refused, timed out, blocked address)
    elapsed_ms: int | None
    excerpt: str  # the start of the answer's body
    error: str  # the transport error, "" when an HTTP answer came
    answer: object  # the response, or the OutboundError (its `permanent` and headers are read)


def signed_json_post(
    *,
    url: str,
    body: dict,
    secrets: Iterable[str],
    idempotency_key: str,
    allow_private: bool,
    headers: Mapping[str, str] | None = None,
) -> SignedPost:
    """POST `body` as compact JSON to `url`, signed with every secret, once (no redirect, no retry).

    The callbacks' and the partner webhooks' one way out: the caller records the outcome and
    schedules any retry itself (`attempt_outcome`).
    """
    raw = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    timestamp = str(int(timezone.now().timestamp()))
    # One "v1=" value per active secret, newest first (as Stripe does during a rotation): a
    # receiver still verifying with the previous secret keeps accepting what we send.
    signatures = [signature_compute(secret=secret, timestamp=timestamp, body=raw) for secret in secrets]
    sent_headers = {
        "Content-Type": "application/json",
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: ",".join(signatures),
        IDEMPOTENCY_HEADER: idempotency_key,
        **(headers or {}),
    }
    try:
        response = outbound_request(
            "POST",
            url,
            data=raw,
            headers=sent_headers,
            allow_private=allow_private,
            connect_timeout=settings.CALLBACK_CONNECT_TIMEOUT,
            read_timeout=settings.CALLBACK_READ_TIMEOUT,
            max_bytes=64 * 1024,
            max_redirects=0,
            retries=0,
        )
    except OutboundError as exc:
        return SignedPost(exc.status, None, "", exc.message[:500], exc)
    excerpt = response.body[:EXCERPT_CHARS].decode("utf-8", "replace")[:EXCERPT_CHARS]
    return SignedPost(response.status, int(response.elapsed * 1000), excerpt, "", response)


def attempt_outcome(
    *, sent: SignedPost, attempts: int, give_up_at: datetime, now: datetime, refused: str
) -> tuple[str, datetime | None, str]:
    """Classify one try: (AttemptOutcome value, when to try again or None, the error to record).

    2xx: delivered. A 4xx other than 408/425/429, or a permanent transport error (blocked
    address, bad URL): permanent. Anything else (5xx, timeouts, refused connections, 429):
    retried after `retry_delay`, or the Retry-After the receiver asked for (up to an hour),
    unless that falls after `give_up_at`: gave up. `refused` names who refused a 4xx.
    """
    status, answer, error = sent.status, sent.answer, sent.error
    if status is not None and 200 <= status < 300:
        return AttemptOutcome.DELIVERED, None, error
    if isinstance(answer, OutboundError) and answer.permanent and status is None:
        return AttemptOutcome.PERMANENT, None, error
    if status is not None and 400 <= status < 500 and status not in RETRYABLE_4XX:
        return AttemptOutcome.PERMANENT, None, error or f"HTTP {status}: {refused}"
    wait = retry_delay(attempt=attempts)
    asked = retry_after(getattr(answer, "headers", {}).get("Retry-After"), now=now) if status else None
    if asked is not None:
        wait = min(asked, MAX_INTERVAL)
    retry_at = now + wait
    error = error or f"HTTP {status}"
    if retry_at > give_up_at:
        return AttemptOutcome.GAVE_UP, None, error
    return AttemptOutcome.RETRY, retry_at, error


def delivery_attempt(*, delivery_id: int, now: datetime | None = None) -> DeliveryAttempt | None:
    """Claim a due delivery, send it once and record the receipt; None if it was not ours to send.

    2xx: delivered. A 4xx other than 408/425/429, or a permanent transport error (blocked
    address, bad URL): dead letter at once. Anything else (5xx, timeouts, refused connections,
    429): retried after `retry_delay` (or the Retry-After the platform asked for, up to an hour)
    until `give_up_at`, then a dead letter.
    """
    now = _now(now)
    if not _claim(delivery_id=delivery_id, now=now):
        return None
    delivery = Delivery.objects.select_related("platform", "decision").get(pk=delivery_id)
    # Always the platform's URL of now: a platform that fixed its endpoint after a dead letter
    # gets the moderator's retry at the new address.
    url = delivery.platform.callback_url if delivery.platform.enabled else ""
    if not url:
        gone = OutboundError("the platform is disabled or no longer has a callback URL", permanent=True)
        sent = SignedPost(None, None, "", gone.message, gone)
    else:
        # The HTTP call runs outside any transaction: no row lock is held while a platform is slow.
        sent = signed_json_post(
            url=url,
            body=delivery.body,
            secrets=delivery.platform.signing_secrets(),
            idempotency_key=delivery.idempotency_key,
            allow_private=delivery.platform.allow_private_fetch,
        )
    return _delivery_record(url=url or delivery.url, delivery_id=delivery_id, now=now, sent=sent)


@transaction.atomic
def _delivery_record(*, url: str, delivery_id: int, now: datetime, sent: SignedPost) -> DeliveryAttempt:
    delivery = Delivery.objects.select_for_update().select_related("platform", "decision").get(pk=delivery_id)
    outcome, retry_at, error = attempt_outcome(
        sent=sent,
        attempts=delivery.attempts,
        give_up_at=delivery.give_up_at,
        now=now,
        refused="the platform refused the callback",
    )
    status = sent.status
    attempt = DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        started_at=now,
        status_code=status,
        response_ms=sent.elapsed_ms,
        response_excerpt=sent.excerpt,
        error=error[:500],
        outcome=outcome,
        retry_at=retry_at,
        url=url,
    )
    delivery.url = url
    delivery.last_status = status
    delivery.last_error = "" if outcome == AttemptOutcome.DELIVERED else error
    delivery.claimed_at = None
    if outcome == AttemptOutcome.DELIVERED:
        delivery.state, delivery.delivered_at, delivery.next_attempt_at = DeliveryState.DELIVERED, now, None
        audit_record(
            action="delivery.delivered",
            case_id=delivery.decision.case_id,
            inputs={"delivery_id": delivery.pk, "decision_id": str(delivery.decision.decision_id)},
            outcome={"platform": delivery.platform.slug, "status": status, "attempts": delivery.attempts},
        )
    elif outcome == AttemptOutcome.RETRY:
        delivery.state, delivery.next_attempt_at = DeliveryState.PENDING, retry_at
    else:
        delivery.state, delivery.dead_at, delivery.next_attempt_at = DeliveryState.DEAD, now, None
        audit_record(
            action="delivery.dead",
            case_id=delivery.decision.case_id,
            inputs={"delivery_id": delivery.pk, "decision_id": str(delivery.decision.decision_id)},
            outcome={
                "platform": delivery.platform.slug,
                "reason": outcome,
                "status": status,
                "error": error[:200],
                "attempts": delivery.attempts,
            },
        )
    delivery.save()
    return attempt


def decisions_fan_out_missed(*, now: datetime | None = None, limit: int = 200) -> int:
    """Fan out current decisions of the last 24 hours that never were (a lost signal or a crash).

    Return how many were fanned out now. Each runs in its own transaction, so one failing
    decision does not hold back the others.
    """
    now = _now(now)
    missed = list(
        Decision.objects.filter(is_current=True, created_at__gte=now - GIVE_UP_AFTER, fan_out__isnull=True)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
    for decision_id in missed:
        try:
            decision_fan_out(decision_id=decision_id, now=now, trigger="missed_signal_sweep")
        except Exception:  # noqa: BLE001  (logged; retried at the next sweep)
            logger.exception("fan-out of decision %s failed", decision_id)
    return len(missed)


def decisions_catch_up_missed(*, now: datetime | None = None, limit: int = 100) -> int:
    """Deliver current decisions to submissions that joined their case and never got them.

    A submission attached to an already decided case (a re-upload, a near-duplicate) is given
    the decision by a catch-up fan-out after the attachment commits
    (triage.intake.clustering.catch_up_joined_submissions). When that is lost (an exception inside, a
    worker gone before its on-commit hooks ran) nothing else would repair it: the decision has
    been fanned out before, so decisions_fan_out_missed skips it. This sweep looks for the
    submissions themselves: attached in the last CALLBACK_CATCH_UP_LOOKBACK_HOURS, longer ago
    than CALLBACK_CATCH_UP_GRACE_SECONDS (younger ones are their catch-up's to deliver), on a
    platform with a callback URL, without a delivery of their case's current decision. It fans
    those decisions out again (at most `limit` per sweep), which creates only the deliveries
    missing; a catch-up running at the same moment waits on the decision's row lock and then
    finds them made. Return how many decisions were fanned out; each runs in its own
    transaction, so one failing decision does not hold back the others.
    """
    now = _now(now)
    decision_ids = decisions_with_undelivered_submissions(
        attached_since=now - timedelta(hours=settings.CALLBACK_CATCH_UP_LOOKBACK_HOURS),
        settled_before=now - timedelta(seconds=settings.CALLBACK_CATCH_UP_GRACE_SECONDS),
        limit=limit,
    )
    for decision_id in decision_ids:
        try:
            created = decision_fan_out(decision_id=decision_id, now=now, trigger="catch_up_sweep")
        except Exception:  # noqa: BLE001  (logged; found again at the next sweep)
            logger.exception("catch-up fan-out of decision %s failed", decision_id)
            continue
        if created:
            logger.info("caught up %s lost deliveries of decision %s", len(created), decision_id)
    return len(decision_ids)


@transaction.atomic
def deliveries_recover_claims(*, now: datetime | None = None) -> int:
    """Put back in line the deliveries whose worker died while sending (claim older than the lease).

    The lost try counts as an attempt; the platform may have received it, which the
    Idempotency-Key makes harmless.
    """
    now = _now(now)
    return Delivery.objects.filter(state=DeliveryState.SENDING, claimed_at__lt=now - claim_lease()).update(
        state=DeliveryState.PENDING,
        next_attempt_at=now,
        claimed_at=None,
        last_error="worker lost",
        updated_at=now,
    )


@transaction.atomic
def delivery_retry(*, delivery_id: int, user, now: datetime | None = None) -> Delivery:
    """Send a dead letter again now, with a fresh 24-hour retry window (a moderator's action).

    Refused (ValidationError) unless the delivery is dead, or when its decision has been
    superseded: the platform should get the current decision, not an old one.
    """
    now = _now(now)
    delivery = Delivery.objects.select_for_update().select_related("decision", "platform").get(pk=delivery_id)
    if delivery.state != DeliveryState.DEAD:
        raise ValidationError(
            {"delivery": [f"Only dead letters can be retried; this one is {delivery.state}."]}
        )
    if not delivery.decision.is_current:
        raise ValidationError(
            {
                "delivery": [
                    "Its decision has been superseded; the platform gets the current decision instead."
                ]
            }
        )
    delivery.state = DeliveryState.PENDING
    delivery.next_attempt_at = now
    delivery.give_up_at = now + GIVE_UP_AFTER
    delivery.dead_at = None
    delivery.save()
    audit_record(
        action="delivery.retried",
        actor_kind=ActorKind.MODERATOR,
        actor_user=user,
        case_id=delivery.decision.case_id,
        inputs={"delivery_id": delivery.pk, "decision_id": str(delivery.decision.decision_id)},
        outcome={"platform": delivery.platform.slug, "give_up_at": delivery.give_up_at},
    )
    _enqueue([delivery.pk])
    return delivery
