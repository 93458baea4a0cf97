"""A decision about Urdu audio reaches the platform with the disclosure to play, in Urdu, and says
plainly when the label is an unreviewed draft."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from integrations.platforms.contract import decision_body
from tests.kit.policy import default_policy  # noqa: F401 - the fixture
from tests.labels.test_spoken_audio import decode
from tests.policy import factories
from triage.decisions.models import PolicyStatus, PolicyVersion
from triage.decisions.services import case_decide_by_policy

pytestmark = pytest.mark.usefixtures("default_policy")


def pakistan_case():
    khan = factories.person("Imran Khan", code="PK")
    factories.authorized_voice(khan, valid_from=date(2023, 12, 1))
    case = factories.case(
        countries=["PK"],
        language="ur",
        subjects=["Imran Khan"],
        disclosure={"ai_label": True, "text": "AI-generated voice", "language": "en"},
    )
    factories.verdict(case, "likely_synthetic")
    return case


def test_the_callback_label_carries_a_playable_urdu_disclosure_and_keeps_its_fields(settings):
    settings.PUBLIC_BASE_URL = "https://moratorium.example"
    decision = case_decide_by_policy(case_id=pakistan_case().pk, trigger="verdict", at=timezone.now())

    label = next(a for a in decision_body(decision=decision)["actions"] if a["type"] == "label")

    stored = next(a for a in decision.actions if a["type"] == "label")
    assert {k: v for k, v in label.items() if k != "audio_disclosure_url"} == stored
    assert {"kind", "language", "text", "audio_disclosure_script"} <= set(label)
    assert "audio_disclosure_url" not in stored  # it expires: added when the body is built
    assert label["audio_disclosure_language"] == "ur"
    response = Client().get(label["audio_disclosure_url"].removeprefix("https://moratorium.example"))
    samples, rate = decode(b"".join(response.streaming_content))
    assert len(samples) / rate > 3


def test_an_unreviewed_draft_is_said_plainly_in_the_decision():
    decision = case_decide_by_policy(case_id=pakistan_case().pk, trigger="verdict", at=timezone.now())

    label = next(a for a in decision.actions if a["type"] == "label")
    assert label["needs_native_review"] is True
    assert "label text in ur is an unreviewed draft: no native speaker has checked it yet" in decision.notes


def test_a_policy_that_shows_only_reviewed_urdu_labels_in_english_and_says_why():
    policy = PolicyVersion.objects.get(status=PolicyStatus.ACTIVE)
    PolicyVersion.objects.filter(pk=policy.pk).update(rules={**policy.rules, "label_drafts": {"ur": False}})

    decision = case_decide_by_policy(case_id=pakistan_case().pk, trigger="verdict", at=timezone.now())

    label = next(a for a in decision.actions if a["type"] == "label")
    assert (label["language"], label.get("fallback")) == ("en", True)
    assert any("the policy shows only reviewed ur texts" in note for note in decision.notes)


def test_the_urdu_label_and_voice_name_him_in_urdu_script_when_the_registry_has_it():
    khan = factories.person("Imran Khan", code="PK", aliases=["عمران خان", "IK"])
    factories.authorized_voice(khan, valid_from=date(2023, 12, 1))
    case = factories.case(
        countries=["PK"],
        language="ur",
        subjects=["Imran Khan"],
        disclosure={"ai_label": True, "language": "ur"},
    )
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=timezone.now())

    label = next(a for a in decision.actions if a["type"] == "label")
    # Both the label and its spoken script write the name in the label's script (issue 11).
    assert "عمران خان" in label["text"] and "Imran" not in label["text"]
    assert "عمران خان" in label["audio_disclosure_script"] and "Imran" not in label["audio_disclosure_script"]
