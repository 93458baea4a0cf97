"""Statements of reasons built from Moratorium's decisions: the case study's cases and the mapping rules."""

import pytest

from integrations.transparency import (
    SorDecision,
    SorInputError,
    statement_of_reasons_build,
    statement_of_reasons_validate,
)


def slovakia(**overrides) -> dict:
    """Undisclosed synthetic audio naming a party leader, flagged in the 48-hour silence."""
    decision = {
        "decision_id": "dec-7f3a9c",
        "decided_at": "2023-09-29T21:10:00Z",
        "content_date": "2023-09-28T18:00:00+02:00",
        "media_type": "audio",
        "actions": [
            {"type": "removal_hold", "review_deadline": "2023-09-29T21:40:00Z"},
            {"type": "label", "kind": "likely_ai_generated", "language": "sk"},
        ],
        "reporter_kind": "trusted_flagger",
        "decided_by": "policy",
        "verdict": {"label": "likely_synthetic", "confidence": 0.9, "reasons": ["vendor_score_high"]},
        "reasons": ["undisclosed_synthetic", "non_consensual_likeness", "silence_violation"],
        "phase": "silence",
        "phase_country": "SK",
        "audience_countries": ["SK"],
        "content_language": "sk-SK",
    }
    decision.update(overrides)
    return decision


