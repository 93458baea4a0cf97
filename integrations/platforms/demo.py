"""Demo data: the PAI case study's three cases, replayed through the real services.

No detector vendor is reachable from a first-look installation, and none is faked. The verdicts
come from the real checks instead: the demo registers each clip in a "known synthetic" fingerprint
bank first (what a fact-checker sharing hashes of known deepfakes does), so the real fingerprint
check matches it and fusion says `likely_synthetic`. The clips are tone sequences generated here
with the `wave` module (no text-to-speech needed), standing in for the recordings.

Because the 2023 Slovak silence window is long past, the demo adds one clearly named demo window
for Slovakia around the moment it runs ("Demo: …, not a real election"), unless a Slovak window
is already in force. Everything is idempotent: the events have fixed ids, so a second run changes
nothing.
"""

from __future__ import annotations

import io
import math
import random
import struct
import tempfile
import wave
from datetime import date, time, timedelta
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from elections.models import AuthorizedLikeness, Country, Election, Person, SilenceWindow
from integrations.platforms.models import Platform
from integrations.platforms.serializers import Event
from integrations.platforms.services import platform_create
from triage.evidence.banks.services import bank_add_file, bank_get_or_create
from triage.evidence.selectors import NO_DETECTOR_WARNING, detectors_configured
from triage.intake.ingest import submission_ingest

DEMO_PLATFORM = "demo-platform"
DEMO_BANK = "demo-known-synthetic"
DEMO_ELECTION = "Demo: silence window for the Slovakia scenario (not a real election)"

SCENARIOS = [
    {
        "key": "sk",
        "seed": 2023_09_28,
        "country": "SK",
        "person": ("Michal Šimečka", ["Michal Simecka", "Šimečka"]),
        "content": {
            "text": "Nahrávka: Michal Šimečka o kupovaní hlasov",
            "language": "sk",
            "subjects": ["Michal Šimečka"],
        },
        "report": {"source": "trusted_flagger", "reason": "election_misinformation", "note": "demo"},
    },
    {
        "key": "pk",
        "seed": 2023_12_17,
        "country": "PK",
        "person": ("Imran Khan", ["عمران خان"]),
        "likeness": date(2023, 12, 1),
        # The party's own account on the demo platform: consent covers its uploads only.
        "likeness_accounts": ["pti-official-demo"],
        "content": {
            "text": "عمران خان کا پیغام",
            "language": "ur",
            "subjects": ["Imran Khan"],
            "author": {"id": "demo-4711", "handle": "pti-official-demo"},
            "creator_disclosure": {
                "ai_label": True,
                "text": "AI-generated voice of Imran Khan",
                "language": "en",
            },
        },
        "report": {"source": "user_report", "reason": "synthetic_media", "note": "demo"},
    },
    {
        "key": "us",
        "seed": 2024_01_21,
        "country": "US",
        "person": ("Joe Biden", []),
        "content": {"text": "Robocall recording", "language": "en", "subjects": ["Joe Biden"]},
        "report": {"source": "trusted_flagger", "reason": "voter_suppression", "note": "demo"},
    },
]


