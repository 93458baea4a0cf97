"""The calendar side of the test kit: an empty calendar, a Slovak silence window, cases with audiences.

The seed migration loads a real calendar into every database; tests that watch windows transition
start from an empty one (`empty_calendar`, made autouse by their folder's conftest) so only the
windows they create can transition.
"""

import secrets
from datetime import UTC, date, datetime, time, timedelta

import pytest

from elections.models import Country, Election, Person, SilenceRule
from elections.services import election_create, silence_rule_save
from integrations.platforms.models import Platform
from integrations.platforms.services import platform_create
from triage.decisions.models import WindowTransition
from triage.evidence.models import CheckRun, Verdict
from triage.models import Case, CaseStatus, MediaItem, Submission, SubmissionMedia

# Slovakia votes 30 September 2030, 07:00-22:00 Bratislava time (CEST, UTC+2); silence from
# 48 hours before polls open: 28 September 05:00 UTC to 30 September 20:00 UTC.
SK_OPENS = datetime(2030, 9, 28, 5, tzinfo=UTC)
SK_CLOSES = datetime(2030, 9, 30, 20, tzinfo=UTC)
IN_SILENCE = SK_OPENS + timedelta(hours=1)


@pytest.fixture
def empty_calendar(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is None and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    request.getfixturevalue("transactional_db" if marker and marker.kwargs.get("transaction") else "db")
    WindowTransition.objects.all().delete()
    Election.objects.all().delete()
    SilenceRule.objects.all().delete()


def _country(code: str, zones: list[str]) -> None:
    Country.objects.update_or_create(
        code=code, defaults={"name": code, "time_zones": zones, "languages": [], "no_silence_note": ""}
    )
    silence_rule_save(
        country=code,
        start_mode="hours_before_polls_open",
        start_hours=48,
        start_clock="elapsed",
        end_mode="polls_close",
        source_urls=["https://example.org/law"],
    )


@pytest.fixture
def slovak_election():
    """Return the 2030 Slovak election, whose one window runs SK_OPENS to SK_CLOSES."""
    _country("SK", ["Europe/Bratislava"])
    election = election_create(
        country="SK",
        name="2030 Slovak parliamentary election",
        kind="parliamentary",
        voting_days=[date(2030, 9, 30)],
        polls_open=time(7),
        polls_close=time(22),
    )
    window = election.windows.get()
    assert (window.start, window.end) == (SK_OPENS, SK_CLOSES)
    return election


@pytest.fixture
def indian_phase_election():
    """Return a two-phase Indian election: phase 1 votes in Tamil Nadu, phase 2 in Kerala."""
    _country("IN", ["Asia/Kolkata"])
    return election_create(
        country="IN",
        name="2029 Indian general election",
        kind="general",
        voting_days=[date(2029, 4, 19), date(2029, 4, 26)],
        polls_open=time(7),
        polls_close=time(18),
        phases=[
            {"number": 1, "voting_days": [date(2029, 4, 19)], "regions": ["IN-TN"]},
            {"number": 2, "voting_days": [date(2029, 4, 26)], "regions": ["IN-KL"]},
        ],
    )


def make_case(*countries: str, regions: list[str] | None = None, status: str = CaseStatus.NEW) -> Case:
    """Create a live case whose audience is `countries` (and `regions`)."""
    codes = sorted(countries)
    return Case.objects.create(
        audience_countries=codes, audience_regions=regions or [], audience_key=",".join(codes), status=status
    )


@pytest.fixture
def active_policy():
    """Return the active policy: the shipped default (loaded by migration, or created after a flush)."""
    from triage.decisions.default import DEFAULT_RULES
    from triage.decisions.selectors import policy_active
    from triage.decisions.services import policy_activate, policy_draft_create

    policy = policy_active()
    if policy is None:
        draft = policy_draft_create(rules=DEFAULT_RULES, description="default")
        policy = policy_activate(policy_version_id=draft.pk)
    return policy


@pytest.fixture
def party_leader():
    """Return a registered Slovak party leader (no authorized likeness)."""
    if not Country.objects.filter(code="SK").exists():
        _country("SK", ["Europe/Bratislava"])
    return Person.objects.get_or_create(name="Michal Šimečka", country_id="SK", defaults={"party": "PS"})[0]


def make_reported_case(
    country: str, *, verdict: str = "likely_synthetic", subject: str = "Michal Šimečka"
) -> Case:
    """Create a case the way ingestion and checks leave it: stored audio, a platform's report, a verdict."""
    codes = [country]
    platform = Platform.objects.filter(slug="vidshare").first() or platform_create(slug="vidshare")[0]
    media = MediaItem.objects.create(
        sha256=secrets.token_hex(32), media_type="audio", mime_type="audio/mpeg", size_bytes=1000
    )
    case = Case.objects.create(
        media_item=media, audience_countries=codes, audience_key=country, status=CaseStatus.CHECKING
    )
    submission = Submission.objects.create(
        platform=platform,
        content_id=f"post-{media.sha256[:10]}",
        subjects=[subject],
        report_source="user_report",
        report_reason="synthetic_media",
        audience_countries=codes,
        case=case,
        state="processed",
    )
    SubmissionMedia.objects.create(
        submission=submission, position=0, case=case, state="stored", media_item=media
    )
    run = CheckRun.objects.create(media_item=media)
    Verdict.objects.create(
        run=run, media_item=media, label=verdict, confidence=0.9, reasons=["detector: 0.9"]
    )
    return case


@pytest.fixture
def held_case(slovak_election, active_policy, party_leader):
    """A Slovak deepfake decided in the silence window: removal hold + likely-AI label."""
    from triage.decisions.services import case_decide_by_policy

    case = make_reported_case("SK")
    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=IN_SILENCE)
    assert "removal_hold" in decision.action_types()
    return case
