"""Reads for the dashboard's screens: the urgent-first queue, its counts, and one case in full."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import (
    BooleanField,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models import Case as Conditional
from django.db.models.functions import Cast
from django.utils import timezone

from elections.selectors import countries_in_silence
from triage.audit.models import AuditEvent
from triage.decisions.models import DecidedBy, Decision
from triage.evidence.models import CheckResult, CheckState, Verdict
from triage.models import (
    Case,
    CaseStatus,
    MediaItem,
    ReachSample,
    Submission,
    SubmissionEvent,
    SubmissionMedia,
)

from .roles import LEADS_GROUP

# Queue tabs and what each holds (Ozone's unresolved / escalated / resolved, plus awaiting review).
QUEUES = {
    "unresolved": "Unresolved",
    "mine": "Mine",
    "awaiting": "Awaiting review",
    "escalated": "Escalated",
    "decided": "Decided",
    "all": "All",
}

# A search lists at most this many cases (a subject shared by more is too broad to page through).
SEARCH_MAX = 5000

# Urgency buckets, most urgent first.
BUCKET_DEADLINE_MISSED = -1  # a review deadline passed with nobody deciding: the leads' top slot
BUCKET_SILENCE_HOLD = 0
BUCKET_ESCALATED = 1
BUCKET_AWAITING = 2
BUCKET_REST = 3


def _unresolved_q() -> Q:
    """Cases a human still has to look at: not decided, or an escalation no lead has decided yet."""
    return ~Q(status=CaseStatus.DECIDED) | Q(escalation_open=True)


def _current_decisions() -> QuerySet[Decision]:
    return Decision.objects.filter(case=OuterRef("pk"), is_current=True)


def _flag(condition: Q) -> Conditional:
    """A boolean annotation that is False, never NULL, when the joined decision is missing."""
    return Conditional(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _lead_ids() -> QuerySet:
    """The leads' and staff's user ids, as a subquery (no round trip of its own)."""
    leads = get_user_model().objects.filter(Q(is_staff=True) | Q(groups__name=LEADS_GROUP))
    return leads.values("pk")


def _live_cases(*, details: bool = True) -> QuerySet[Case]:
    """Live cases with their current decision joined once (one LEFT JOIN on its unique partial index).

    Every queue column and tab reads the current decision: joining it once, rather than one
    correlated subquery per column, keeps the whole queue one scan of the cases and one hash join,
    which PostgreSQL plans cheaply (50,000 open cases: docs/benchmarks.md). A missed review
    deadline is a LEFT JOIN on its one-to-one row.
    """
    latest_verdict = Verdict.objects.filter(media_item=OuterRef("media_item")).order_by("-created_at")
    escalates = Q(current__action_kinds__contains=",escalate,")
    # Open while the decision whose deadline was missed is current (docs/dashboard.md).
    missed = Q(current__deadline_escalation__isnull=False)
    # An escalation waits for a lead until a lead (or staff) has decided the case: the policy's
    # escalation, or a moderator's, stays open even when the case is "decided".
    undecided_by_lead = (
        Q(current__decided_by=DecidedBy.POLICY)
        | Q(current__moderator__isnull=True)
        | ~Q(current__moderator_id__in=_lead_ids())
    )
    cases = Case.objects.filter(merged_into__isnull=True)
    if details:  # the page's rows; the ordering and the counts need none of these joins
        cases = cases.select_related("media_item", "review_lock__user", "assignment__user")
    return cases.annotate(
        current=FilteredRelation("decisions", condition=Q(decisions__is_current=True))
    ).annotate(
        decision_phase=F("current__phase"),
        decision_phase_reason=F("current__phase_reason"),
        decision_actions=F("current__actions"),
        decision_deadline=F("current__review_deadline"),
        decision_by=F("current__decided_by"),
        deadline_missed=_flag(missed),
        escalated=_flag(escalates | missed),
        # A missed review deadline is an escalation too, until a new decision supersedes it.
        escalation_open=_flag((escalates & undecided_by_lead) | missed),
        silence_hold=_flag(Q(current__phase="silence", current__review_deadline__isnull=False)),
        verdict_label=Subquery(latest_verdict.values("label")[:1], output_field=CharField()),
        verdict_confidence=Subquery(latest_verdict.values("confidence")[:1]),
    )


def _with_bucket(queryset: QuerySet[Case]) -> QuerySet[Case]:
    return queryset.annotate(
        bucket=Conditional(
            When(deadline_missed=True, then=Value(BUCKET_DEADLINE_MISSED)),
            When(Q(silence_hold=True) & ~Q(status=CaseStatus.DECIDED), then=Value(BUCKET_SILENCE_HOLD)),
            When(escalation_open=True, then=Value(BUCKET_ESCALATED)),
            When(status=CaseStatus.AWAITING_REVIEW, then=Value(BUCKET_AWAITING)),
            default=Value(BUCKET_REST),
            output_field=IntegerField(),
        )
    )


def _country_q(code: str) -> Q:
    # audience_key is the sorted countries joined by commas, e.g. "DE,SK".
    code = code.upper()
    return (
        Q(audience_key=code)
        | Q(audience_key__startswith=f"{code},")
        | Q(audience_key__endswith=f",{code}")
        | Q(audience_key__contains=f",{code},")
    )


@dataclass
class QueueFilters:
    queue: str = "unresolved"
    phase: str = ""
    country: str = ""
    status: str = ""
    verdict: str = ""
    media_type: str = ""
    q: str = ""  # free text: a subject, a content id, an event id or a SHA-256 (or its first 8+ hex digits)

    def unfiltered(self) -> bool:
        """Only a tab is chosen: its count is the tab's count."""
        return not (self.phase or self.country or self.status or self.verdict or self.media_type or self.q)


