"""Fact-checked media as its own signal (issue 11): recorded reviews and debunked-bank matches."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tests.policy import factories
from triage.audit.models import AuditEvent
from triage.decisions.fact_checked import case_fact_check_record
from triage.decisions.models import FactCheck
from triage.decisions.services import case_decide_by_policy
from triage.evidence.models import CheckResult

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]

REVIEW = {
    "rating": "false",
    "fact_checker": "AFP Fact Check",
    "published_at": "2023-09-29",
    "url": "https://factcheck.afp.com/doc.afp.com.33WY9LF",
}


def by_type(decision):
    return {a["type"]: a for a in decision.actions}


def test_a_recorded_rating_becomes_its_own_label_naming_the_fact_checker_with_the_link():
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, "no_signal")
    record = case_fact_check_record(case_id=case.pk, recorded_by="partner: AFP", **REVIEW)

    decision = case_decide_by_policy(case_id=case.pk, trigger="fact_check_recorded")

    label = by_type(decision)["label"]
    assert label["kind"] == "disputed_by_fact_checkers"
    assert label["fact_checkers"] == ["AFP Fact Check"] and label["link"] == REVIEW["url"]
    assert label["text"] == (
        "Disputed by independent fact-checkers. Reviewed by AFP Fact Check. " + REVIEW["url"]
    )
    assert decision.verdict["label"] == "no_signal"  # the verdict label stays (a contract)
    assert decision.verdict["fact_checks"] == [
        {**REVIEW, "published_at": "2023-09-29T00:00:00+00:00", "source": "recorded"}
    ]
    assert AuditEvent.objects.filter(action="case.fact_check_recorded", case=case).exists()
    assert record.rating == "false"


def test_recording_the_same_review_twice_updates_it():
    case = factories.case(countries=["US"], language="en")
    case_fact_check_record(case_id=case.pk, **REVIEW)
    case_fact_check_record(case_id=case.pk, **{**REVIEW, "rating": "manipulated"})

    assert list(FactCheck.objects.filter(case=case).values_list("rating", flat=True)) == ["manipulated"]


def test_a_merged_case_review_goes_to_the_live_case():
    live = factories.case(countries=["US"])
    merged = factories.case(countries=["US"])
    merged.merged_into = live
    merged.save(update_fields=["merged_into"])

    record = case_fact_check_record(case_id=merged.pk, **REVIEW)

    assert record.case_id == live.pk


def test_bad_input_is_refused_field_by_field():
    with pytest.raises(ValidationError) as caught:
        case_fact_check_record(
            case_id=10**9, rating="mostly true", fact_checker=" ", published_at="yesterday", url="ftp://x"
        )

    assert set(caught.value.message_dict) == {"case_id", "rating", "fact_checker", "published_at", "url"}


def test_the_case_is_re_decided_once_the_record_commits(django_capture_on_commit_callbacks):
    case = factories.case(countries=["US"], language="en")
    with django_capture_on_commit_callbacks() as callbacks:
        case_fact_check_record(case_id=case.pk, **REVIEW)

    assert len(callbacks) == 1


def test_in_a_silence_window_fact_checked_media_is_held_and_voter_suppression_escalated():
    now = timezone.now()
    factories.silence_window(code="SK", start=now - timedelta(hours=1), end=now + timedelta(hours=30))
    case = factories.case(countries=["SK"], language="sk", reason="voter_suppression")
    factories.verdict(case, "uncertain")
    with transaction.atomic():
        case_fact_check_record(case_id=case.pk, **REVIEW)

    decision = case_decide_by_policy(case_id=case.pk, trigger="fact_check_recorded", at=now)

    assert [a["type"] for a in decision.actions] == ["removal_hold", "label", "escalate"]
    assert by_type(decision)["label"]["kind"] == "disputed_by_fact_checkers"
    assert by_type(decision)["label"]["language"] == "sk"
    assert decision.matched_rules[:2] == [
        "silence_hold_fact_checked",
        "escalate_voter_suppression_fact_checked",
    ]


def test_a_debunked_bank_match_carries_its_fact_check_into_the_decision():
    case = factories.case(countries=["US"], language="en")
    verdict = factories.verdict(case, "uncertain", reasons=["Matches previously debunked media"])
    result = CheckResult.objects.create(
        media_item=case.media_item, kind="fingerprint", version="1", state="done",
        evidence={"matches": [{"bank": "afp-debunked", "purpose": "debunked", "distance": 2,
                               "item": {"sha256": "ab" * 32, "original_name": "x.wav",
                                        "fact_check": {"fact_checker": "AFP Fact Check",
                                                       "url": REVIEW["url"]}}}]},
    )  # fmt: skip
    verdict.run.results.add(result)

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict")

    assert by_type(decision)["label"]["kind"] == "disputed_by_fact_checkers"
    assert decision.verdict["fact_checks"][0]["source"] == "bank:afp-debunked"
    assert decision.verdict["fact_checks"][0]["rating"] == "false"


def test_the_fact_check_label_in_urdu_isolates_the_names_and_the_link():
    from triage.decisions.labels import label_render

    rendered = label_render(
        kind="disputed_by_fact_checkers",
        language="ur",
        fact_checked={"who": ["AFP Fact Check"], "link": REVIEW["url"]},
    )

    assert rendered.rtl and rendered.language == "ur"
    assert "\u2068AFP Fact Check\u2069" in rendered.text
    assert rendered.text.endswith(f"\u2068{REVIEW['url']}\u2069")
