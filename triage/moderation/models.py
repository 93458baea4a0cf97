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


class OverviewSnapshot(models.Model):
    """The overview's numbers, computed off the request path (one row per name, replaced in place).

    A beat task recomputes it every DASHBOARD_OVERVIEW_SNAPSHOT_SECONDS; every web process and every
    moderator's page then reads one row instead of aggregating 50,000 cases (bench/overview/).
    """

    name = models.CharField(max_length=32, primary_key=True)
    computed_at = models.DateTimeField()
    data = models.JSONField()

    def __str__(self) -> str:
        return f"{self.name} at {self.computed_at:%H:%M:%S}"


class LoginFailure(models.Model):
    """One failed sign-in, counted against the account and against the address it came from.

    Both are stored as keyed hashes (HMAC with the secret key): the table says how often, never
    who or from where. Rows older than the throttle window are pruned as new ones are written.
    """

    class Scope(models.TextChoices):
        ACCOUNT = "account"
        ADDRESS = "address"

    scope = models.CharField(max_length=7, choices=Scope.choices)
    key = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="dashboard_loginfail_key_at")]

    def __str__(self) -> str:
        return f"failed sign-in ({self.scope}) at {self.at:%Y-%m-%d %H:%M:%S}"


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
    since_decision = models.ForeignKey("policy.Decision", on_delete=models.CASCADE, related_name="reopenings")
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


class Appellant(models.TextChoices):
    CREATOR = "creator", "The content's creator"
    REPORTER = "reporter", "The reporter"


class AppealState(models.TextChoices):
    OPEN = "open", "Open"
    DECIDED = "decided", "Decided"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld (the decision stands)"
    REVERSED = "reversed", "Reversed (the content is restored)"
    MODIFIED = "modified", "Modified (label only)"


class Appeal(models.Model):
    """A creator's or a reporter's complaint about a decision (DSA art. 20), forwarded by a platform.

    It arrives as a signed `appeal` webhook event; the case reopens for a moderator other than
    the one who made the appealed decision; the outcome is a new decision sent to every platform
    carrying the media as an `appeal_decision` callback.
    """

    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="+")
    event_id = models.CharField(max_length=200)
    submission = models.ForeignKey("triage.Submission", on_delete=models.PROTECT, related_name="appeals")
    case = models.ForeignKey("triage.Case", on_delete=models.PROTECT, related_name="appeals")
    appealed_decision = models.ForeignKey("policy.Decision", on_delete=models.PROTECT, related_name="appeals")
    # Who decided the appealed decision: they may not decide the appeal.
    appealed_moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    appellant = models.CharField(max_length=8, choices=Appellant.choices)
    # The appellant's grounds as the platform forwarded them: internal, never sent anywhere.
    statement = models.TextField(blank=True)
    state = models.CharField(max_length=8, choices=AppealState.choices, default=AppealState.OPEN)
    outcome = models.CharField(max_length=8, choices=AppealOutcome.choices, blank=True)
    outcome_decision = models.OneToOneField(
        "policy.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="appeal_resolved"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    received_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "event_id"], name="one_appeal_per_platform_event")
        ]

    def __str__(self) -> str:
        return f"appeal {self.event_id} on case {self.case_id} ({self.state})"


class CaseAssignment(models.Model):
    """Whose case it is to review (the "mine" tab), apart from who holds its lock right now.

    A moderator takes an unassigned case for themself; assigning it to someone else, or taking
    it from someone, is a lead's step. Taking the review lock assigns the case too.
    """

    case = models.OneToOneField("triage.Case", on_delete=models.CASCADE, related_name="assignment")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "assigned_at"])]

    def __str__(self) -> str:
        return f"case {self.case_id} assigned to user {self.user_id}"
