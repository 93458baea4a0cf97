"""Issue 11's inputs at the service level: territory, language fallback, consent bound to the uploader,
and post-silence authentic evidence (the scenario table has them end to end)."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from elections.models import Country, SilenceWindow
from tests.policy import factories
from triage.decisions.language import names_in_script, text_script
from triage.decisions.services import case_decide_by_policy, case_policy_inputs

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("default_policy")]


def by_type(decision):
    return {a["type"]: a for a in decision.actions}


def _silence(code: str, covers: str, now):
    window = factories.silence_window(
        code=code, start=now - timedelta(hours=1), end=now + timedelta(hours=30)
    )
    SilenceWindow.objects.filter(pk=window.pk).update(covers_online=covers)


def test_a_silence_not_covering_online_media_labels_and_says_so():
    now = timezone.now()
    Country.objects.get_or_create(
        code="IT", defaults={"name": "Italy", "time_zones": ["Europe/Rome"], "languages": ["it"]}
    )
    _silence("IT", "no", now)
    factories.person("Giorgia Meloni", code="IT")
    case = factories.case(countries=["IT"], language="it", subjects=["Giorgia Meloni"])
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert "removal_hold" not in by_type(decision)
    assert decision.phase_reason["covers_online"] == "no"
    assert decision.phase_reason["offline_only_countries"] == ["IT"]
    assert "silence in IT does not cover online media: labelled, not held there" in decision.notes


def test_an_operator_can_hold_in_a_country_whose_law_does_not_cover_online_media():
    from triage.decisions.default import DEFAULT_RULES
    from triage.decisions.models import PolicyVersion

    now = timezone.now()
    Country.objects.get_or_create(
        code="IT", defaults={"name": "Italy", "time_zones": ["Europe/Rome"], "languages": ["it"]}
    )
    _silence("IT", "no", now)
    factories.person("Giorgia Meloni", code="IT")
    rules = {**DEFAULT_RULES, "rules": [
        {"name": "hold_in_italy_too", "priority": 10,
         "when": {"phase": {"equals": "silence"}, "phase_country": {"equals": "IT"},
                  "verdict": {"equals": "likely_synthetic"}},
         "actions": [{"type": "removal_hold", "review_deadline_minutes": 30, "hold_reason": "silence",
                      "territory": "global"}]},
        *DEFAULT_RULES["rules"],
    ]}  # fmt: skip
    PolicyVersion.objects.filter(status="active").update(rules=rules)
    case = factories.case(countries=["IT"], language="it", subjects=["Giorgia Meloni"])
    factories.verdict(case, "likely_synthetic")

    decision = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert decision.actions[0]["type"] == "removal_hold" and decision.actions[0]["global"] is True
    assert decision.matched_rules == ["hold_in_italy_too"]


def test_authentic_evidence_is_not_kept_held_as_unverified_after_the_silence():
    now = timezone.now()
    factories.person("Michal Šimečka", code="SK")
    window = factories.silence_window(code="SK", start=now - timedelta(hours=5), end=now + timedelta(hours=1))
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    held = case_decide_by_policy(case_id=case.pk, trigger="window_opened", at=now)
    assert held.hold_reason == "silence"
    factories.verdict(case, "authentic_evidence", reasons=["Matches authentic media"])

    after = case_decide_by_policy(
        case_id=case.pk, trigger="window_closed", at=window.end + timedelta(minutes=1)
    )

    assert after.action_types() == ["no_action"]
    assert after.hold_reason == "" and after.review_deadline is not None
    assert after.matched_rules == ["authentic_evidence_to_human"]


def test_a_kept_hold_keeps_the_countries_it_named():
    now = timezone.now()
    factories.person("Michal Šimečka", code="SK")
    window = factories.silence_window(code="SK", start=now - timedelta(hours=5), end=now + timedelta(hours=1))
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(case, "likely_synthetic")
    case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    kept = case_decide_by_policy(
        case_id=case.pk, trigger="window_closed", at=window.end + timedelta(minutes=1)
    )

    assert kept.hold_reason == "post_silence"
    assert kept.actions[0]["countries"] == ["SK"]


def test_consent_covers_only_the_declaring_partys_accounts():
    khan = factories.person("Imran Khan", code="PK", aliases=["عمران خان"])
    factories.authorized_voice(khan, valid_from=date(2023, 12, 1), accounts={"videoshare": ["pti-official"]})
    disclosure = {"ai_label": True, "language": "ur"}
    own = factories.case(countries=["PK"], language="ur", subjects=["Imran Khan"], disclosure=disclosure,
                         author={"handle": "@PTI-Official"})  # fmt: skip
    stranger = factories.case(countries=["PK"], language="ur", subjects=["Imran Khan"], disclosure=disclosure,
                              author={"id": "99", "handle": "fan"})  # fmt: skip
    anonymous = factories.case(
        countries=["PK"], language="ur", subjects=["Imran Khan"], disclosure=disclosure
    )
    now = timezone.now()

    mine = case_policy_inputs(case=own, at=now)
    theirs = case_policy_inputs(case=stranger, at=now)
    nobody = case_policy_inputs(case=anonymous, at=now)

    assert (mine.consent, mine.disclosed_not_authorized) == (True, False)
    assert (theirs.consent, theirs.disclosed_not_authorized) == (False, True)
    assert (nobody.consent, nobody.disclosed_not_authorized) == (False, True)
    assert any(n.startswith("disclosed, not authorized") for n in theirs.notes)


@pytest.mark.parametrize(
    "language, text, expected, source",
    [
        ("ur", "", "ur", "declared"),
        ("", "", "ur", "audience_country"),
        ("", "Khan sahab ka paigham suno", "ur", "transliterated"),
        ("", "عمران خان کا پیغام ہے اور یہ ووٹ کے بارے میں ہے", "ur", "detected"),
        ("", "This is a message to all the supporters about the vote tomorrow.", "en", "detected"),
    ],
)
def test_the_content_language_falls_back_to_the_audience_countrys(language, text, expected, source):
    factories.country("PK")
    case = factories.case(countries=["PK"], language=language, text=text)

    inputs = case_policy_inputs(case=case, at=timezone.now())

    assert (inputs.content_language, inputs.content_language_source) == (expected, source)
    assert inputs.language_fallback is (source in ("audience_country", "transliterated"))


def test_names_are_written_in_the_labels_script_when_the_registry_has_the_alias():
    people = {"Imran Khan": ["عمران خان", "Khan"], "Joe Biden": []}

    assert names_in_script(people, "ur") == ["عمران خان", "Joe Biden"]
    assert names_in_script(people, "en") == ["Imran Khan", "Joe Biden"]
    assert text_script("Khan sahab") == "LATIN" and text_script("عمران") == "ARABIC"


def test_a_silence_hold_is_due_before_the_window_ends():
    now = timezone.now()
    factories.person("Michal Šimečka", code="SK")
    window = factories.silence_window(
        code="SK", start=now - timedelta(hours=5), end=now + timedelta(minutes=10)
    )
    case = factories.case(countries=["SK"], language="sk", subjects=["Michal Šimečka"])
    factories.verdict(case, "no_signal")

    held = case_decide_by_policy(case_id=case.pk, trigger="verdict", at=now)

    assert held.hold_reason == "silence"
    assert held.review_deadline == window.end
    assert held.actions[0]["review_deadline"] == window.end.isoformat()
