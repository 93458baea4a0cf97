"""The scenario table (tests/scenarios/table.py) end to end, one test per row.

Each row's recording is made with espeak-ng and served on loopback; a signed event goes through
the real webhook; the real worker fetches, stores and checks it (the loopback detector vendor
answers when the row configures one, else no detector exists); the active default policy decides;
and the decision callback a loopback platform server receives must be the one the row names. The
row's `v1` is version 1 of the default policy evaluated on the same inputs (the shadow run).
"""

from __future__ import annotations

import hashlib
import struct
from datetime import timedelta

import pytest
from django.utils import timezone

from elections.models import AuthorizedLikeness, Country, SilenceWindow
from integrations.platforms.services import platform_create
from tests.ingestion.helpers import post_signed, sample_event
from tests.kit.callbacks import PlatformServer
from tests.kit.worker import poll
from tests.policy import factories
from triage.decisions.models import Decision
from triage.models import Case

from .detector import DetectorVendor
from .media import speech_wav
from .table import SCENARIOS, Scenario, action_summary, brief

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker_process", "default_policy"),
]

COUNTRIES = {
    "SK": ("Slovakia", ["Europe/Bratislava"], ["sk"]),
    "PK": ("Pakistan", ["Asia/Karachi"], ["ur", "en"]),
    "US": ("United States", ["America/New_York"], ["en"]),
    "IT": ("Italy", ["Europe/Rome"], ["it"]),
}
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"


def forged_ai_tag(wav: bytes) -> bytes:
    """Append an XMP chunk declaring trainedAlgorithmicMedia: what anyone can write into a file."""
    xmp = (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"><rdf:Description rdf:about="">'
        f"<Iptc4xmpExt:DigitalSourceType>{IPTC}trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>"
        '</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
    ).encode()
    chunk = b"_PMX" + struct.pack("<I", len(xmp)) + xmp + (b"\x00" if len(xmp) % 2 else b"")
    body = wav[8:] + chunk
    return b"RIFF" + struct.pack("<I", len(body)) + body


@pytest.fixture
def platform_server():
    server = PlatformServer()
    server.start()
    yield server
    server.close()


def _world(scenario: Scenario, tmp_path, wav: bytes) -> DetectorVendor | None:
    """The calendar, registry, banks and detectors the row describes, as an operator would set them."""
    for code in {*scenario.audience, *scenario.silence, *(p[1] for p in scenario.people)}:
        name, zones, languages = COUNTRIES[code]
        Country.objects.get_or_create(
            code=code, defaults={"name": name, "time_zones": zones, "languages": languages}
        )
    now = timezone.now()
    for code, covers in scenario.silence.items():
        window = factories.silence_window(
            code=code, start=now - timedelta(hours=3), end=now + timedelta(hours=40)
        )
        SilenceWindow.objects.filter(pk=window.pk).update(covers_online=covers)
    people = {
        name: factories.person(name, code=code, aliases=list(aliases))
        for name, code, aliases in scenario.people
    }
    if scenario.likeness:
        name, accounts = scenario.likeness
        voice = factories.authorized_voice(people[name], valid_from=(now - timedelta(days=60)).date())
        AuthorizedLikeness.objects.filter(pk=voice.pk).update(accounts=accounts)
    if scenario.bank:
        from triage.evidence.banks.services import bank_add_file, bank_get_or_create

        original = tmp_path / "original.wav"
        original.write_bytes(wav)
        item = bank_add_file(
            bank=bank_get_or_create(name=f"{scenario.bank}-bank", purpose=scenario.bank), path=original
        )
        if scenario.bank_fact_check:
            item.metadata = {**(item.metadata or {}), "fact_check": scenario.bank_fact_check}
            item.save(update_fields=["metadata", "updated_at"])
    if scenario.detector is None:
        return None
    from triage.evidence.models import DetectorConfig

    vendor = DetectorVendor(default_score=scenario.detector)
    DetectorConfig.objects.create(
        name="loopback-voice", adapter="generic_json", base_url=vendor.url, allow_private=True,
        trusted=True, threshold=0.5, timeout_seconds=10,
    )  # fmt: skip
    return vendor


def _event(scenario: Scenario, url: str, number: int, report: dict) -> dict:
    event = sample_event(f"{scenario.id}-{number}", content_id=f"post-{scenario.id}", media_url=url)
    event["content"].update({"creator_disclosure": None, **scenario.content})
    if event["content"].get("author") is None:
        event["content"].pop("author", None)
    event["report"] = {**report, "note": "scenario"}
    event["audience"] = {"countries": list(scenario.audience), "regions": []}
    event["reach"] = dict(scenario.reach)
    return event