def queue_cases(
    *, filters: QueueFilters, can_see_escalations: bool, user_id: int | None = None, details: bool = True
) -> QuerySet[Case]:
    """Return the live cases of a queue, urgent first.

    Silence-window holds come first (earliest review deadline on top), then escalations, then
    cases awaiting review, then the rest (highest policy priority, then most recently updated).
    Escalated cases are the leads' queue: without `can_see_escalations` they are left out.
    """
    queryset = _with_bucket(_live_cases(details=details))
    if not can_see_escalations:
        queryset = queryset.filter(escalated=False)
    if filters.queue == "unresolved":
        queryset = queryset.filter(_unresolved_q())
    elif filters.queue == "awaiting":
        queryset = queryset.filter(status=CaseStatus.AWAITING_REVIEW)
    elif filters.queue == "escalated":
        queryset = queryset.filter(escalation_open=True)
    elif filters.queue == "decided":
        queryset = queryset.exclude(_unresolved_q())
    elif filters.queue == "mine":
        queryset = queryset.filter(_mine_q(user_id))
    if filters.q:
        # The matching cases first (a handful, found through the submissions), then the queue's
        # join on just those: one query planned over every live case, with the search's OR of
        # subqueries inside, misjudges how many match and scans them all.
        matches = Case.objects.filter(case_search_q(filters.q)).order_by().values_list("pk", flat=True)
        queryset = queryset.filter(pk__in=list(matches[:SEARCH_MAX]))
    if filters.phase:
        if filters.phase == "undecided":
            queryset = queryset.filter(decision_phase__isnull=True)
        else:
            queryset = queryset.filter(decision_phase=filters.phase)
    if filters.country:
        queryset = queryset.filter(_country_q(filters.country))
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.verdict:
        queryset = queryset.filter(verdict_label=filters.verdict)
    if filters.media_type:
        queryset = queryset.filter(media_item__media_type=filters.media_type)
    return queryset.order_by(
        "bucket",
        F("decision_deadline").asc(nulls_last=True),
        "-priority",
        "-updated_at",
        "pk",
    )


def queue_counts(*, can_see_escalations: bool, user_id: int | None = None) -> dict[str, int]:
    """Return how many live cases each queue tab holds, in one scan (one query) for every tab."""
    queryset = _live_cases(details=False)
    if not can_see_escalations:
        queryset = queryset.filter(escalated=False)
    unresolved = _unresolved_q()
    tabs = {
        "unresolved": Count("pk", filter=unresolved),
        "awaiting": Count("pk", filter=Q(status=CaseStatus.AWAITING_REVIEW)),
        "escalated": Count("pk", filter=Q(escalation_open=True)),
        "decided": Count("pk", filter=~unresolved),
        "all": Count("pk"),
    }
    if user_id is not None:
        # "Mine" joins the two small tables (assignments, locks) into the same scan: cheaper
        # than a second pass over every live case.
        tabs["mine"] = Count("pk", filter=_mine_q(user_id) & unresolved)
    counts = queryset.aggregate(**tabs)
    counts.setdefault("mine", 0)
    if not can_see_escalations:
        counts["escalated"] = 0
    return {key: counts[key] for key in QUEUES}


def queue_page(*, case_ids: list[int]) -> list[Case]:
    """The page's cases in full (rows, badges, verdicts), in the order of `case_ids`."""
    cases = {case.pk: case for case in _with_bucket(_live_cases()).filter(pk__in=case_ids)}
    return [cases[pk] for pk in case_ids if pk in cases]


def _mine_q(user_id: int | None) -> Q:
    """Cases assigned to the user, or whose review lock they hold (unexpired)."""
    if user_id is None:
        return Q(pk__in=[])

    held = Q(review_lock__user_id=user_id, review_lock__expires_at__gt=timezone.now())
    return Q(assignment__user_id=user_id) | held


