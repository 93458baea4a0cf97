"""What a ClaimReview or MediaReview says about a case: who it shows, where it appeared, and
whether it may be rated at all.

- Only a decision a human made or confirmed becomes a review (`decided_by == "moderator"`).
- A consented, disclosed AI likeness (every named public figure has an authorized likeness for
  this media kind, and the creator labelled it as AI) is never rated as manipulated: no
  MediaReview (every category but "original" says manipulated), and a ClaimReview rating that says
  what it is.
- The reviewed item names its subject (the registered people the reports name, else the subjects
  the platforms sent) and where it appeared (the platforms' public content URLs).
"""

from __future__ import annotations

from dataclasses import dataclass

from triage.decisions.inputs import case_policy_inputs
from triage.decisions.models import DecidedBy, Decision
from triage.models import Case

from .selectors import case_content_urls

CONSENTED_DISCLOSURE_RATING = "AI-generated likeness, disclosed by its creator, with the person's consent"


@dataclass(frozen=True)
class ReviewContext:
    human_confirmed: bool
    consented_disclosure: bool
    subjects: list[str]
    appearances: list[str]

    def about(self, media_type: str) -> str:
        shown = f" of {', '.join(self.subjects)}" if self.subjects else ""
        return f"This {media_type or 'media'}{shown}"


def review_context(*, case: Case, decision: Decision) -> ReviewContext:
    inputs = case_policy_inputs(case=case, at=decision.created_at, trigger="review")
    subjects = list(inputs.public_figures)
    if not subjects:
        subjects = sorted(
            {
                s
                for sub in case.submission_media.select_related("submission")
                for s in (sub.submission.subjects or [])
            }
        )
    return ReviewContext(
        human_confirmed=decision.decided_by == DecidedBy.MODERATOR,
        consented_disclosure=bool(inputs.public_figure and inputs.consent and inputs.creator_disclosed),
        subjects=[str(s) for s in subjects][:10],
        appearances=case_content_urls(case_id=case.pk),
    )
