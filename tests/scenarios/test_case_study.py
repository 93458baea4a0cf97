"""The PAI case study's three cases, end to end: the real webhook, a worker, a loopback vendor.

Each scenario posts a signed event naming a real speech recording on a loopback media server; the
worker fetches and stores it, runs the checks (the loopback detector answers at once), fuses a
verdict, and the policy decides. The tests only read the decision the worker wrote.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta

import pytest
from django.utils import timezone

from integrations.platforms.services import platform_create
from tests.ingestion.helpers import post_signed, sample_event
from tests.kit.worker import poll
from tests.policy import factories
from triage.decisions.models import Decision
from triage.decisions.selectors import cases_review_queue
from triage.models import Case

from .media import speech_wav, telephone_band

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker_process", "default_policy"),
]


@pytest.fixture
def platform(db):
    return platform_create(slug="videoshare", allow_private_fetch=True)


def report(client, platform, media_server, *, event_id: str, wav: bytes, **content) -> int:
    """Post a signed event for a recording served on loopback; return the case id the webhook gave."""
    url = media_server.add(f"/{event_id}.wav", wav, content_type="audio/wav")
    event = sample_event(event_id, content_id=f"post-{event_id}", media_url=url, **content.pop("event", {}))
    event["content"].update(content.pop("content", {}))
    event.update(content)
    answer = post_signed(client, platform[0], platform[1], event)
    assert answer.status_code in (200, 201, 202), answer.content
    return answer.json()["case_id"]


def decision_of(case_id: int, *, timeout: float = 90) -> Decision:
    def current():
        case = Case.objects.filter(pk=case_id).first()
        live = case.merged_into_id if case and case.merged_into_id else case_id
        return Decision.objects.filter(case_id=live, is_current=True).first()

    return poll(current, timeout=timeout, message=f"a decision on case {case_id}")


def by_type(decision: Decision) -> dict:
    return {a["type"]: a for a in decision.actions}


def test_slovakia_undisclosed_synthetic_audio_in_the_silence_is_held(
    client, platform, media_server, detector_vendor, tmp_path
):
    now = timezone.now()
    factories.silence_window(code="SK", start=now - timedelta(hours=3), end=now + timedelta(hours=45))
    factories.person("Michal Šimečka", code="SK", aliases=["Šimečka"])
    factories.person("Ivan Korčok", code="SK")
    other = factories.case(countries=["US"], language="en")  # an older, merely uncertain case
    factories.verdict(other, "uncertain")
    from triage.decisions.services import case_decide_by_policy

    case_decide_by_policy(case_id=other.pk, trigger="verdict")
    wav = speech_wav(
        tmp_path, voice="sk", name="sk",
        text="Michal Šimečka: voľby sme už vyhrali, kúpili sme hlasy v rómskych osadách.",
    )  # fmt: skip

    case_id = report(
        client, platform, media_server, event_id="sk-1", wav=wav,
        content={"language": "sk", "subjects": ["Michal Šimečka"], "creator_disclosure": None,
                 "text": "Nahrávka Šimečku o kupovaní hlasov"},
    )  # fmt: skip
    decision = decision_of(case_id)

    assert decision.verdict["label"] == "likely_synthetic"
    assert hashlib.sha256(wav).hexdigest() in detector_vendor.seen
    assert decision.actions[0]["type"] == "removal_hold"
    assert decision.hold_reason == "silence"
    assert timedelta(minutes=25) < decision.review_deadline - now < timedelta(minutes=40)
    assert (decision.phase, decision.phase_reason["country"]) == ("silence", "SK")
    label = by_type(decision)["label"]
    assert (label["kind"], label["language"]) == ("likely_ai_generated", "sk")
    assert label["audio_disclosure_script"]
    assert "Michal Šimečka" in label["text"]
    assert cases_review_queue().first().pk == decision.case_id


def test_pakistan_authorized_ai_voice_disclosed_in_english_gets_an_urdu_disclosed_label(
    client, platform, media_server, detector_vendor, tmp_path
):
    khan = factories.person("Imran Khan", code="PK", aliases=["عمران خان"])
    # The party declared the voice, and its own account uploads it (consent is bound to it).
    factories.authorized_voice(khan, valid_from=date(2023, 12, 1), accounts={"videoshare": ["pti-official"]})
    wav = speech_wav(tmp_path, voice="ur", name="ur", text="میں عمران خان ہوں۔ ہم نے انتخاب جیت لیا ہے۔")

    case_id = report(
        client, platform, media_server, event_id="pk-1", wav=wav,
        content={"language": "ur", "subjects": ["Imran Khan"], "text": "عمران خان کا پیغام",
                 "author": {"id": "7001", "handle": "pti-official"},
                 "creator_disclosure": {"ai_label": True, "text": "AI-generated voice of Imran Khan",
                                        "language": "en"}},
        audience={"countries": ["PK"], "regions": []},
    )  # fmt: skip
    decision = decision_of(case_id)

    assert set(by_type(decision)) == {"label"}
    label = by_type(decision)["label"]
    assert (label["kind"], label["language"]) == ("ai_generated_disclosed", "ur")
    assert label["audio_disclosure_script"] and not label["audio_disclosure_script"].isascii()
    assert "creator disclosure in en, content in ur" in decision.notes
    assert decision.hold_reason == ""

    # The platform later reports the overlay was removed (no disclosure any more): re-decided.
    update = sample_event(
        "pk-2", content_id="post-pk-1", media_url=media_server.url("/pk-1.wav"), countries=["PK"]
    )
    update["content"].update(
        {"language": "ur", "subjects": ["Imran Khan"], "creator_disclosure": {"ai_label": False}}
    )
    assert post_signed(client, platform[0], platform[1], update).status_code in (200, 202)
    redecided = poll(
        lambda: (
            Decision.objects.filter(case_id=decision.case_id, is_current=True).exclude(pk=decision.pk).first()
        ),
        timeout=60,
        message="a new decision after the update",
    )
    assert by_type(redecided)["label"]["kind"] == "likely_ai_generated"
    assert redecided.supersedes_id == decision.pk


def test_us_robocall_cloned_voice_is_labelled_in_english_and_escalated_for_voter_suppression(
    client, platform, media_server, detector_vendor, tmp_path
):
    factories.person("Joe Biden", code="US")
    voice = speech_wav(
        tmp_path, voice="en-us", name="en",
        text="What a bunch of malarkey. Save your vote for November. Voting this Tuesday only helps them.",
    )  # fmt: skip
    wav = telephone_band(tmp_path, voice, name="robocall")

    case_id = report(
        client, platform, media_server, event_id="us-1", wav=wav,
        content={"language": "en", "subjects": ["Joe Biden"], "creator_disclosure": None,
                 "text": "Robocall recording"},
        report={"source": "trusted_flagger", "reason": "voter_suppression", "note": "robocall"},
        audience={"countries": ["US"], "regions": ["US-NH"]},
    )  # fmt: skip
    decision = decision_of(case_id)

    actions = by_type(decision)
    assert set(actions) == {"label", "escalate"}
    assert (actions["label"]["kind"], actions["label"]["language"]) == ("likely_ai_generated", "en")
    assert actions["escalate"]["reason"] == "voter_suppression"
    assert decision.phase != "silence"


def test_satire_outside_silence_is_only_labelled_and_uncertain_goes_to_review(
    client, platform, media_server, detector_vendor, tmp_path
):
    factories.person("Joe Biden", code="US")
    satire = speech_wav(
        tmp_path, voice="en-us", name="satire", text="Hello, this is a parody of the president."
    )
    murky = speech_wav(tmp_path, voice="en-us", name="murky", text="A recording nobody can place.")
    detector_vendor.scores[hashlib.sha256(murky).hexdigest()] = 0.45  # unsure: below threshold

    satire_case = report(
        client, platform, media_server, event_id="satire-1", wav=satire,
        content={"language": "en", "subjects": ["Joe Biden"],
                 "creator_disclosure": {"ai_label": False, "satire": True, "language": "en"}},
        audience={"countries": ["US"], "regions": []},
    )  # fmt: skip
    murky_case = report(
        client, platform, media_server, event_id="murky-1", wav=murky,
        content={"language": "en", "subjects": [], "creator_disclosure": None},
        audience={"countries": ["US"], "regions": []},
    )  # fmt: skip

    labelled = decision_of(satire_case)
    assert [(a["type"], a.get("kind")) for a in labelled.actions] == [("label", "likely_ai_generated")]
    assert labelled.matched_rules == ["satire_likely_synthetic"]
    reviewed = decision_of(murky_case)
    assert reviewed.verdict["label"] == "uncertain"
    assert [(a["type"], a.get("kind")) for a in reviewed.actions] == [("label", "unverified")]
    assert Case.objects.get(pk=reviewed.case_id).status == "awaiting_review"


def test_a_recording_in_the_authentic_bank_is_never_labelled_ai_even_when_a_detector_says_so(
    client, platform, media_server, detector_vendor, tmp_path
):
    from triage.evidence.banks.services import bank_add_file, bank_get_or_create

    factories.person("Joe Biden", code="US")
    official = speech_wav(
        tmp_path,
        voice="en-us",
        name="official",
        text="This is the official recording of the address tonight.",
    )
    path = tmp_path / "official-address.wav"
    path.write_bytes(official)
    bank_add_file(bank=bank_get_or_create(name="official-recordings", purpose="authentic"), path=path)

    case_id = report(
        client, platform, media_server, event_id="real-1", wav=official,
        content={"language": "en", "subjects": ["Joe Biden"], "creator_disclosure": None},
        report={"source": "user_report", "reason": "synthetic_media", "note": "this is a deepfake"},
        audience={"countries": ["US"], "regions": []},
    )  # fmt: skip
    decision = decision_of(case_id)

    assert decision.verdict["label"] == "authentic_evidence"
    assert decision.action_types() == ["no_action"]
    assert decision.review_deadline is not None
    assert Case.objects.get(pk=decision.case_id).status == "awaiting_review"