def test_the_slovak_silence_hold_becomes_a_valid_statement():
    sor = statement_of_reasons_build(decision=slovakia())

    assert statement_of_reasons_validate(sor) == {}
    assert sor["puid"] == "dec-7f3a9c"
    assert sor["decision_visibility"] == [
        "DECISION_VISIBILITY_CONTENT_DISABLED",
        "DECISION_VISIBILITY_CONTENT_LABELLED",
    ]
    assert sor["content_type"] == ["CONTENT_TYPE_AUDIO", "CONTENT_TYPE_SYNTHETIC_MEDIA"]
    assert sor["category"] == "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
    assert sor["category_specification"] == [
        "KEYWORD_MISINFORMATION_DISINFORMATION",
        "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE",
        "KEYWORD_VIOLATION_NATIONAL_LAW",
    ]
    assert sor["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert sor["incompatible_content_ground"]
    assert "pre-election silence period" in sor["incompatible_content_explanation"]
    assert sor["territorial_scope"] == ["SK"]
    assert sor["content_language"] == "SK"
    assert sor["content_date"] == "2023-09-28"
    assert sor["application_date"] == "2023-09-29"
    assert sor["end_date_visibility_restriction"] == "2023-09-29"
    assert sor["source_type"] == "SOURCE_TRUSTED_FLAGGER"
    assert sor["automated_detection"] == "No"
    assert sor["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert "withheld until a human reviewer decides" in sor["decision_facts"]
    assert "in SK" in sor["decision_facts"]


def test_the_us_robocall_label_without_a_hold():
    sor = statement_of_reasons_build(
        decision=slovakia(
            decision_id="dec-us-1",
            actions=[
                {"type": "label", "kind": "likely_ai_generated"},
                {"type": "escalate", "reason": "voter_suppression"},
            ],
            reporter_kind="user_report",
            reasons=["voter_suppression", "impersonation"],
            phase="normal",
            phase_country=None,
            audience_countries=["US"],
            content_language="en-US",
        )
    )

    assert statement_of_reasons_validate(sor) == {}
    assert sor["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_LABELLED"]
    assert sor["source_type"] == "SOURCE_ARTICLE_16"
    assert sor["category_specification"] == [
        "KEYWORD_MISINFORMATION_DISINFORMATION",
        "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING",
    ]
    assert "territorial_scope" not in sor  # no EU/EEA audience
    assert "end_date_visibility_restriction" not in sor
    assert sor["content_language"] == "EN"


@pytest.mark.parametrize(
    ("action", "visibility"),
    [
        ("remove", "DECISION_VISIBILITY_CONTENT_REMOVED"),
        ("removal_hold", "DECISION_VISIBILITY_CONTENT_DISABLED"),
        ("reduce_distribution", "DECISION_VISIBILITY_CONTENT_DEMOTED"),
        ("label", "DECISION_VISIBILITY_CONTENT_LABELLED"),
    ],
)
def test_each_restricting_action_maps_to_a_visibility_restriction(action, visibility):
    sor = statement_of_reasons_build(decision=slovakia(actions=[{"type": action}]))
    assert sor["decision_visibility"] == [visibility]
    assert "end_date_visibility_restriction" not in sor


@pytest.mark.parametrize(
    ("reporter", "source_type", "detection"),
    [
        ("trusted_flagger", "SOURCE_TRUSTED_FLAGGER", "No"),
        ("user_report", "SOURCE_ARTICLE_16", "No"),
        ("platform_classifier", "SOURCE_VOLUNTARY", "Yes"),
        ("moratorium", "SOURCE_VOLUNTARY", "Yes"),
        ("platform_moderator", "SOURCE_VOLUNTARY", "No"),
        ("fact_checker", "SOURCE_TYPE_OTHER_NOTIFICATION", "No"),
        ("authority", "SOURCE_TYPE_OTHER_NOTIFICATION", "No"),
    ],
)
def test_the_reporter_sets_the_source_and_automated_detection(reporter, source_type, detection):
    sor = statement_of_reasons_build(decision=slovakia(reporter_kind=reporter))
    assert sor["source_type"] == source_type
    assert sor["automated_detection"] == detection


@pytest.mark.parametrize(
    ("decided_by", "automated_checks", "expected"),
    [
        ("policy", True, "AUTOMATED_DECISION_FULLY"),
        ("moderator", True, "AUTOMATED_DECISION_PARTIALLY"),
        ("moderator", False, "AUTOMATED_DECISION_NOT_AUTOMATED"),
    ],
)
def test_who_decided_sets_automated_decision(decided_by, automated_checks, expected):
    sor = statement_of_reasons_build(
        decision=slovakia(decided_by=decided_by, automated_checks=automated_checks)
    )
    assert sor["automated_decision"] == expected
    assert ("human moderator" in sor["decision_facts"]) is (decided_by == "moderator")


@pytest.mark.parametrize(
    ("media_type", "content_type"), [("image", "CONTENT_TYPE_IMAGE"), ("video", "CONTENT_TYPE_VIDEO")]
)
def test_media_types_and_non_synthetic_verdicts(media_type, content_type):
    sor = statement_of_reasons_build(decision=slovakia(media_type=media_type, verdict={"label": "altered"}))
    assert sor["content_type"] == [content_type]


def test_a_legal_ground_files_on_the_illegal_content_ground():
    sor = statement_of_reasons_build(
        decision=slovakia(
            legal_ground="Slovak Act No. 181/2014 on election campaigns, section 2 (moratorium)",
            legal_explanation="Campaigning content distributed during the statutory silence period.",
        )
    )
    assert statement_of_reasons_validate(sor) == {}
    assert sor["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT"
    assert "incompatible_content_ground" not in sor


def test_puid_is_made_safe_and_unique_per_submission():
    sor = statement_of_reasons_build(
        decision=slovakia(decision_id="dec 7f/3a", submission_ref="platform-a:post 9")
    )
    assert sor["puid"] == "dec-7f-3a_platform-a-post-9"
    assert statement_of_reasons_validate(sor) == {}


def test_a_dataclass_input_works_like_a_mapping():
    assert statement_of_reasons_build(decision=SorDecision(**slovakia())) == statement_of_reasons_build(
        decision=slovakia()
    )


def test_nothing_personal_goes_into_the_statement():
    """Only codes and dates: no names, no account or content identifiers beyond our own decision id."""
    with pytest.raises(SorInputError) as raised:
        statement_of_reasons_build(decision=slovakia(subjects=["Michal Šimečka"], uploader="@someone"))
    assert raised.value.errors == {"subjects": ["Unknown field."], "uploader": ["Unknown field."]}

    sor = statement_of_reasons_build(
        decision=slovakia(
            verdict={"label": "likely_synthetic", "confidence": 0.9}, reasons=["Michal Šimečka said"]
        )
    )
    assert "Šimečka" not in str(sor)
    assert "source_identity" not in sor


def test_a_decision_that_restricts_nothing_needs_no_statement():
    with pytest.raises(SorInputError) as raised:
        statement_of_reasons_build(decision=slovakia(actions=[{"type": "escalate"}, {"type": "no_action"}]))
    assert list(raised.value.errors) == ["actions"]
    assert "no statement of reasons is due" in raised.value.errors["actions"][0]


def test_bad_input_gives_field_level_errors():
    with pytest.raises(SorInputError) as raised:
        statement_of_reasons_build(
            decision=slovakia(
                media_type="text",
                reporter_kind="anonymous",
                decided_by="robot",
                decided_at="yesterday",
                actions=[{"type": "ban"}],
            )
        )
    errors = raised.value.errors
    assert set(errors) == {"media_type", "reporter_kind", "decided_by", "decided_at", "actions[0].type"}
    assert "'ban' is not one of" in errors["actions[0].type"][0]


def test_missing_required_inputs_are_named():
    decision = slovakia()
    del decision["decision_id"], decision["reporter_kind"]
    with pytest.raises(SorInputError) as raised:
        statement_of_reasons_build(decision=decision)
    assert raised.value.errors == {
        "decision_id": ["This field is required."],
        "reporter_kind": ["This field is required."],
    }


def test_wrongly_shaped_inputs_are_field_errors_not_crashes():
    with pytest.raises(SorInputError) as raised:
        statement_of_reasons_build(
            decision=slovakia(actions="removal_hold", reasons="impersonation", verdict="likely_synthetic")
        )
    assert set(raised.value.errors) == {"actions", "reasons", "verdict"}


def test_a_mapping_is_required():
    with pytest.raises(SorInputError) as raised:
        statement_of_reasons_build(decision=["dec-1"])
    assert raised.value.errors == {"decision": ["Give a SorDecision or a mapping of its fields."]}