def case_search_q(text: str) -> Q:
    """Match a subject (any part, any case), a content id, an event id or a SHA-256 (a prefix of 8+)."""

    text = text.strip()
    folded = text.lower()
    events = SubmissionEvent.objects.filter(event_id=text).values("submission_id")
    # One pass over the submissions: the subject test can use no index, so the others ride along.
    submissions = (
        Submission.objects.annotate(subjects_text=Cast("subjects", TextField()))
        .filter(Q(content_id=text) | Q(first_event_id=text) | Q(pk__in=events) | _subjects_q(text))
        .values("pk")
    )
    q = Q(pk__in=SubmissionMedia.objects.filter(submission_id__in=submissions).values("case_id"))
    if len(folded) >= 8 and all(c in "0123456789abcdef" for c in folded):
        q |= Q(media_item__sha256__startswith=folded)
    return q


def _subjects_q(text: str) -> Q:
    """Match any part of a subject, in any case, whichever way the database stores JSON text.

    PostgreSQL's `jsonb::text` has the characters ("Šimečka") and compares cases in Unicode.
    SQLite (the embedded mode) keeps the JSON as written, with non-ASCII letters escaped
    ("\\u0160ime\\u010dka"), and its LIKE folds ASCII only: so the escaped forms are matched too, as
    typed and in the usual cases of a name ("šimečka", "Šimečka", "ŠIMEČKA").
    """
    q = Q(subjects_text__icontains=text)
    for variant in {text, text.lower(), text.title(), text.upper()}:
        escaped = json.dumps(variant)[1:-1]
        if escaped != variant:
            q |= Q(subjects_text__icontains=escaped)
    return q


@dataclass
class RowSummary:
    """What a queue row says the case is."""

    subjects: list[str] = field(default_factory=list)
    platforms: list[str] = field(default_factory=list)
    snippet: str = ""
    reasons: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)


def queue_rows_describe(*, cases: list[Case]) -> None:
    """Set `case.summary` (a RowSummary) on each case of a page, in one query for the page."""
    summaries = {case.pk: RowSummary() for case in cases}
    rows = (
        SubmissionMedia.objects.filter(case_id__in=list(summaries))
        .order_by("submission__created_at", "submission_id")
        .values_list(
            "case_id",
            "submission__platform__slug",
            "submission__subjects",
            "submission__text",
            "submission__report_reason",
            "submission__language",
        )
    )
    for case_id, platform, subjects, text, reason, language in rows:
        summary = summaries[case_id]
        pairs = ((platform, summary.platforms), (reason, summary.reasons), (language, summary.languages))
        for value, into in pairs:
            if value and value not in into:
                into.append(value)
        for subject in subjects or []:
            if isinstance(subject, str) and subject not in summary.subjects:
                summary.subjects.append(subject)
        if text and not summary.snippet:
            summary.snippet = " ".join(text.split())[:140]
    for case in cases:
        case.summary = summaries[case.pk]


def silence_now(*, at: datetime) -> list:
    """Return one silence window per country in silence at `at` (the calendar's strip)."""
    return countries_in_silence(at=at)


def case_for_dashboard(*, case_id: int) -> Case | None:
    """Return a live case with the queue's annotations, or None (merged cases resolve elsewhere)."""
    return _with_bucket(_live_cases()).filter(pk=case_id).first()


def _case_media_item_ids(case: Case) -> set[int]:
    # Two index lookups rather than an OR across a join, which would scan every media item.
    carried = SubmissionMedia.objects.filter(case=case, media_item__isnull=False).values_list(
        "media_item_id", flat=True
    )
    return {*carried, *([case.media_item_id] if case.media_item_id else [])}


def case_media_items(*, case: Case) -> list[MediaItem]:
    """Return the case's media: its own item, plus any other item its submissions carried for it."""
    items = list(MediaItem.objects.filter(pk__in=_case_media_item_ids(case)))
    items.sort(key=lambda m: (m.pk != case.media_item_id, m.pk))
    return items


def case_media_item_get(*, case: Case, media_item_id: int) -> MediaItem | None:
    """Return the media item if it belongs to the case, else None (never another case's file)."""
    if media_item_id not in _case_media_item_ids(case):
        return None
    return MediaItem.objects.filter(pk=media_item_id).first()


def case_submissions(*, case: Case) -> QuerySet[Submission]:
    """Return every submission about the case's media, from every platform."""
    return (
        # A semi-join on the entries' case index (an OR across the join would scan every
        # submission); the primary case is the first entry's, so it adds nothing.
        Submission.objects.filter(pk__in=SubmissionMedia.objects.filter(case=case).values("submission_id"))
        .select_related("platform")
        .order_by("created_at", "pk")
    )


