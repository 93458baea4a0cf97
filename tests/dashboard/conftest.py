"""Actors and cases for the dashboard's tests.

alice is a moderator, bob a lead, charlie is logged in but in neither group. Cases are made the way
ingestion and the policy leave them (stored media, a verdict, a current decision), directly through
models and services, so no worker is needed.
"""

from __future__ import annotations

import hashlib
import io
from datetime import time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.banks.media import photo
from tests.kit.actors import PASSWORD  # noqa: F401 - the dashboard tests log in with it


@pytest.fixture
def platform(db):
    from integrations.platforms.services import platform_create

    platform, _secret = platform_create(slug="videoshare", name="VideoShare")
    return platform


@pytest.fixture
def image_bytes(tmp_path) -> bytes:
    return photo(tmp_path / "reported.png", seed=7, size=(320, 240)).read_bytes()


def media_item_store(data: bytes, *, media_type: str = "image", mime_type: str = "image/png"):
    """Store bytes the way ingestion does (content-addressed) and return the MediaItem."""
    from triage.intake.storage import media_store
    from triage.models import MediaItem

    sha256 = hashlib.sha256(data).hexdigest()
    name = media_store(fileobj=io.BytesIO(data), sha256=sha256)
    item, _ = MediaItem.objects.get_or_create(
        sha256=sha256,
        defaults={
            "media_type": media_type,
            "mime_type": mime_type,
            "size_bytes": len(data),
            "file": name,
            "original_name": f"reported.{mime_type.split('/')[-1]}",
        },
    )
    return item


def case_make(
    *,
    platform,
    media,
    countries: list[str],
    content_id: str,
    status: str = "awaiting_review",
    language: str = "",
    subjects: list[str] | None = None,
    report_reason: str = "synthetic_media",
    views: int = 0,
):
    """Make a live case for stored media with one submission, as ingestion leaves it."""
    from triage.models import Case, Submission, SubmissionMedia

    case = Case.objects.create(
        media_item=media,
        audience_countries=sorted(countries),
        audience_key=",".join(sorted(countries)),
        status=status,
        total_views=views,
        submission_count=1,
    )
    submission = Submission.objects.create(
        platform=platform,
        content_id=content_id,
        content_url=f"https://videoshare.example/p/{content_id}",
        text="Listen before you vote",
        language=language,
        subjects=subjects or [],
        report_source="trusted_flagger",
        report_reason=report_reason,
        audience_countries=sorted(countries),
        views=views,
        case=case,
        state="processed",
    )
    SubmissionMedia.objects.create(
        submission=submission, position=0, case=case, state="stored", media_item=media, url=""
    )
    return case


def verdict_make(*, media, label: str = "likely_synthetic", confidence: float = 0.9, reasons=None):
    """Fuse a verdict for the media with one finished detector result and one failed check."""
    from triage.evidence.models import CheckResult, CheckRun, Verdict

    run = CheckRun.objects.create(media_item=media, fused_at=timezone.now())
    ok = CheckResult.objects.create(
        media_item=media, kind="detector:acme", version="1", state="done", label="synthetic", score=0.93
    )
    failed = CheckResult.objects.create(
        media_item=media, kind="c2pa", version="1", state="failed", error="timed out after 20 s"
    )
    run.results.add(ok, failed)
    return Verdict.objects.create(
        run=run,
        media_item=media,
        label=label,
        confidence=confidence,
        reasons=reasons or ["The acme detector scored it 0.93 (synthetic)."],
        failed_checks=["c2pa"],
    )


