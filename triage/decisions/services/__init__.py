"""Writes of the policy: decide a case (by policy or moderator), manage policy versions, shadow runs.

One module per part, each named for what it holds:

- deciding.py: deciding a case by policy (the outcome, rendered actions, priority tiers, the
  decision's write, with the locking and idempotence that every decision follows);
- moderating.py: moderators' decisions (deciding differently, confirming the policy's decision);
- versions.py: policy versions (draft, activate, validate the rules);
- redeciding.py: re-deciding open cases with the active version, deciding cases in one batch;
- shadow.py: shadow runs of a draft version (no writes).

Everything else imports these names from here. A test that replaces a name for a caller patches
the module the caller looks it up in (e.g. `redeciding.case_decide_by_policy`), not this package.
"""

from ..inputs import case_phase, case_policy_inputs, phase_reason
from .deciding import Outcome, case_decide_by_policy, cases_decide_for_media, outcome_for

# Not in __all__, but imported from here (the "as" marks them re-exported): the private helpers
# by lifecycle.py, whose decisions (deadline extensions, lapsed holds, final outcomes) go through
# the same writer, and cases_decide_in_batch by transitions.py (window openings).
from .deciding import _decision_summary as _decision_summary
from .deciding import _decision_write as _decision_write
from .deciding import _label_action as _label_action
from .deciding import _policy_active as _policy_active
from .moderating import case_confirm_policy_decision, case_decide_by_moderator
from .redeciding import cases_decide_in_batch as cases_decide_in_batch
from .redeciding import cases_redecide, cases_redecide_with_active_policy
from .shadow import ShadowReport, policy_shadow_run
from .versions import policy_activate, policy_draft_create

__all__ = [
    "Outcome",
    "ShadowReport",
    "case_confirm_policy_decision",
    "case_decide_by_moderator",
    "case_decide_by_policy",
    "cases_redecide",
    "cases_redecide_with_active_policy",
    "case_phase",
    "case_policy_inputs",
    "cases_decide_for_media",
    "outcome_for",
    "phase_reason",
    "policy_activate",
    "policy_draft_create",
    "policy_shadow_run",
]
