"""A moderator's final outcomes (remove, restore, label only), made holding the case's review lock.

The decisions are the policy app's (`triage.decisions.lifecycle`); this module checks the lock,
records the moderator's note (internal unless marked for platforms: `DecisionNote`), and
releases the lock once decided, like `case_review_confirm` and `case_review_decide`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from triage.decisions.lifecycle import case_outcome_label_only, case_outcome_remove, case_outcome_restore
from triage.decisions.models import Decision

from .models import DecisionNote
from .services import _case_locked_for_update, _lock_required, case_lock_release

OUTCOMES = ("remove", "restore", "label_only")


def decision_note_add(*, decision: Decision, user, text: str, shared: bool) -> DecisionNote | None:
    """Keep a moderator's note with the decision (internal unless `shared`)."""
    text = (text or "").strip()
    if not text:
        return None
    return DecisionNote.objects.create(decision=decision, author=user, text=text, shared=shared)


@transaction.atomic
def case_review_outcome(
    *,
    case_id: int,
    user,
    outcome: str,
    note: str = "",
    share_note: bool = False,
    ground: str = "",
    country: str = "",
    legal_reference: str = "",
    keep_label: bool = True,
    label_kind: str = "",
    language: str = "",
) -> Decision:
    """Make a final outcome on the case held by `user`, keep the note, release the case."""

    case = _case_locked_for_update(case_id)
    _lock_required(case=case, user=user)
    shared = note if share_note else ""
    if outcome == "remove":
        decision = case_outcome_remove(
            case_id=case.pk, user=user, ground=ground, country=country, legal_reference=legal_reference,
            shared_note=shared,
        )  # fmt: skip
    elif outcome == "restore":
        decision = case_outcome_restore(case_id=case.pk, user=user, keep_label=keep_label, shared_note=shared)
    elif outcome == "label_only":
        decision = case_outcome_label_only(
            case_id=case.pk, user=user, kind=label_kind, language=language, shared_note=shared
        )
    else:
        raise ValidationError({"outcome": [f"One of: {', '.join(OUTCOMES)}."]})
    decision_note_add(decision=decision, user=user, text=note, shared=share_note)
    case_lock_release(case_id=case.pk, user=user, reason="decided")
    return decision
