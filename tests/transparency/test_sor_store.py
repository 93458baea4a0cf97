"""A DSA statement of reasons is stored for every decision that restricts content, per platform content."""

import json

import pytest

from integrations.platforms.services import platform_create
from integrations.transparency.models import StatementOfReasons
from integrations.transparency.services import statements_for_decision
from integrations.transparency.validate import statement_of_reasons_validate
from tests.kit.callbacks import REVIEW_DEADLINE, make_case, make_decision, make_submission
from triage.decisions.models import Decision
from triage.signals import decision_made

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("decision_tasks_inline")]


@pytest.fixture
def platforms(db):
    return platform_create(slug="videoshare")[0], platform_create(slug="chatapp")[0]


@pytest.fixture
def slovak_case(platforms):
    videoshare, chatapp = platforms
    case = make_case(media_type="audio", countries=("SK",))
    make_submission(platform=videoshare, case=case, content_id="post-9", event_ids=["evt-1"])
    make_submission(platform=chatapp, case=case, content_id="msg-77", event_ids=["c-1"], source="user_report")
    return case


def test_a_silence_hold_stores_a_valid_statement_for_each_platform_content(slovak_case):
    decision = make_decision(case=slovak_case)

    decision_made.send(sender=Decision, decision_id=decision.pk)

    statements = StatementOfReasons.objects.filter(decision=decision).order_by("platform__slug")
    assert [(s.platform.slug, s.valid, s.errors) for s in statements] == [
        ("chatapp", True, {}),
        ("videoshare", True, {}),
    ]
    assert len({s.puid for s in statements}) == 2


def test_the_statement_field_by_field(slovak_case):
    decision = make_decision(case=slovak_case)
    statements_for_decision(decision_id=decision.pk)

    stored = StatementOfReasons.objects.get(decision=decision, platform__slug="videoshare")
    sor = stored.statement

    assert statement_of_reasons_validate(sor) == {}
    assert sor["puid"] == f"{decision.decision_id}_videoshare-{stored.submission_id}"
    assert sor["decision_visibility"] == [
        "DECISION_VISIBILITY_CONTENT_DISABLED",  # the removal hold
        "DECISION_VISIBILITY_CONTENT_LABELLED",
    ]
    # The hold's real end (its longest life: docs/policy.md "Holds end"), not its review deadline.
    from triage.decisions.lifecycle import hold_span

    assert sor["end_date_visibility_restriction"] == hold_span(decision=decision)[1].date().isoformat()
    assert sor["end_date_visibility_restriction"] != REVIEW_DEADLINE[:10]
    assert sor["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT"
    assert sor["incompatible_content_ground"].startswith("Terms of service")
    assert "during the pre-election silence period" in sor["incompatible_content_explanation"]
    assert sor["content_type"] == ["CONTENT_TYPE_AUDIO", "CONTENT_TYPE_SYNTHETIC_MEDIA"]
    assert sor["category"] == "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS"
    assert sor["category_specification"] == ["KEYWORD_MISINFORMATION_DISINFORMATION"]  # voter suppression
    assert sor["content_date"] == "2026-11-27"
    assert sor["application_date"] == decision.created_at.date().isoformat()
    assert sor["source_type"] == "SOURCE_TRUSTED_FLAGGER"
    assert sor["automated_detection"] == "No"
    assert sor["automated_decision"] == "AUTOMATED_DECISION_FULLY"
    assert sor["territorial_scope"] == ["SK"]
    assert sor["content_language"] == "SK"
    assert "in SK" in sor["decision_facts"]


def test_the_reporter_of_each_platform_sets_its_source_type(slovak_case):
    decision = make_decision(case=slovak_case)
    statements_for_decision(decision_id=decision.pk)

    chatapp = StatementOfReasons.objects.get(decision=decision, platform__slug="chatapp").statement

    assert chatapp["source_type"] == "SOURCE_ARTICLE_16"


def test_a_moderators_decision_is_partially_automated(slovak_case):
    decision = make_decision(
        case=slovak_case, actions=[{"type": "reduce_distribution"}], decided_by="moderator"
    )
    statements_for_decision(decision_id=decision.pk)

    sor = StatementOfReasons.objects.filter(decision=decision).first().statement

    assert sor["automated_decision"] == "AUTOMATED_DECISION_PARTIALLY"
    assert sor["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_DEMOTED"]


def test_no_personal_data_or_platform_identifiers_go_into_the_statement(slovak_case):
    decision = make_decision(case=slovak_case)
    statements_for_decision(decision_id=decision.pk)

    text = json.dumps([s.statement for s in StatementOfReasons.objects.all()])

    assert "post-9" not in text and "msg-77" not in text and "platform.example" not in text


@pytest.mark.parametrize(
    "actions",
    [[{"type": "no_action"}], [{"type": "escalate", "reason": "voter_suppression"}]],
    ids=["no_action", "escalate"],
)
def test_a_decision_that_restricts_nothing_has_no_statement(slovak_case, actions):
    decision = make_decision(case=slovak_case, actions=actions, phase="normal")

    assert statements_for_decision(decision_id=decision.pk) == []
    assert not StatementOfReasons.objects.exists()


def test_a_statement_that_cannot_be_built_is_kept_with_its_errors(platforms):
    case = make_case(with_media=False)  # media never stored: the media type is unknown
    make_submission(platform=platforms[0], case=case, content_id="post-1", event_ids=["e-1"])
    decision = make_decision(case=case)

    (stored,) = statements_for_decision(decision_id=decision.pk)

    assert stored.valid is False
    assert stored.errors == {"media_type": ["This field is required."]}


def test_storing_twice_stores_nothing_more(slovak_case):
    decision = make_decision(case=slovak_case)
    statements_for_decision(decision_id=decision.pk)

    assert statements_for_decision(decision_id=decision.pk) == []
    assert StatementOfReasons.objects.count() == 2
