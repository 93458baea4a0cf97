"""schema.org MediaReview for a human-confirmed verdict on a piece of media.

mediaAuthenticityCategory takes exactly one MediaManipulationRatingEnumeration member. Only a
verdict a human has confirmed becomes a MediaReview: a classifier's likelihood is not a review,
and `uncertain` never produces one. Sources: schema.org's MediaReview, MediaReviewItem and
MediaManipulationRatingEnumeration definitions, and Google's fact-check markup guidance
(summarised in shared/reference/formats-and-rules.md).
"""

from collections.abc import Iterable, Mapping

from ._common import SCHEMA_CONTEXT, check_author, is_url, iso_date, organization

MEDIA_AUTHENTICITY_CATEGORIES = (
    "DecontextualizedContent",
    "EditedOrCroppedContent",
    "OriginalMediaContent",
    "SatireOrParodyContent",
    "StagedContent",
    "TransformedContent",
)
# Our verdict labels → the category. Synthetic voices and images are "transformed": part or all of
# the media was manipulated or generated (schema.org's TransformedContent covers AI generation).
VERDICT_CATEGORIES = {
    "disclosed_synthetic": "TransformedContent",
    "likely_synthetic": "TransformedContent",
    "synthetic": "TransformedContent",
    "authentic_evidence": "OriginalMediaContent",
    "satire": "SatireOrParodyContent",
    "altered": "EditedOrCroppedContent",
    "edited": "EditedOrCroppedContent",
    "decontextualized": "DecontextualizedContent",
    "staged": "StagedContent",
}
# `uncertain` and `no_signal` (no check found anything either way) say nothing about the media's
# authenticity: there is no category to publish, even when a moderator confirmed them.
NO_REVIEW_VERDICTS = {"uncertain", "no_signal"}
MEDIA_OBJECT_TYPES = {"audio": "AudioObject", "image": "ImageObject", "video": "VideoObject"}
_APPEARANCE_TYPES = {"AudioObject", "ImageObject", "VideoObject", "MediaObject"}


def media_authenticity_category(*, verdict: str, human_confirmed: bool) -> str | None:
    """Return the category for a verdict, or None when no MediaReview should be published."""
    if verdict in NO_REVIEW_VERDICTS or not human_confirmed:
        return None
    try:
        return VERDICT_CATEGORIES[verdict]
    except KeyError:
        allowed = ", ".join([*VERDICT_CATEGORIES, *sorted(NO_REVIEW_VERDICTS)])
        raise ValueError(f"Unknown verdict {verdict!r}; expected one of: {allowed}.") from None


def _appearance(item: Mapping, media_type: str) -> dict:
    node = {"@type": item.get("@type") or MEDIA_OBJECT_TYPES.get(media_type, "MediaObject")}
    for key in (
        "contentUrl",
        "embedUrl",
        "archivedAt",
        "uploadDate",
        "startTime",
        "endTime",
        "encodingFormat",
    ):
        if item.get(key) is not None:
            node[key] = iso_date(item[key]) if key == "uploadDate" else item[key]
    if item.get("sha256"):
        node["sha256"] = item["sha256"]
    return node


def media_review_build(
    *,
    verdict: str,
    human_confirmed: bool,
    media_type: str,
    appearances: Iterable[Mapping],
    review_url: str,
    author,
    date_published,
    original_media_context_description: str | None = None,
    original_media_link: str | None = None,
    interpreted_as_claim: str | None = None,
) -> dict | None:
    """Return a MediaReview JSON-LD object, or None for a verdict that gets no review.

    appearances: where the media was seen, each {"contentUrl": …} or {"embedUrl": …}, optionally
    "archivedAt", "uploadDate", "startTime"/"endTime" (for a segment), "sha256", "@type".
    author: the reviewing organization, a name or {"name": …, "url": …}.
    """
    category = media_authenticity_category(verdict=verdict, human_confirmed=human_confirmed)
    if category is None:
        return None
    item: dict = {
        "@type": "MediaReviewItem",
        "mediaItemAppearance": [_appearance(a, media_type) for a in appearances],
    }
    if interpreted_as_claim:
        item["interpretedAsClaim"] = {"@type": "Claim", "description": interpreted_as_claim}
    review: dict = {
        "@context": SCHEMA_CONTEXT,
        "@type": "MediaReview",
        "url": review_url,
        "datePublished": iso_date(date_published),
        "author": organization(author),
        "mediaAuthenticityCategory": category,
        "itemReviewed": item,
    }
    if original_media_context_description:
        review["originalMediaContextDescription"] = original_media_context_description
    if original_media_link:
        review["originalMediaLink"] = original_media_link
    return review


def media_review_validate(doc) -> dict[str, list[str]]:
    """Return {JSON path: [messages]} for missing or wrong required fields; empty when valid."""
    errors: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    if not isinstance(doc, Mapping):
        return {"": ["A MediaReview is a JSON object."]}
    if doc.get("@context") not in ("https://schema.org", "http://schema.org", "https://schema.org/"):
        add("@context", "Must be https://schema.org.")
    if doc.get("@type") != "MediaReview":
        add("@type", "Must be MediaReview.")
    if not is_url(doc.get("url")):
        add("url", "Required: the http(s) URL of the review.")
    if not doc.get("datePublished"):
        add("datePublished", "Required.")
    check_author(doc, "", add)
    category = doc.get("mediaAuthenticityCategory")
    if category is None:
        add("mediaAuthenticityCategory", "Required.")
    elif category not in MEDIA_AUTHENTICITY_CATEGORIES:
        add(
            "mediaAuthenticityCategory",
            f"Must be exactly one of: {', '.join(MEDIA_AUTHENTICITY_CATEGORIES)}.",
        )
    if category == "DecontextualizedContent" and not doc.get("originalMediaContextDescription"):
        add("originalMediaContextDescription", "Required for DecontextualizedContent.")
    if doc.get("originalMediaLink") is not None and not is_url(doc["originalMediaLink"]):
        add("originalMediaLink", "Must be an http(s) URL.")

    item = doc.get("itemReviewed")
    if not isinstance(item, Mapping):
        add("itemReviewed", "Required: a MediaReviewItem.")
        return errors
    if item.get("@type") != "MediaReviewItem":
        add("itemReviewed.@type", "Must be MediaReviewItem.")
    appearances = item.get("mediaItemAppearance")
    if not isinstance(appearances, list) or not appearances:
        add("itemReviewed.mediaItemAppearance", "Required: at least one media object.")
        return errors
    for index, appearance in enumerate(appearances):
        path = f"itemReviewed.mediaItemAppearance[{index}]"
        if not isinstance(appearance, Mapping):
            add(path, "Must be a media object.")
            continue
        if appearance.get("@type") not in _APPEARANCE_TYPES:
            add(f"{path}.@type", f"Must be one of: {', '.join(sorted(_APPEARANCE_TYPES))}.")
        if not (is_url(appearance.get("contentUrl")) or is_url(appearance.get("embedUrl"))):
            add(f"{path}.contentUrl", "Required: an http(s) contentUrl or embedUrl where the media appeared.")
    return errors