def demo_clip(*, seed: int, seconds: float = 6.0, rate: int = 16000) -> bytes:
    """A WAV of random tone steps in the telephone band: distinct per seed, rich in spectral peaks."""
    rng = random.Random(seed)
    frames = bytearray()
    step = int(0.12 * rate)
    for _ in range(int(seconds * rate / step)):
        f1, f2 = rng.uniform(350, 3300), rng.uniform(350, 3300)
        for i in range(step):
            t = i / rate
            value = 0.45 * math.sin(2 * math.pi * f1 * t) + 0.3 * math.sin(2 * math.pi * f2 * t)
            frames += struct.pack("<h", int(12000 * value))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def _demo_silence_window(stdout) -> None:

    now = timezone.now()
    if SilenceWindow.objects.filter(country_id="SK", start__lte=now, end__gt=now).exists():
        return
    country = Country.objects.filter(pk="SK").first()
    if country is None:
        stdout.write("  no Slovakia in the calendar: the Slovak demo case will not be in a silence window")
        return
    election = Election.objects.filter(name=DEMO_ELECTION).first()
    if election is None:
        election = Election.objects.create(
            country=country,
            name=DEMO_ELECTION,
            kind="parliamentary",
            voting_days=[(now + timedelta(days=2)).date().isoformat()],
            polls_open=time(7),
            polls_close=time(22),
            polls_time_zone="Europe/Bratislava",
            notes="Created by demo_setup so the Slovakia scenario falls in a silence window. Delete it "
            "before real use.",
        )
    # The calendar materializes windows from the country's rule; the demo wants one in force now.
    SilenceWindow.objects.filter(election=election).delete()
    start, end = now - timedelta(hours=1), now + timedelta(hours=47)
    SilenceWindow.objects.create(
        election=election,
        country=country,
        time_zone="Europe/Bratislava",
        scope="full",
        covers_online="yes",
        computed_start=start,
        computed_end=end,
        start=start,
        end=end,
    )
    stdout.write(f"  demo silence window for SK until {end:%Y-%m-%d %H:%M} UTC ({DEMO_ELECTION})")


def _person(name: str, aliases: list[str], country: str):

    if not Country.objects.filter(pk=country).exists():
        return None
    person, _ = Person.objects.get_or_create(name=name, country_id=country, defaults={"aliases": aliases})
    return person


def demo_case_study(stdout) -> None:
    """Seed the Slovakia, Pakistan and United States cases (idempotent)."""

    stdout.write("Case study scenarios (docs/policy.md):")
    demo_detector_warning(stdout)
    platform = Platform.objects.filter(slug=DEMO_PLATFORM).first()
    if platform is None:
        platform, _secret = platform_create(slug=DEMO_PLATFORM, name="Demo platform")
    bank = bank_get_or_create(name=DEMO_BANK, purpose="synthetic")
    _demo_silence_window(stdout)

    for scenario in SCENARIOS:
        clip = demo_clip(seed=scenario["seed"])
        person = _person(*scenario["person"], scenario["country"])
        if person is not None and scenario.get("likeness"):
            likeness, _ = AuthorizedLikeness.objects.get_or_create(
                person=person,
                kind="voice",
                defaults={
                    "declared_by": "the person's party (demo data)",
                    "evidence_url": "https://example.org/demo-authorized-ai-voice",
                    "valid_from": scenario["likeness"],
                    "notes": "demo data",
                },
            )
            accounts = dict(likeness.accounts or {})
            declared = accounts.get(DEMO_PLATFORM) or []
            missing = [a for a in scenario.get("likeness_accounts", []) if a not in declared]
            if missing:
                accounts[DEMO_PLATFORM] = declared + missing
                likeness.accounts = accounts
                likeness.save(update_fields=["accounts"])
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"demo-{scenario['key']}.wav"
            path.write_bytes(clip)
            bank_add_file(bank=bank, path=path, notes="demo: registered as known synthetic by demo_setup")
        event = {
            "event_id": f"demo-{scenario['key']}-1",
            "content": {
                "id": f"demo-{scenario['key']}",
                "media": [{"file": "clip", "media_type": "audio"}],
                **scenario["content"],
            },
            "report": scenario["report"],
            "audience": {"countries": [scenario["country"]], "regions": []},
            "reach": {"views": 1200, "shares": 300, "window_minutes": 60},
        }
        files = {"clip": SimpleUploadedFile(f"demo-{scenario['key']}.wav", clip, content_type="audio/wav")}
        serializer = Event(data=event, context={"files": files})
        serializer.is_valid(raise_exception=True)
        result = submission_ingest(platform=platform, event=serializer.validated_data, inline_files=files)
        state = "already there" if result.duplicate else "reported"
        stdout.write(f"  {scenario['country']}: case {result.case_id} {state}")


def demo_detector_warning(stdout) -> bool:
    """Say loudly when no detector is configured (the demo's verdicts then rest on banks only)."""

    if detectors_configured():
        return False
    line = "!" * 78
    stdout.write(f"{line}\n  WARNING: {NO_DETECTOR_WARNING}\n{line}")
    return True
