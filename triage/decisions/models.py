"""Policy as data, and the decisions it (or a moderator) makes about a case.

A PolicyVersion holds a whole rule set; versions are immutable once active (edit a draft,
shadow-run it, activate it). Every Decision records the version that made it, so any decision
can be explained later against the exact rules in force.

The Decision's fields are the body platforms receive (see README "Decisions back to
platforms"): extend, don't rename.
"""

import uuid

from django.conf import settings
from django.db import models


class PolicyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    RETIRED = "retired", "Retired"


class PolicyVersion(models.Model):
    version = models.PositiveIntegerField(unique=True)
    status = models.CharField(max_length=8, choices=PolicyStatus.choices, default=PolicyStatus.DRAFT)
    description = models.TextField(blank=True)
    # The rule set: see triage/decisions/engine.py for its schema.
    rules = models.JSONField(default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=models.Q(status="active"), name="one_active_policy"
            )
        ]

    def __str__(self) -> str:
        return f"policy v{self.version} ({self.status})"


class CasePhase(models.TextChoices):
    NORMAL = "normal", "Normal"
    ELECTION_PERIOD = "election_period", "Election period"
    SILENCE = "silence", "Silence window"


class DecidedBy(models.TextChoices):
    POLICY = "policy", "Policy"
    MODERATOR = "moderator", "Moderator"


class ActionType(models.TextChoices):
    LABEL = "label", "Label"
    REMOVAL_HOLD = "removal_hold", "Removal hold"
    REDUCE_DISTRIBUTION = "reduce_distribution", "Reduced distribution"
    ESCALATE = "escalate", "Escalate to lead"
    NO_ACTION = "no_action", "No action"


class Decision(models.Model):
    decision_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey("triage.Case", on_delete=models.PROTECT, related_name="decisions")
    phase = models.CharField(max_length=16, choices=CasePhase.choices)
    # {"country": "SK", "window_end": ISO, "election": name, "window_id": id} or {} in normal phase.
    phase_reason = models.JSONField(default=dict, blank=True)
    # {"label": …, "confidence": …, "reasons": […]} as fused at decision time (or null: no verdict yet).
    verdict = models.JSONField(null=True, blank=True)
    # The platform-facing list: [{"type": "label", "kind": …, "language": …, "text": …}, …].
    actions = models.JSONField(default=list)
    policy_version = models.ForeignKey(
        PolicyVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )
    # The names of the rules that fired, in order, for explaining the decision.
    matched_rules = models.JSONField(default=list, blank=True)
    decided_by = models.CharField(max_length=10, choices=DecidedBy.choices)
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.JSONField(default=list, blank=True)
    # Denormalized from a removal_hold action for the review queue.
    review_deadline = models.DateTimeField(null=True, blank=True, db_index=True)
    # Why a hold was placed: "silence" when only the silence window justified it (released to a
    # human when the window closes), "policy" otherwise.
    hold_reason = models.CharField(max_length=16, blank=True)
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    is_current = models.BooleanField(default=True)
    # The action types as ",label,removal_hold,": derived on save so "decisions that hold" or
    # "that escalate" is a plain substring filter on every database (SQLite has no JSON containment).
    action_kinds = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(is_current=True), name="one_current_decision_per_case"
            )
        ]
        indexes = [
            # The moderation queue reads every live case's current decision for its order and tab
            # counts (50,000 open cases: docs/benchmarks.md): these columns (and the id the missed-deadline
            # join needs) in the index let
            # PostgreSQL answer from the index alone, without the decisions' wide rows (actions,
            # verdict) or the superseded ones. SQLite builds it without the INCLUDE columns.
            models.Index(
                fields=["case"],
                include=["id", "phase", "review_deadline", "decided_by", "moderator", "action_kinds"],
                condition=models.Q(is_current=True),
                name="policy_decision_current_queue",
            )
        ]

    def __str__(self) -> str:
        kinds = ", ".join(a.get("type", "?") for a in self.actions) or "nothing"
        return f"decision {self.decision_id} on case {self.case_id}: {kinds}"

    def save(self, *args, **kwargs):
        self.action_kinds = "," + ",".join(self.action_types()) + "," if self.actions else ""
        if kwargs.get("update_fields") is not None and "actions" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "action_kinds"}
        super().save(*args, **kwargs)

    def action_types(self) -> list[str]:
        return [a.get("type", "") for a in self.actions]


