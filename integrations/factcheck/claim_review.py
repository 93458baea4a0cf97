"""schema.org ClaimReview for a claim a piece of media makes or is used to make.

Required by Google's fact-check guidance: `claimReviewed` (a short statement of the claim, with no
verdict in it), `reviewRating` with `alternateName` (the verdict in words), and `url`; `author`
and `itemReviewed` (a Claim with `appearance`/`firstAppearance`) are recommended and built here.
Google is phasing ClaimReview out of Search results; Fact Check Explorer still reads it.
"""

from collections.abc import Iterable, Mapping

from ._common import SCHEMA_CONTEXT, check_author, is_url, iso_date, organization

# Default verdict words when the reviewer gives none: what our verdicts mean for a claim that the
# media is what it appears to be.
VERDICT_RATING_NAMES = {
    "disclosed_synthetic": "AI-generated (disclosed by its creator)",
    "likely_synthetic": "AI-generated or manipulated",
    "synthetic": "AI-generated or manipulated",
    "altered": "Altered",
    "authentic_evidence": "Authentic",
    "satire": "Satire",
}


def _creative_work(value) -> dict:
    if isinstance(value, Mapping):
        node = {"@type": value.get("@type", "CreativeWork")}
        node.update({k: v for k, v in value.items() if k != "@type"})
        return node
    return {"@type": "CreativeWork", "url": value}


def claim_review_build(
    *,
    claim_reviewed: str,
    url: str,
    author,
    date_published,
    rating_alternate_name: str | None = None,
    verdict: str | None = None,
    rating_value: int | None = None,
    best_rating: int | None = None,
    worst_rating: int | None = None,
    appearances: Iterable = (),
    first_appearance=None,
    claim_author: str | None = None,
    claim_date_published=None,
) -> dict:
    """Return a ClaimReview JSON-LD object.

    The rating's alternateName is `rating_alternate_name`, or derived from `verdict` (see
    VERDICT_RATING_NAMES); `uncertain` has no rating and raises ValueError. appearances and
    first_appearance: URLs (or mappings) of where the claim was made.
    """
    if not rating_alternate_name:
        if verdict is None:
            raise ValueError("Give rating_alternate_name or a verdict to derive it from.")
        if verdict not in VERDICT_RATING_NAMES:
            allowed = ", ".join(VERDICT_RATING_NAMES)
            raise ValueError(f"No ClaimReview rating for verdict {verdict!r}; ratable verdicts: {allowed}.")
        rating_alternate_name = VERDICT_RATING_NAMES[verdict]
    rating: dict = {"@type": "Rating", "alternateName": rating_alternate_name}
    for key, value in (
        ("ratingValue", rating_value),
        ("bestRating", best_rating),
        ("worstRating", worst_rating),
    ):
        if value is not None:
            rating[key] = value

    claim: dict = {"@type": "Claim"}
    appearance_list = [_creative_work(a) for a in appearances]
    if appearance_list:
        claim["appearance"] = appearance_list
    if first_appearance is not None:
        claim["firstAppearance"] = _creative_work(first_appearance)
    if claim_author:
        claim["author"] = {"@type": "Person", "name": claim_author}
    if claim_date_published is not None:
        claim["datePublished"] = iso_date(claim_date_published)

    return {
        "@context": SCHEMA_CONTEXT,
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim_reviewed,
        "datePublished": iso_date(date_published),
        "author": organization(author),
        "reviewRating": rating,
        "itemReviewed": claim,
    }


def claim_review_validate(doc) -> dict[str, list[str]]:
    """Return {JSON path: [messages]} for missing or wrong fields; empty when valid."""
    errors: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    if not isinstance(doc, Mapping):
        return {"": ["A ClaimReview is a JSON object."]}
    if doc.get("@context") not in ("https://schema.org", "http://schema.org", "https://schema.org/"):
        add("@context", "Must be https://schema.org.")
    if doc.get("@type") != "ClaimReview":
        add("@type", "Must be ClaimReview.")
    if not isinstance(doc.get("claimReviewed"), str) or not doc["claimReviewed"].strip():
        add("claimReviewed", "Required: a short statement of the claim.")
    if not is_url(doc.get("url")):
        add("url", "Required: the http(s) URL of the review.")
    check_author(doc, "", add)

    rating = doc.get("reviewRating")
    if not isinstance(rating, Mapping):
        add("reviewRating", "Required.")
    else:
        if not rating.get("alternateName"):
            add("reviewRating.alternateName", "Required: the verdict in words, e.g. 'False'.")
        numbers = {
            k: rating.get(k)
            for k in ("ratingValue", "bestRating", "worstRating")
            if rating.get(k) is not None
        }
        for key, value in numbers.items():
            if not isinstance(value, int | float) or isinstance(value, bool):
                add(f"reviewRating.{key}", "Must be a number.")
        if all(isinstance(numbers.get(k), int | float) for k in ("ratingValue", "bestRating", "worstRating")):
            low, high = sorted((numbers["worstRating"], numbers["bestRating"]))
            if not low <= numbers["ratingValue"] <= high:
                add("reviewRating.ratingValue", "Must lie between worstRating and bestRating.")

    claim = doc.get("itemReviewed")
    if claim is not None:
        if not isinstance(claim, Mapping) or claim.get("@type") != "Claim":
            add("itemReviewed.@type", "Must be Claim.")
        else:
            for index, appearance in enumerate(claim.get("appearance") or []):
                if not isinstance(appearance, Mapping) or not is_url(appearance.get("url")):
                    add(f"itemReviewed.appearance[{index}].url", "Must be an http(s) URL.")
            first = claim.get("firstAppearance")
            if first is not None and (not isinstance(first, Mapping) or not is_url(first.get("url"))):
                add("itemReviewed.firstAppearance.url", "Must be an http(s) URL.")
    return errors
