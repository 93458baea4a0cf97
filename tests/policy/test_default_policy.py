"""The default policy's decisions, case by case (services called directly; tests/scenarios has the
same cases end to end through the webhook and a worker)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.policy import factories
from triage.decisions.labels import audio_disclosure_script
from triage.decisions.services import case_decide_by_policy

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]


def by_type(decision):
    return {a["type"]: a for a in decision.actions}


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def sk_silence(now):
    """In force now, ending when the polls close (22:00 in Bratislava) on voting day, two days on.

    Ending at polls close keeps the hour after it on voting day whatever the time the suite runs:
    later, the election period is over and the policy has something new to say.
    """
    bratislava = ZoneInfo("Europe/Bratislava")
    voting_day = now.astimezone(bratislava).date() + timedelta(days=2)
    polls_close = datetime.combine(voting_day, time(22), tzinfo=bratislava).astimezone(UTC)
    return factories.silence_window(code="SK", start=now - timedelta(hours=2), end=polls_close)


def test_slovak_silence_likely_synthetic_party_leader_is_held_with_a_slovak_label(now, sk_silence):
    factories.person("Michal Šimečka", code="SK")
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Simecka"], text="Počujte")
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    actions = by_type(decision)
    assert decision.actions[0]["type"] == "removal_hold"
    assert decision.review_deadline == now + timedelta(minutes=30)
    assert decision.hold_reason == "silence"
    assert (decision.phase, decision.phase_reason["country"]) == ("silence", "SK")
    assert decision.phase_reason["window_end"] == sk_silence.end.isoformat()
    assert actions["label"]["kind"] == "likely_ai_generated"
    assert actions["label"]["language"] == "sk"
    assert "Michal Šimečka" in actions["label"]["text"]
    english = audio_disclosure_script(kind="likely_ai_generated", language="en", subjects=["Michal Šimečka"])
    assert actions["label"]["audio_disclosure_script"] not in ("", english)
    case.refresh_from_db()
    assert case.status == "awaiting_review"
    assert decision.matched_rules == ["silence_hold_likely_synthetic"]


def test_silence_holds_unconfirmed_media_too_but_only_labels_it_unverified(now, sk_silence):
    factories.person("Michal Šimečka", code="SK")
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])

    pending = case_decide_by_policy(case_id=case.pk, trigger="window_opened", at=now)

    assert pending.verdict is None
    assert by_type(pending)["label"]["kind"] == "unverified"
    assert pending.hold_reason == "silence"


def test_silence_without_a_public_figure_is_not_held(now, sk_silence):
    case = factories.case(countries=["SK"], language="sk", subjects=["a neighbour"])
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert "removal_hold" not in by_type(decision)
    assert by_type(decision)["label"]["kind"] == "likely_ai_generated"


def test_pakistan_authorized_voice_disclosed_in_english_gets_the_urdu_disclosed_label(now):
    khan = factories.person("Imran Khan", code="PK", aliases=["عمران خان"])
    factories.authorized_voice(khan, valid_from=date(2023, 12, 1), accounts={"videoshare": ["pti-official"]})
    case = factories.case(
        countries=["PK"],
        language="ur",
        subjects=["Imran Khan"],
        disclosure={"ai_label": True, "text": "AI-generated voice", "language": "en"},
        author={"id": "7001", "handle": "@PTI-Official"},
    )
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    label = by_type(decision)["label"]
    assert set(by_type(decision)) == {"label"}
    assert (label["kind"], label["language"]) == ("ai_generated_disclosed", "ur")
    # The name in the label's script, from the registry's alias (issue 11).
    assert label["audio_disclosure_script"] == audio_disclosure_script(
        kind="ai_generated_disclosed", language="ur", subjects=["عمران خان"]
    )
    assert "عمران خان" in label["text"] and label["direction"] == "rtl"
    assert decision.matched_rules == ["authorized_likeness_disclosed"]
    assert not label["audio_disclosure_script"].isascii()
    assert "creator disclosure in en, content in ur" in decision.notes
    case.refresh_from_db()
    assert case.status == "decided"


def test_an_expired_authorized_likeness_is_no_consent(now, sk_silence):
    leader = factories.person("Michal Šimečka", code="SK")
    factories.authorized_voice(leader, valid_from=date(2020, 1, 1), valid_to=date(2021, 1, 1))
    case = factories.case(
        countries=["SK"], language="sk", subjects=["Michal Šimečka"],
        disclosure={"ai_label": True, "text": "AI", "language": "sk"},
    )  # fmt: skip
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert decision.hold_reason == "silence"


def test_us_robocall_reported_as_voter_suppression_is_labelled_and_escalated_without_hold(now):
    factories.person("Joe Biden", code="US")
    case = factories.case(countries=["US"], language="en", subjects=["Joe Biden"], reason="voter_suppression")
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    actions = by_type(decision)
    assert set(actions) == {"label", "escalate"}
    assert (actions["label"]["kind"], actions["label"]["language"]) == ("likely_ai_generated", "en")
    assert actions["escalate"]["reason"] == "voter_suppression"
    assert decision.phase == "normal" and decision.phase_reason == {}
    case.refresh_from_db()
    assert case.priority > 0 and case.status == "decided"


def test_satire_outside_silence_lowers_the_label_but_never_removes_the_escalation(now):
    factories.person("Joe Biden", code="US")
    case = factories.case(
        countries=["US"], language="en", subjects=["Joe Biden"], reason="voter_suppression",
        disclosure={"satire": True},
    )  # fmt: skip
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert [a["type"] for a in decision.actions] == ["label", "escalate"]
    assert decision.matched_rules == ["satire_likely_synthetic", "escalate_voter_suppression_likely"]
    assert any("satire or parody claimed" in note for note in decision.notes)


def test_authentic_evidence_is_never_labelled_ai_and_goes_to_a_human(now, sk_silence):
    factories.person("Michal Šimečka", code="SK")
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(case, "authentic_evidence", reasons=["Matches authentic media"])

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert decision.action_types() == ["no_action"]
    assert decision.review_deadline is not None
    case.refresh_from_db()
    assert case.status == "awaiting_review"


def test_uncertain_is_at_most_unverified_and_reviewed(now):
    case = factories.case(countries=["US"], language="en")
    factories.verdict(case, "uncertain", confidence=0.4)

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert [(a["type"], a.get("kind")) for a in decision.actions] == [("label", "unverified")]
    case.refresh_from_db()
    assert case.status == "awaiting_review"


def test_an_untranslated_language_falls_back_to_english_and_says_so(now):
    case = factories.case(countries=["US"], language="sw")
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    label = by_type(decision)["label"]
    assert (label["language"], label["fallback"]) == ("en", True)
    assert "label shown in English: no sw translation" in decision.notes


def test_when_the_silence_closes_a_silence_hold_stays_and_goes_to_a_human(now, sk_silence):
    factories.person("Michal Šimečka", code="SK")
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(case, "likely_synthetic")
    held = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)
    after = sk_silence.end + timedelta(minutes=1)

    reviewed = case_decide_by_policy(case_id=case.pk, trigger="window_closed", at=after)

    assert reviewed.supersedes_id == held.pk
    assert reviewed.actions[0]["type"] == "removal_hold"
    assert reviewed.hold_reason == "post_silence"
    assert reviewed.review_deadline == after + timedelta(minutes=120)
    assert by_type(reviewed)["label"]["kind"] == "likely_ai_generated"
    case.refresh_from_db()
    assert case.status == "awaiting_review"
    # Re-evaluated again later: still held, nothing new.
    assert case_decide_by_policy(case_id=case.pk, trigger="reevaluate", at=after + timedelta(hours=1)) is None
