"""Who is reviewing a case right now.

A CaseLock is the moderator's claim on a case (ROOST Coop's job lock): while it is unexpired
nobody else can take the case or act on it. It expires on its own so an abandoned tab never
blocks a case in a silence window, where review deadlines are minutes away.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class CaseLock(models.Model):
    case = models.OneToOneField("triage.Case", on_delete=models.CASCADE, related_name="review_lock")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["expires_at"]

    def __str__(self) -> str:
        return f"case {self.case_id} taken by user {self.user_id} until {self.expires_at:%H:%M}"

    def is_active(self, *, at=None) -> bool:
        return self.expires_at > (at or timezone.now())


class DeadlineEscalation(models.Model):
    """A review deadline that passed with no human decision: the case went to the leads.

    One per decision (the unique constraint makes the sweep idempotent: a second run, or two
    sweeps at once, escalate a missed deadline once). It is open while its decision is the case's
    current one; any new decision (a human's, or a lead's extension) closes it by superseding it.
    """

    case = models.ForeignKey("triage.Case", on_delete=models.CASCADE, related_name="deadline_escalations")
    decision = models.OneToOneField(
        "policy.Decision", on_delete=models.CASCADE, related_name="deadline_escalation"
    )
    deadline = models.DateTimeField()
    escalated_at = models.DateTimeField()
    # Who was told: {"email": [user ids or "configured"], "chat": bool} (no addresses: no PII here).
    notified = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-escalated_at"]

    def __str__(self) -> str:
        return f"case {self.case_id}: deadline {self.deadline:%Y-%m-%d %H:%M} missed"


class ReopenReason(models.TextChoices):
    NEW_REPORT = "new_report", "A new report"
    BANK_MATCH = "bank_match", "A new bank match"
    FACT_CHECK = "fact_check", "A fact-checker's rating"
    APPEAL = "appeal", "An appeal"


class CaseReopening(models.Model):
    """New evidence on a case a human had decided: it is back in the queue until a human looks again."""

    case = models.ForeignKey("triage.Case", on_delete=models.CASCADE, related_name="reopenings")
    # The human decision the evidence arrived after ("new since the last decision").
    since_decision = models.ForeignKey(
        "policy.Decision", on_delete=models.CASCADE, related_name="reopenings"
    )
    reason = models.CharField(max_length=16, choices=ReopenReason.choices)
    # What is new, in codes and ids only: {"submission_id": 7, "platform": "videoshare"} …
    details = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"case {self.case_id} reopened: {self.reason}"


class DecisionNote(models.Model):
    """A moderator's note on a decision. Internal unless the moderator marked it for platforms.

    An internal note never leaves Moratorium: it is not in `Decision.notes` (the platform-facing
    list that callbacks, the status URL, the partner API and the statements read), only here and
    in the audit log. A shared note is also copied into `Decision.notes` as "moderator: …".
    """

    decision = models.ForeignKey("policy.Decision", on_delete=models.CASCADE, related_name="moderator_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField()
    shared = models.BooleanField(default=False, help_text="marked for platforms and partners")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{'shared' if self.shared else 'internal'} note on decision {self.decision_id}"
