"""ClaimReview JSON-LD for claims made with media."""

import pytest

from integrations.factcheck import claim_review_build, claim_review_validate


def review(**overrides) -> dict:
    arguments = {
        "claim_reviewed": "An audio recording shows a party leader discussing buying votes.",
        "url": "https://factcheck.example/reviews/slovak-audio",
        "author": "Example Fact Check",
        "date_published": "2023-09-30",
        "rating_alternate_name": "Fabricated audio",
        "rating_value": 1,
        "best_rating": 5,
        "worst_rating": 1,
        "appearances": ["https://platform.example/post-9", "https://other.example/p/77"],
        "first_appearance": "https://platform.example/post-9",
        "claim_date_published": "2023-09-28",
    }
    arguments.update(overrides)
    return claim_review_build(**arguments)


def test_a_complete_claim_review():
    doc = review()

    assert claim_review_validate(doc) == {}
    assert doc["@type"] == "ClaimReview"
    assert doc["claimReviewed"].startswith("An audio recording")
    assert doc["reviewRating"] == {
        "@type": "Rating",
        "alternateName": "Fabricated audio",
        "ratingValue": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    assert doc["author"] == {"@type": "Organization", "name": "Example Fact Check"}
    claim = doc["itemReviewed"]
    assert claim["@type"] == "Claim"
    assert claim["appearance"] == [
        {"@type": "CreativeWork", "url": "https://platform.example/post-9"},
        {"@type": "CreativeWork", "url": "https://other.example/p/77"},
    ]
    assert claim["firstAppearance"] == {"@type": "CreativeWork", "url": "https://platform.example/post-9"}
    assert claim["datePublished"] == "2023-09-28"


@pytest.mark.parametrize(
    ("verdict", "name"),
    [
        ("disclosed_synthetic", "AI-generated (disclosed by its creator)"),
        ("likely_synthetic", "AI-generated or manipulated"),
        ("authentic_evidence", "Authentic"),
        ("satire", "Satire"),
    ],
)
def test_the_rating_name_can_come_from_our_verdict(verdict, name):
    doc = review(rating_alternate_name=None, verdict=verdict)
    assert doc["reviewRating"]["alternateName"] == name


def test_uncertain_has_no_rating():
    with pytest.raises(ValueError, match="No ClaimReview rating for verdict 'uncertain'"):
        review(rating_alternate_name=None, verdict="uncertain")


@pytest.mark.parametrize("field", ["claimReviewed", "url", "author", "reviewRating"])
def test_each_missing_required_field_is_listed(field):
    doc = review()
    del doc[field]
    assert field in claim_review_validate(doc)


def test_the_rating_needs_its_alternate_name():
    doc = review()
    del doc["reviewRating"]["alternateName"]
    assert claim_review_validate(doc) == {
        "reviewRating.alternateName": ["Required: the verdict in words, e.g. 'False'."]
    }


def test_a_rating_value_outside_its_scale_is_reported():
    errors = claim_review_validate(review(rating_value=7))
    assert errors == {"reviewRating.ratingValue": ["Must lie between worstRating and bestRating."]}


def test_appearances_must_be_urls():
    errors = claim_review_validate(review(appearances=["not a url"], first_appearance="also not"))
    assert set(errors) == {"itemReviewed.appearance[0].url", "itemReviewed.firstAppearance.url"}
