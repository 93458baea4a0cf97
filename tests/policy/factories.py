"""Build cases, verdicts and silence windows directly, for tests of the policy services.

The scenario tests (tests/scenarios/) go through the real webhook, worker and checks; these are
for the many small rule and service tests where that path would only add minutes.
"""

from __future__ import annotations

import hashlib
import itertools
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from elections.models import AuthorizedLikeness, Country, Election, Person, SilenceWindow
from tests.ingestion.helpers import make_wav
from triage.evidence.models import CheckRun, Verdict
from triage.models import Case, MediaFetchState, MediaItem, ReachSample, Submission, SubmissionMedia

_seq = itertools.count(1)

# A policy stricter than the default: every likely-synthetic case held, everything else left alone.
STRICTER = {
    "schema": 1,
    "rules": [
        {"name": "hold_everything_likely", "when": {"verdict": {"equals": "likely_synthetic"}},
         "actions": [{"type": "removal_hold", "review_deadline_minutes": 60}]},
        {"name": "otherwise_nothing", "actions": [{"type": "no_action"}]},
    ],
}  # fmt: skip

COUNTRIES = {
    "SK": ("Slovakia", ["Europe/Bratislava"], ["sk"]),
    "PK": ("Pakistan", ["Asia/Karachi"], ["ur", "en"]),
    "US": ("United States", ["America/New_York"], ["en"]),
}


def country(code: str) -> Country:
    name, zones, languages = COUNTRIES.get(code, (code, ["UTC"], ["en"]))
    obj, _ = Country.objects.get_or_create(
        code=code, defaults={"name": name, "time_zones": zones, "languages": languages}
    )
    return obj


def silence_window(*, code: str, start: datetime, end: datetime, name: str = "") -> SilenceWindow:
    """A silence window in force from `start` to `end` (with its election on the day after)."""
    c = country(code)
    voting_day = (end + timedelta(hours=1)).date()
    election = Election.objects.create(
        country=c,
        name=name or f"{c.name} election {next(_seq)}",
        kind="parliamentary",
        voting_days=[voting_day.isoformat()],
        polls_open=time(7),
        polls_close=time(22),
        polls_time_zone=c.time_zones[0],
    )
    # Saving an election materializes the windows its country's rule gives; the test wants its own.
    SilenceWindow.objects.filter(election=election).delete()
    return SilenceWindow.objects.create(
        election=election,
        country=c,
        time_zone=c.time_zones[0],
        scope="full",
        covers_online="yes",
        computed_start=start,
        computed_end=end,
        start=start,
        end=end,
    )


def person(name: str, *, code: str, aliases: list[str] | None = None) -> Person:
    return Person.objects.create(name=name, country=country(code), aliases=aliases or [])


def authorized_voice(
    p: Person, *, valid_from: date, valid_to: date | None = None, accounts: dict | None = None
) -> AuthorizedLikeness:
    """A declared AI voice; `accounts`: the declaring party's accounts per platform slug."""
    return AuthorizedLikeness.objects.create(
        person=p,
        kind="voice",
        declared_by=p.party or "the party",
        evidence_url="https://party.example/ai-voice",
        valid_from=valid_from,
        valid_to=valid_to,
        accounts=accounts or {},
    )


def media_item(*, media_type: str = "audio", data: bytes | None = None) -> MediaItem:
    data = data or make_wav(seconds=0.2, frequency=200 + next(_seq))
    sha = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(f"media/{sha[:2]}/{sha}", ContentFile(data))
    mime = {"audio": "audio/wav", "image": "image/png", "video": "video/mp4"}[media_type]
    return MediaItem.objects.create(
        sha256=sha, media_type=media_type, mime_type=mime, size_bytes=len(data), file=stored
    )


def platform():
    from integrations.platforms.models import Platform
    from integrations.platforms.services import platform_create

    existing = Platform.objects.filter(slug="videoshare").first()
    return existing or platform_create(slug="videoshare")[0]


def case(
    *,
    countries: list[str] | None = None,
    media_type: str = "audio",
    text: str = "",
    language: str = "",
    subjects: list[str] | None = None,
    disclosure: dict | None = None,
    reason: str = "synthetic_media",
    source: str = "user_report",
    views: int = 0,
    shares: int = 0,
    at: datetime | None = None,
    author: dict | None = None,
) -> Case:
    """A live case with stored media and one submission, as ingestion leaves it."""
    countries = countries if countries is not None else ["SK"]
    item = media_item(media_type=media_type)
    c = Case.objects.create(
        media_item=item,
        audience_countries=sorted(countries),
        audience_key=",".join(sorted(countries)),
        status="checking",
    )
    sub = Submission.objects.create(
        platform=platform(),
        content_id=f"post-{next(_seq)}",
        text=text,
        language=language,
        subjects=subjects or [],
        creator_disclosure=disclosure,
        author=author,
        report_source=source,
        report_reason=reason,
        audience_countries=countries,
        views=views,
        shares=shares,
        reach_window_minutes=60 if views or shares else None,
        case=c,
        state="processed",
    )
    SubmissionMedia.objects.create(
        submission=sub, position=0, case=c, state=MediaFetchState.STORED, media_item=item
    )
    if views or shares:
        ReachSample.objects.create(
            case=c, submission=sub, at=at or datetime.now().astimezone(), views=views, shares=shares,
            window_minutes=60, case_views=views, case_shares=shares,
        )  # fmt: skip
    return c


def verdict(c: Case, label: str, *, confidence: float = 0.9, reasons: list[str] | None = None) -> Verdict:
    run = CheckRun.objects.create(media_item=c.media_item)
    return Verdict.objects.create(
        run=run,
        media_item=c.media_item,
        label=label,
        confidence=confidence,
        reasons=reasons or [f"test evidence for {label}"],
    )
