"""ClaimReview and MediaReview JSON-LD for fact-checkers (plain package, no models).

- `media_review_build(...) -> dict | None`, `media_review_validate(doc) -> {path: [messages]}`
- `claim_review_build(...) -> dict`, `claim_review_validate(doc) -> {path: [messages]}`
"""

from .claim_review import VERDICT_RATING_NAMES, claim_review_build, claim_review_validate
from .media_review import (
    MEDIA_AUTHENTICITY_CATEGORIES,
    VERDICT_CATEGORIES,
    media_authenticity_category,
    media_review_build,
    media_review_validate,
)

__all__ = [
    "MEDIA_AUTHENTICITY_CATEGORIES",
    "VERDICT_CATEGORIES",
    "VERDICT_RATING_NAMES",
    "claim_review_build",
    "claim_review_validate",
    "media_authenticity_category",
    "media_review_build",
    "media_review_validate",
]
