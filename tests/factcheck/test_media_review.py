"""MediaReview JSON-LD from human-confirmed verdicts."""

import json

import pytest

from integrations.factcheck import (
    MEDIA_AUTHENTICITY_CATEGORIES,
    media_authenticity_category,
    media_review_build,
    media_review_validate,
)

APPEARANCE = {
    "contentUrl": "https://platform.example/post-9/audio.mp3",
    "uploadDate": "2023-09-28T18:00:00+02:00",
    "sha256": "9f2c" * 16,
}


def review(**overrides) -> dict | None:
    arguments = {
        "verdict": "likely_synthetic",
        "human_confirmed": True,
        "media_type": "audio",
        "appearances": [APPEARANCE],
        "review_url": "https://factcheck.example/reviews/slovak-audio",
        "author": {"name": "Example Fact Check", "url": "https://factcheck.example"},
        "date_published": "2023-09-30",
    }
    arguments.update(overrides)
    return media_review_build(**arguments)


def test_the_category_list_is_exactly_schema_orgs():
    assert MEDIA_AUTHENTICITY_CATEGORIES == (
        "DecontextualizedContent",
        "EditedOrCroppedContent",
        "OriginalMediaContent",
        "SatireOrParodyContent",
        "StagedContent",
        "TransformedContent",
    )


def test_a_confirmed_synthetic_audio_is_transformed_content():
    doc = review()

    assert media_review_validate(doc) == {}
    assert doc["@context"] == "https://schema.org"
    assert doc["@type"] == "MediaReview"
    assert doc["mediaAuthenticityCategory"] == "TransformedContent"
    assert doc["author"] == {
        "@type": "Organization",
        "name": "Example Fact Check",
        "url": "https://factcheck.example",
    }
    item = doc["itemReviewed"]
    assert item["@type"] == "MediaReviewItem"
    assert item["mediaItemAppearance"] == [
        {
            "@type": "AudioObject",
            "contentUrl": "https://platform.example/post-9/audio.mp3",
            "uploadDate": "2023-09-28T18:00:00+02:00",
            "sha256": "9f2c" * 16,
        }
    ]
    json.dumps(doc)  # plain JSON-LD


@pytest.mark.parametrize(
    ("verdict", "category"),
    [
        ("disclosed_synthetic", "TransformedContent"),
        ("likely_synthetic", "TransformedContent"),
        ("authentic_evidence", "OriginalMediaContent"),
        ("satire", "SatireOrParodyContent"),
        ("altered", "EditedOrCroppedContent"),
        ("staged", "StagedContent"),
    ],
)
def test_verdicts_map_to_one_category(verdict, category):
    assert media_authenticity_category(verdict=verdict, human_confirmed=True) == category
    assert category in MEDIA_AUTHENTICITY_CATEGORIES


def test_uncertain_and_unconfirmed_verdicts_get_no_review():
    assert review(verdict="uncertain") is None
    assert review(verdict="likely_synthetic", human_confirmed=False) is None


def test_an_unknown_verdict_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown verdict 'fake'"):
        review(verdict="fake")


@pytest.mark.parametrize(("media_type", "object_type"), [("image", "ImageObject"), ("video", "VideoObject")])
def test_appearances_take_the_media_objects_type(media_type, object_type):
    doc = review(
        media_type=media_type,
        appearances=[{"embedUrl": "https://platform.example/embed/9", "startTime": "PT5S"}],
    )
    assert doc["itemReviewed"]["mediaItemAppearance"][0]["@type"] == object_type
    assert media_review_validate(doc) == {}


def test_decontextualized_content_needs_the_original_context():
    doc = review(verdict="decontextualized")
    assert media_review_validate(doc) == {
        "originalMediaContextDescription": ["Required for DecontextualizedContent."]
    }
    doc = review(
        verdict="decontextualized",
        original_media_context_description="Recorded at a 2019 rally, not this week.",
        original_media_link="https://archive.example/2019-rally",
    )
    assert media_review_validate(doc) == {}


@pytest.mark.parametrize(
    "field", ["url", "datePublished", "author", "mediaAuthenticityCategory", "itemReviewed"]
)
def test_each_missing_required_field_is_listed(field):
    doc = review()
    del doc[field]
    assert field in media_review_validate(doc)


def test_a_category_outside_the_enumeration_is_rejected():
    doc = review()
    doc["mediaAuthenticityCategory"] = "SyntheticContent"
    assert "Must be exactly one of" in media_review_validate(doc)["mediaAuthenticityCategory"][0]


def test_appearances_need_a_url_and_a_media_type():
    doc = review(appearances=[{"sha256": "ab" * 32}])
    doc["itemReviewed"]["mediaItemAppearance"][0]["@type"] = "Thing"
    errors = media_review_validate(doc)
    assert set(errors) == {
        "itemReviewed.mediaItemAppearance[0].@type",
        "itemReviewed.mediaItemAppearance[0].contentUrl",
    }
    assert media_review_validate(review(appearances=[]))["itemReviewed.mediaItemAppearance"] == [
        "Required: at least one media object."
    ]