def decision_make(*, case, phase: str = "normal", actions: list[dict], minutes: int | None = None, **extra):
    """Record a current policy decision on the case (superseding any), as the policy leaves it."""
    from triage.decisions.models import Decision, PolicyVersion

    deadline = timezone.now() + timedelta(minutes=minutes) if minutes is not None else None
    previous = Decision.objects.filter(case=case, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    for action in actions:
        if action["type"] == "removal_hold":
            action.setdefault("review_deadline", deadline.isoformat())
    return Decision.objects.create(
        case=case,
        phase=phase,
        phase_reason=extra.pop("phase_reason", {}),
        verdict=extra.pop("verdict", {"label": "likely_synthetic", "confidence": 0.9, "reasons": []}),
        actions=actions,
        policy_version=PolicyVersion.objects.filter(status="active").first(),
        decided_by="policy",
        review_deadline=deadline,
        hold_reason=extra.pop("hold_reason", ""),
        supersedes=previous,
        notes=extra.pop("notes", []),
    )


SK_LABEL = "Toto mohlo byť vytvorené pomocou AI."


@pytest.fixture
def sk_silence(db):
    """Put Slovakia in its 48-hour silence now: an election whose polls open tomorrow."""
    from elections.services import election_create

    tomorrow = (timezone.now().astimezone(ZoneInfo("Europe/Bratislava")) + timedelta(days=1)).date()
    return election_create(
        country="SK",
        name="Slovak parliamentary election (test)",
        kind="parliamentary",
        voting_days=[tomorrow.isoformat()],
        polls_open=time(7),
        polls_close=time(22),
        source_urls=["https://example.org/sk"],
    )


@pytest.fixture
def cases(platform, tmp_path):
    """The queue the tests look at: a silence hold (SK), a US escalation, a routine case, a decided one."""
    slovak = case_make(
        platform=platform,
        media=media_item_store(photo(tmp_path / "sk.png", seed=1, size=(320, 240)).read_bytes()),
        countries=["SK"],
        content_id="post-sk",
        language="sk",
        subjects=["Party Leader"],
        views=12000,
    )
    verdict_make(media=slovak.media_item)
    decision_make(
        case=slovak,
        phase="silence",
        phase_reason={"country": "SK", "window_end": (timezone.now() + timedelta(hours=20)).isoformat()},
        actions=[
            {"type": "removal_hold"},
            {"type": "label", "kind": "likely_ai_generated", "language": "sk", "text": SK_LABEL},
        ],
        minutes=30,
        hold_reason="silence",
    )
    later_hold = case_make(
        platform=platform,
        media=media_item_store(photo(tmp_path / "sk2.png", seed=2, size=(320, 240)).read_bytes()),
        countries=["SK"],
        content_id="post-sk-2",
        language="sk",
    )
    decision_make(
        case=later_hold,
        phase="silence",
        phase_reason={"country": "SK"},
        actions=[{"type": "removal_hold"}],
        minutes=55,
        hold_reason="silence",
    )
    american = case_make(
        platform=platform,
        media=media_item_store(photo(tmp_path / "us.png", seed=3, size=(320, 240)).read_bytes()),
        countries=["US"],
        content_id="robocall-1",
        language="en",
        report_reason="voter_suppression",
    )
    decision_make(
        case=american,
        actions=[
            {"type": "label", "kind": "likely_ai_generated", "language": "en", "text": "May be AI."},
            {"type": "escalate", "reason": "voter_suppression"},
        ],
        minutes=240,
    )
    routine = case_make(
        platform=platform,
        media=media_item_store(photo(tmp_path / "de.png", seed=4, size=(320, 240)).read_bytes()),
        countries=["DE"],
        content_id="post-de",
        status="awaiting_review",
    )
    decision_make(case=routine, actions=[{"type": "label", "kind": "unverified"}], minutes=240)
    decided = case_make(
        platform=platform,
        media=media_item_store(photo(tmp_path / "fr.png", seed=5, size=(320, 240)).read_bytes()),
        countries=["FR"],
        content_id="post-fr",
        status="decided",
    )
    decision_make(case=decided, actions=[{"type": "no_action"}])
    return {
        "slovak": slovak,
        "later_hold": later_hold,
        "american": american,
        "routine": routine,
        "decided": decided,
    }


def login(client, user) -> None:
    client.force_login(user)
