"""What the policy looks at: one dataclass of inputs, gathered from a case at an instant."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from elections.models import AuthorizedLikeness, Person
from elections.names import name_fold
from elections.selectors import PhaseResult, calendar_phase
from triage.decisions.labels import (
    creator_disclosure_mismatch,
    language_tag_normalize,
)
from triage.evidence.selectors import verdict_latest_for_media
from triage.models import Case, ReachSample, Submission

from .consent import consent_for_uploaders
from .fact_checked import fact_checked_summary, fact_checks_for_case
from .inputs_media import MEDIA_LIKENESS_KINDS
from .language import content_language_with_audience
from .reports import reports_for_submissions
from .territory import case_territory, phase_reason_with_territory

# Reach velocity is measured over the last hour of samples.
VELOCITY_WINDOW = timedelta(hours=1)


@dataclass
class PolicyInputs:
    """Everything a rule may test (names as in triage/decisions/engine.py INPUT_KINDS)."""

    verdict: str  # a checks.VerdictLabel value, or "pending" while no verdict exists
    verdict_confidence: float | None
    verdict_reasons: list[str]
    phase: str
    phase_reason: dict[str, Any]
    media_type: str
    public_figure: bool
    public_figures: list[str]  # the registered names matched
    consent: bool  # every matched public figure has a valid authorized likeness for this kind
    public_figure_without_consent: bool
    creator_disclosed: bool
    creator_disclosure_language: str | None
    satire_claim: bool
    reach_velocity: float  # views + shares per hour over the last hour
    reporter_kinds: list[str]
    report_reasons: list[str]
    content_language: str | None
    content_language_source: str
    language_mismatch: bool
    trigger: str = ""
    previous_hold_reason: str = ""
    notes: list[str] = field(default_factory=list)
    # Issue 11 (docs/policy.md "Inputs the rules can test").
    election_report_trusted: bool = False
    election_user_reports: int = 0
    fact_checked: dict[str, Any] | None = None  # {rating, who, when, link} of the latest fact-check
    fact_check_rating: str = ""
    fact_checks: list[dict[str, Any]] = field(default_factory=list)
    phase_country: str = ""
    silence_scope: str = ""
    silence_covers_online: str = ""
    hold_countries: list[str] = field(default_factory=list)  # where a silence hold applies
    language_fallback: bool = False
    disclosed_not_authorized: bool = False
    # Each matched figure's registered aliases (any script): labels and spoken scripts use the one
    # in the content's script (language.names_in_script, labels/grammar.py names_for_speech).
    public_figure_aliases: dict[str, list[str]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _contains_name(haystack: str, name: str) -> bool:
    if not name:
        return False
    # Whole words only ("Fico" must not match "Ficova"); \w is Unicode-aware in Python.
    return re.search(rf"(?<!\w){re.escape(name)}(?!\w)", haystack) is not None


# Set by `batch_memo()`: answers already computed in this block, by key.
_batch_memo: ContextVar[dict[tuple, Any] | None] = ContextVar("policy_batch_memo", default=None)


@contextmanager
def batch_memo() -> Iterator[None]:
    """Within the block, compute what every case of a batch shares once: the calendar phase per
    (audience, instant), the registered people per audience, the active policy.

    For a batch of cases re-evaluated at one instant (a window opening): its 200 cases mostly
    share an audience, so one calendar lookup answers them all. Only for blocks short enough that
    the calendar, the registry and the policy may be read once (one batch, not a worker's life):
    a change made meanwhile applies from the next batch, as it would to a batch already done.
    """
    token = _batch_memo.set({})
    try:
        yield
    finally:
        _batch_memo.reset(token)


def memoized(key: tuple, compute: Callable[[], Any]) -> Any:
    """Return compute(), remembered under `key` inside a `batch_memo()` block (computed each time outside)."""
    memo = _batch_memo.get()
    if memo is None:
        return compute()
    if key not in memo:
        memo[key] = compute()
    return memo[key]


def case_phase(*, case: Case, at: datetime) -> PhaseResult:
    """Return the strictest calendar phase for the case's audience at `at`."""
    key = (
        "phase",
        tuple(sorted({c.upper() for c in case.audience_countries or []})),
        tuple(sorted({r.upper() for r in case.audience_regions or []})),
        at,
    )
    return memoized(
        key, lambda: calendar_phase(countries=case.audience_countries, regions=case.audience_regions, at=at)
    )


def phase_reason(result: PhaseResult) -> dict[str, Any]:
    if result.phase == "normal":
        return {}
    reason: dict[str, Any] = {"country": result.country}
    if result.window is not None:
        reason["window_end"] = result.window.end.isoformat()
        reason["window_id"] = result.window.pk
    if result.election is not None:
        reason["election"] = result.election.name
    return reason


def _submissions(case: Case) -> list[Submission]:
    ids = case.submission_media.values("submission_id")
    return list(Submission.objects.filter(pk__in=ids).select_related("platform").order_by("created_at", "pk"))


def public_figures_match(*, countries: list[str], subjects: list[str], texts: list[str]) -> list[Person]:
    """Registered people of `countries` named in `subjects` (exactly, folded) or in `texts` (as words)."""
    codes = sorted({c.upper() for c in countries or []})

    def registered() -> list[Person]:
        people = Person.objects.all()
        if codes:
            people = people.filter(country_id__in=codes)
        return list(people)

    people = memoized(("people", tuple(codes)), registered)
    folded_subjects = {name_fold(s) for s in subjects if s}
    folded_text = " \n ".join(name_fold(t) for t in texts if t)
    found: list[Person] = []
    for person in people:
        names = {name_fold(n) for n in [person.name, *(person.aliases or [])] if isinstance(n, str)}
        names.discard("")
        if names & folded_subjects or any(_contains_name(folded_text, n) for n in names):
            found.append(person)
    return found


def consent_covers(*, person: Person, media_type: str, on: datetime) -> bool:
    kinds = MEDIA_LIKENESS_KINDS.get(media_type, set())
    day = on.date()
    return (
        AuthorizedLikeness.objects.filter(person=person, kind__in=kinds, valid_from__lte=day)
        .exclude(valid_to__lt=day)
        .exists()
    )


def reach_velocity(*, case: Case, at: datetime) -> float:
    """Views + shares per hour over the last hour (or as the one report in it said)."""
    samples = list(
        ReachSample.objects.filter(case=case, at__gt=at - VELOCITY_WINDOW, at__lte=at).order_by("at", "pk")
    )
    measured = 0.0
    if len(samples) >= 2 and samples[-1].at > samples[0].at:
        gained = (samples[-1].case_views + samples[-1].case_shares) - (
            samples[0].case_views + samples[0].case_shares
        )
        hours = (samples[-1].at - samples[0].at).total_seconds() / 3600
        measured = round(max(gained, 0) / hours, 1)
    # The platform's own figure over its reporting window, when it gave one: two samples seconds
    # apart with the same totals (the webhook's and the worker's) measure nothing, and must not
    # hide "5,000 views in the last hour" (issue 11: fast spread in a silence window).
    for sample in reversed(samples):
        if sample.window_minutes:
            return max(measured, round((sample.views + sample.shares) * 60 / sample.window_minutes, 1))
    return measured


def case_policy_inputs(
    *, case: Case, at: datetime, trigger: str = "", previous_hold_reason: str | None = None
) -> PolicyInputs:
    """Gather the policy's inputs for `case` at `at` (reads only).

    `previous_hold_reason`: the current decision's hold reason when the caller already read it
    ("" for none); looked up when None.
    """

    phase = case_phase(case=case, at=at)
    territory = case_territory(case=case, at=at, memo=memoized) if phase.phase == "silence" else None
    verdict = verdict_latest_for_media(media_item_id=case.media_item_id) if case.media_item_id else None
    media_type = case.media_item.media_type if case.media_item_id else ""
    submissions = _submissions(case)

    subjects = [s for sub in submissions for s in (sub.subjects or []) if isinstance(s, str)]
    texts = [sub.text for sub in submissions]
    disclosures = [sub.creator_disclosure for sub in submissions if isinstance(sub.creator_disclosure, dict)]
    people = public_figures_match(countries=case.audience_countries, subjects=subjects, texts=texts)
    consent = consent_for_uploaders(people=people, media_type=media_type, on=at, submissions=submissions)

    declared = next((sub.language for sub in submissions if sub.language), None)
    resolved = content_language_with_audience(
        declared=declared,
        text="\n".join(t for t in texts if t),
        countries=_language_countries(case, phase),
        memo=memoized,
    )
    language = resolved.language
    disclosed = [d for d in disclosures if d.get("ai_label")]
    disclosure_language = next(
        (language_tag_normalize(d.get("language")) for d in disclosed if d.get("language")), None
    )
    notes: list[str] = []
    mismatch = creator_disclosure_mismatch(disclosure_language=disclosure_language, content_language=language)
    if mismatch:
        notes.append(mismatch)
    if resolved.note:
        notes.append(resolved.note)
    satire = any(bool(d.get("satire")) for d in disclosures)
    if satire:
        notes.append("satire or parody claimed by the creator: recorded as a claim, not verified")
    not_authorized = bool(disclosed) and bool(consent.not_authorized)
    if not_authorized:
        names = ", ".join(p.name for p in consent.not_authorized)
        notes.append(
            f"disclosed, not authorized: the uploader is not an account of the party that authorized "
            f"the likeness of {names}"
        )
    reports = reports_for_submissions(submissions)
    fact_checks = fact_checks_for_case(case=case, verdict=verdict)
    fact_checked = fact_checked_summary(fact_checks)
    if fact_checked:
        notes.append(
            f"fact-checked: rated {fact_checked['rating']} by {', '.join(fact_checked['who'])}"
            + (f" ({fact_checked['link']})" if fact_checked.get("link") else "")
        )
    reason = phase_reason(phase)
    if territory is not None:
        reason = phase_reason_with_territory(reason, territory)
        if territory.note():
            notes.append(territory.note())

    previous = previous_hold_reason
    if previous is None:
        previous = case.decisions.filter(is_current=True).values_list("hold_reason", flat=True).first()
    hold_countries = territory.hold_countries if territory else []
    if not hold_countries and previous in ("silence", "post_silence"):
        hold_countries = _previous_hold_countries(case)
    return PolicyInputs(
        verdict=verdict.label if verdict else "pending",
        verdict_confidence=round(verdict.confidence, 2) if verdict else None,
        verdict_reasons=list(verdict.reasons) if verdict else [],
        phase=phase.phase,
        phase_reason=reason,
        media_type=media_type,
        public_figure=bool(people),
        public_figures=[p.name for p in people],
        consent=bool(people) and len(consent.covered) == len(people),
        public_figure_without_consent=len(consent.covered) < len(people),
        creator_disclosed=bool(disclosed),
        creator_disclosure_language=disclosure_language,
        satire_claim=satire,
        reach_velocity=reach_velocity(case=case, at=at),
        reporter_kinds=sorted({sub.report_source for sub in submissions}),
        report_reasons=sorted({sub.report_reason for sub in submissions}),
        content_language=language,
        content_language_source=resolved.source,
        language_mismatch=bool(mismatch),
        trigger=trigger,
        previous_hold_reason=previous or "",
        notes=notes,
        election_report_trusted=reports.election_report_trusted,
        election_user_reports=reports.election_user_reports,
        fact_checked=fact_checked,
        fact_check_rating=fact_checked["rating"] if fact_checked else "",
        fact_checks=fact_checks,
        phase_country=reason.get("country") or "",
        silence_scope=territory.scope if territory else "",
        silence_covers_online=territory.covers_online if territory else "",
        hold_countries=hold_countries,
        language_fallback=resolved.fallback,
        disclosed_not_authorized=not_authorized,
        public_figure_aliases={p.name: [a for a in p.aliases or [] if isinstance(a, str)] for p in people},
    )


def _language_countries(case: Case, phase: PhaseResult) -> list[str]:
    """The audience countries whose languages a label falls back to: the phase's country first."""
    countries = list(case.audience_countries or [])
    if phase.country and phase.country in countries:
        countries.remove(phase.country)
        countries.insert(0, phase.country)
    return countries


def _previous_hold_countries(case: Case) -> list[str]:
    """The countries the current silence hold names (kept when the window closes)."""
    actions = case.decisions.filter(is_current=True).values_list("actions", flat=True).first() or []
    for action in actions:
        if action.get("type") == "removal_hold" and isinstance(action.get("countries"), list):
            return list(action["countries"])
    return []
