"""GET /api/v1/cases/<id>/decisions/ and the case's MediaReview and ClaimReview JSON-LD."""

import pytest
from django.contrib.auth import get_user_model

from tests.kit.silence import make_case, make_reported_case
from triage.decisions.services import case_decide_by_moderator

pytestmark = pytest.mark.django_db


def test_alice_reads_a_cases_decisions_newest_first(dana, held_case):
    moderator = get_user_model().objects.create_user("mira")
    case_decide_by_moderator(
        case_id=held_case.pk, user=moderator, actions=[{"type": "label", "kind": "likely_ai_generated"}]
    )

    body = dana.get(f"/api/v1/cases/{held_case.pk}/decisions/").json()

    human, policy = body["results"]
    assert (human["decided_by"], human["is_current"]) == ("moderator", True)
    assert (policy["decided_by"], policy["is_current"]) == ("policy", False)
    assert human["supersedes"] == policy["decision_id"]
    assert policy["hold_reason"] == "silence"
    assert policy["phase_reason"]["country"] == "SK"
    assert policy["policy_version"] >= 1
    assert "moderator" not in human  # who the moderator is stays internal


def test_decisions_of_an_unknown_case_are_404(dana):
    assert dana.get("/api/v1/cases/424242/decisions/").status_code == 404


def test_media_review_only_once_a_moderator_confirmed_the_verdict(dana, held_case):
    response = dana.get(f"/api/v1/cases/{held_case.pk}/media-review/")
    assert response.status_code == 404
    assert "moderator confirmed" in response.json()["detail"]

    moderator = get_user_model().objects.create_user("mira")
    case_decide_by_moderator(
        case_id=held_case.pk, user=moderator, actions=[{"type": "label", "kind": "likely_ai_generated"}]
    )
    response = dana.get(f"/api/v1/cases/{held_case.pk}/media-review/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/ld+json")
    review = response.json()
    assert review["@type"] == "MediaReview"
    assert review["mediaAuthenticityCategory"] == "TransformedContent"
    assert review["author"]["name"] == "Moratorium"


def test_claim_review_rates_the_claim_that_the_media_is_authentic(dana, held_case):
    review = dana.get(f"/api/v1/cases/{held_case.pk}/claim-review/").json()
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "AI-generated or manipulated"
    assert review["claimReviewed"] == "This audio is an authentic recording of what it shows."


def test_no_json_ld_for_a_case_without_a_verdict(dana):
    case = make_case("SK")
    assert dana.get(f"/api/v1/cases/{case.pk}/claim-review/").status_code == 404
    assert dana.get(f"/api/v1/cases/{case.pk}/media-review/").status_code == 404


def test_no_media_review_for_a_moderator_decided_no_signal_case(dana, slovak_election, active_policy):
    # no_signal says no check found anything: there is no authenticity category to publish.
    case = make_reported_case("SK", verdict="no_signal")
    moderator = get_user_model().objects.create_user("mira")
    case_decide_by_moderator(case_id=case.pk, user=moderator, actions=[{"type": "no_action"}])
    response = dana.get(f"/api/v1/cases/{case.pk}/media-review/")
    assert response.status_code == 404
    assert "no_signal" in response.json()["detail"]