@dataclass
class MediaReview:
    """What the checks found about one media item."""

    media: MediaItem
    verdict: Verdict | None
    results: list[CheckResult]
    failed: list[CheckResult]
    bank_matches: list[dict[str, Any]]
    banked_in: list[str] = field(default_factory=list)


def media_review(*, media: MediaItem) -> MediaReview:
    """Return the latest verdict, every check result (failed ones apart) and bank matches of a media item."""
    verdict = Verdict.objects.filter(media_item=media).order_by("-created_at").first()
    results = list(CheckResult.objects.filter(media_item=media).order_by("kind", "version"))
    failed_kinds = set(verdict.failed_checks if verdict else [])
    failed = [r for r in results if r.state == CheckState.FAILED or r.kind in failed_kinds]
    matches: list[dict[str, Any]] = []
    for result in results:
        if result.kind == "fingerprint":
            matches.extend(result.evidence.get("matches") or [])
    banked_in = list(media.banked_as.select_related("bank").values_list("bank__name", flat=True))
    return MediaReview(
        media=media,
        verdict=verdict,
        results=results,
        failed=failed,
        bank_matches=matches,
        banked_in=banked_in,
    )


def case_decisions(*, case: Case) -> list[Decision]:
    """Return every decision on the case, newest first (the current one among them)."""
    return list(
        Decision.objects.filter(case=case)
        .select_related("policy_version", "moderator")
        .order_by("-created_at", "-pk")
    )


def case_audit_trail(*, case: Case, limit: int = 200) -> list[AuditEvent]:
    """Return the case's audit events, newest first."""
    return list(
        AuditEvent.objects.filter(case=case).select_related("actor_user").order_by("-at", "-id")[:limit]
    )


@dataclass
class Reach:
    views: int
    shares: int
    views_per_hour: float | None
    sparkline: str  # SVG polyline points, "" with fewer than two samples
    samples: int


def case_reach(*, case: Case, width: int = 160, height: int = 32) -> Reach:
    """Return the case's reach totals, views per hour over the last hour of samples, and a sparkline."""
    samples = list(ReachSample.objects.filter(case=case).order_by("at", "pk").values_list("at", "case_views"))
    velocity = None
    points = ""
    if len(samples) >= 2:
        last_at, last_views = samples[-1]
        since = last_at - timedelta(hours=1)
        base_at, base_views = next(((a, v) for a, v in samples if a >= since), samples[-2])
        if base_at == last_at:
            base_at, base_views = samples[-2]
        hours = max((last_at - base_at).total_seconds() / 3600, 1 / 60)
        velocity = (last_views - base_views) / hours
        first_at = samples[0][0]
        span = (last_at - first_at).total_seconds()
        top = max(v for _, v in samples) or 1
        if span >= 60:  # a line over less than a minute says nothing
            xs = [(a - first_at).total_seconds() / span * width for a, _ in samples]
            ys = [height - v / top * (height - 2) - 1 for _, v in samples]
            points = " ".join(f"{x:.1f},{y:.1f}" for x, y in zip(xs, ys, strict=True))
    return Reach(
        views=case.total_views,
        shares=case.total_shares,
        views_per_hour=velocity,
        sparkline=points,
        samples=len(samples),
    )


def escalated_case_ids() -> QuerySet:
    """Return the ids of the cases that are the leads' now, and of the cases merged into them.

    The one definition every surface uses (queue, case page, dead letters, fact-check flag,
    overview): the current decision escalates, or its review deadline passed with nobody deciding
    (a deadline escalation), the same test as the queue's `escalated` flag. A merged case
    resolves to the case it joined, so it counts as that case.
    """
    live = _live_cases(details=False).filter(escalated=True).values("pk")
    return Case.objects.filter(Q(pk__in=live) | Q(merged_into__in=live)).values("pk")


def deliveries_of_escalated_cases(*, deliveries: QuerySet) -> QuerySet:
    """Return the ids of those deliveries whose case is currently escalated (the leads' cases)."""
    return deliveries.filter(decision__case__in=escalated_case_ids()).values("pk")


def queue_neighbours(
    *, case_id: int, can_see_escalations: bool, limit: int = 1000
) -> tuple[int | None, int | None]:
    """Return the ids of the cases before and after `case_id` in the unresolved queue (j/k on a case)."""
    queue = queue_cases(filters=QueueFilters(), can_see_escalations=can_see_escalations, details=False)
    ids = list(queue.values_list("pk", flat=True)[:limit])
    if case_id not in ids:
        return None, ids[0] if ids else None
    at = ids.index(case_id)
    return (ids[at - 1] if at > 0 else None), (ids[at + 1] if at + 1 < len(ids) else None)