def _observed(case_id: int, platform_server: PlatformServer) -> tuple[Decision | None, dict | None]:
    """The case's current decision and the callback the platform received for it (if any yet)."""
    case = Case.objects.filter(pk=case_id).first()
    live = case.merged_into_id if case and case.merged_into_id else case_id
    decision = Decision.objects.filter(case_id=live, is_current=True).first()
    if decision is None:
        return None, None
    body = next(
        (
            r.body
            for r in reversed(platform_server.received)
            if r.body.get("decision_id") == str(decision.decision_id)
        ),
        None,
    )
    return decision, body


def _matches(scenario: Scenario, body: dict) -> bool:
    expected = scenario.callback
    return (
        [action_summary(a) for a in body["actions"]] == expected.actions
        and (body["verdict"] or {}).get("label") == expected.verdict
        and body["phase"] == expected.phase
    )


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.id for s in SCENARIOS])
def test_the_scenario_produces_its_callback(
    scenario: Scenario, client, platform_server, media_server, tmp_path
):
    wav = speech_wav(tmp_path, voice=scenario.voice, text=scenario.speech, name=scenario.id)
    vendor = _world(scenario, tmp_path, wav)
    posted = forged_ai_tag(wav) if scenario.forge_ai_tag else wav
    platform, secret = platform_create(
        slug="videoshare", callback_url=platform_server.url("/videoshare/decisions"), allow_private_fetch=True
    )
    platform_server.secrets["/videoshare/decisions"] = [secret]
    url = media_server.add(f"/{scenario.id}.wav", posted, content_type="audio/wav")

    try:
        reports = [scenario.report, *scenario.more_reports]
        case_id = None
        for number, report in enumerate(reports, start=1):
            answer = post_signed(client, platform, secret, _event(scenario, url, number, report))
            assert answer.status_code in (200, 201, 202), answer.content
            case_id = case_id or answer.json()["case_id"]
        if scenario.record_fact_check:
            from triage.decisions.fact_checked import case_fact_check_record

            first = poll(
                lambda: _observed(case_id, platform_server)[1], timeout=90, message="a first callback"
            )
            case_fact_check_record(
                case_id=first["case_id"], recorded_by="partner: test", **scenario.record_fact_check
            )

        def settled():
            decision, body = _observed(case_id, platform_server)
            return (decision, body) if body is not None and _matches(scenario, body) else None

        try:
            decision, body = poll(settled, timeout=90, message=f"the callback of {scenario.id}")
        except AssertionError:
            decision, body = _observed(case_id, platform_server)
            assert body is not None, f"no callback for {scenario.id}"
            # Show what the platform got instead of what the row names.
            got = (
                [action_summary(a) for a in body["actions"]],
                (body["verdict"] or {}).get("label"),
                body["phase"],
            )
            assert got == (scenario.callback.actions, scenario.callback.verdict, scenario.callback.phase), (
                decision.matched_rules,
                body["notes"],
            )
            raise
    finally:
        if vendor is not None:
            vendor.close()

    expected = scenario.callback
    assert [action_summary(a) for a in body["actions"]] == expected.actions
    assert decision.matched_rules == expected.rules
    notes = " | ".join(body["notes"])
    for fragment in expected.notes:
        assert fragment in notes
    label = next((a for a in body["actions"] if a["type"] == "label"), None)
    for fragment in expected.text:
        assert fragment in label["text"]
    if expected.covers_online is not None:
        assert body["phase_reason"]["covers_online"] == expected.covers_online
        assert body["phase_reason"]["scope"] == "full"
    reasons = " | ".join((body["verdict"] or {}).get("reasons") or [])
    for fragment in expected.reasons:
        assert fragment in reasons
    if body["verdict"] is not None:
        assert [fc["fact_checker"] for fc in body["verdict"]["fact_checks"]] == list(expected.fact_checkers)
    if expected.review is not None:
        assert (Case.objects.get(pk=decision.case_id).status == "awaiting_review") is expected.review
    if vendor is not None and scenario.detector is not None:
        assert hashlib.sha256(posted).hexdigest() in vendor.seen

    # The shadow run: version 1 of the default policy on the same inputs, now.
    from triage.decisions.default_v1 import DEFAULT_RULES_V1
    from triage.decisions.services import case_policy_inputs, outcome_for

    case = Case.objects.select_related("media_item").get(pk=decision.case_id)
    now = timezone.now()
    old = outcome_for(
        rules=DEFAULT_RULES_V1, inputs=case_policy_inputs(case=case, at=now, trigger="shadow"), at=now
    )
    assert brief(old.actions, old.matched_rules) == scenario.v1
