"""GET /api/v1/cases/<id>/decisions/ and the case's MediaReview and ClaimReview JSON-LD."""

import pytest
from django.contrib.auth import get_user_model

from tests.kit.silence import make_case
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
    response = dana.get(f"/api/v1/cases/{held_case.pk}/claim-review/")
    assert response.status_code == 404  # the policy's decision alone: no human confirmed it
    assert "moderator confirmed" in response.json()["detail"]

    moderator = get_user_model().objects.create_user("mira")
    case_decide_by_moderator(
        case_id=held_case.pk, user=moderator, actions=[{"type": "label", "kind": "likely_ai_generated"}]
    )
    review = dana.get(f"/api/v1/cases/{held_case.pk}/claim-review/").json()
    assert review["@type"] == "ClaimReview"
    assert review["reviewRating"]["alternateName"] == "AI-generated or manipulated"
    # The reviewed item names its subject.
    claim = review["claimReviewed"]
    assert claim == "This audio of Michal Šimečka is an authentic recording of what it shows."


def test_media_review_names_the_subject(dana, held_case):
    moderator = get_user_model().objects.create_user("mira")
    case_decide_by_moderator(
        case_id=held_case.pk, user=moderator, actions=[{"type": "label", "kind": "likely_ai_generated"}]
    )
    review = dana.get(f"/api/v1/cases/{held_case.pk}/media-review/").json()
    claim = review["itemReviewed"]["interpretedAsClaim"]["description"]
    assert claim == "This audio of Michal Šimečka is what it appears to be."


def test_no_json_ld_for_a_case_without_a_verdict(dana):
    case = make_case("SK")
    assert dana.get(f"/api/v1/cases/{case.pk}/claim-review/").status_code == 404
    assert dana.get(f"/api/v1/cases/{case.pk}/media-review/").status_code == 404


def test_a_consented_disclosed_likeness_is_never_rated_manipulated(dana, dana_partner):
    from datetime import date

    from tests.policy import factories

    dana_partner.countries = [*dana_partner.countries, "PK"]  # a Pakistani case in her scope
    dana_partner.save(update_fields=["countries"])

    khan = factories.person("Imran Khan", code="PK")
    # Consent counts only for the declaring party's own upload (issue 11).
    factories.authorized_voice(khan, valid_from=date(2020, 1, 1), accounts={"videoshare": ["pti-official"]})
    case = factories.case(
        countries=["PK"],
        language="ur",
        subjects=["Imran Khan"],
        disclosure={"ai_label": True, "language": "en"},
        author={"handle": "pti-official"},
    )
    factories.verdict(case, "disclosed_synthetic")
    moderator = get_user_model().objects.create_user("mira")
    case_decide_by_moderator(
        case_id=case.pk, user=moderator, actions=[{"type": "label", "kind": "ai_generated_disclosed"}]
    )

    response = dana.get(f"/api/v1/cases/{case.pk}/media-review/")
    assert response.status_code == 404
    assert "consented, disclosed AI likeness" in response.json()["detail"]
    review = dana.get(f"/api/v1/cases/{case.pk}/claim-review/").json()
    assert review["reviewRating"]["alternateName"] == (
        "AI-generated likeness, disclosed by its creator, with the person's consent"
    )
    assert review["claimReviewed"].startswith("This audio of Imran Khan")