# Window transitions: the bookkeeping behind exactly-once re-evaluation of cases when a silence
# window opens or closes (triage/decisions/transitions.py). The calendar only says when windows are;
# what a transition does to cases is decided here.


class TransitionKind(models.TextChoices):
    OPENED = "opened", "Window opened"
    CLOSED = "closed", "Window closed"


class WindowTransition(models.Model):
    """A silence window opening or closing, recorded once: the claim behind exactly-once re-evaluation.

    The identity is (window, kind, boundary_at), where boundary_at is the window's start (opened)
    or end (closed) when the transition happened. A window deleted while open (its election or
    rule removed) closes too, with the boundary of its opening. The unique constraint is the claim: two beats
    racing insert the same row and one of them loses. An operator who extends a live window moves
    its end, so the close at the new end is a new identity and nothing closes at the old one.
    """

    window = models.ForeignKey(
        "elections.SilenceWindow",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="transitions",
    )
    # The window's id, kept when the window is deleted: the claim's key, and how the close of a
    # window removed while open finds its opening.
    window_ref = models.BigIntegerField()
    kind = models.CharField(max_length=8, choices=TransitionKind.choices)
    boundary_at = models.DateTimeField(help_text="the window's start (opened) or end (closed), UTC")
    # Kept for the record: a recomputation may delete the window later.
    country = models.CharField(max_length=2)
    regions = models.JSONField(default=list, blank=True)
    window_label = models.CharField(max_length=300, blank=True)
    # The clock reading of the beat that recorded it (later than boundary_at after downtime).
    recorded_at = models.DateTimeField()
    cases_total = models.PositiveIntegerField(default=0)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        db_table = "elections_windowtransition"  # created by the elections app; moved without a copy
        ordering = ["boundary_at", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["window_ref", "kind", "boundary_at"], name="one_transition_per_window_boundary"
            )
        ]
        indexes = [models.Index(fields=["finished_at"]), models.Index(fields=["window", "kind"])]

    def __str__(self) -> str:
        return f"{self.window_label} {self.kind} at {self.boundary_at:%Y-%m-%d %H:%M} UTC"


class TransitionBatchState(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    DONE = "done", "Done"


class WindowTransitionBatch(models.Model):
    """Up to WINDOW_TRANSITION_BATCH_SIZE case ids of a transition to re-evaluate: the outbox row.

    Committed with the transition; its task is enqueued on commit, and the beat re-enqueues a
    batch left pending or running past the lease (a lost message, a worker that died).
    """

    transition = models.ForeignKey(WindowTransition, on_delete=models.CASCADE, related_name="batches")
    case_ids = models.JSONField(default=list)
    state = models.CharField(
        max_length=8, choices=TransitionBatchState.choices, default=TransitionBatchState.PENDING
    )
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    # Cases whose re-evaluation raised (logged by id; the batch still completes).
    failed_case_ids = models.JSONField(default=list, blank=True)

    class Meta:
        db_table = "elections_windowtransitionbatch"
        ordering = ["transition", "pk"]
        indexes = [models.Index(fields=["state", "enqueued_at"])]

    def __str__(self) -> str:
        return f"batch {self.pk} of {self.transition_id} ({len(self.case_ids)} cases, {self.state})"


class FactCheckRating(models.TextChoices):
    """The published ratings that make media "fact-checked" for the policy (issue 11)."""

    FALSE = "false", "False"
    MANIPULATED = "manipulated", "Manipulated"


class FactCheck(models.Model):
    """An independent fact-checker's published rating of a case's media (with who, when, link).

    Recorded by `triage.decisions.fact_checked.case_fact_check_record` (a partner API, a moderator, a
    command); a match with a `debunked` fingerprint bank counts the same without a row here.
    """

    case = models.ForeignKey("triage.Case", on_delete=models.CASCADE, related_name="fact_checks")
    rating = models.CharField(max_length=16, choices=FactCheckRating.choices)
    fact_checker = models.CharField(max_length=200, help_text="the organization that published it")
    published_at = models.DateTimeField()
    url = models.URLField(max_length=500, help_text="the published review")
    claim_reviewed = models.TextField(blank=True)
    recorded_by = models.CharField(max_length=200, blank=True, help_text="who recorded it here")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["published_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["case", "fact_checker", "url"], name="one_fact_check_per_review")
        ]

    def __str__(self) -> str:
        return f"{self.fact_checker}: {self.rating} ({self.url})"
