"""Decision callbacks: an outbox of deliveries to platforms, and a receipt for every attempt.

One Delivery is one decision for one piece of a platform's content (a Submission: platform +
content id). Its body is frozen when the decision is fanned out, so every retry sends the same
bytes under the same Idempotency-Key; only the signature's timestamp changes between attempts.

The row is the outbox: `state` plus `next_attempt_at` say what is due. A Celery task is enqueued
on commit for speed, and a beat task enqueues whatever is due (retries, lost messages); a worker
claims a row with a conditional update before sending, so two workers never send the same try.
"""

from django.db import models


class DeliveryState(models.TextChoices):
    PENDING = "pending", "Pending (due at next_attempt_at)"
    SENDING = "sending", "Sending (claimed by a worker)"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Dead letter"
    # A newer decision for the same content was fanned out before this one went through: the
    # platform gets the newer, complete state instead.
    SUPERSEDED = "superseded", "Superseded by a newer decision"


class Delivery(models.Model):
    decision = models.ForeignKey("policy.Decision", on_delete=models.PROTECT, related_name="deliveries")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="deliveries")
    submission = models.ForeignKey(
        "triage.Submission", on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    content_id = models.CharField(max_length=200)
    # Sent as the Idempotency-Key header: "<decision uuid>:<platform slug>:<submission id>".
    idempotency_key = models.CharField(max_length=200, unique=True)
    # The callback URL of the latest try (each try uses the platform's URL of the moment).
    url = models.URLField(max_length=500)
    body = models.JSONField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # Retries stop here (24 h after the fan-out, or after a moderator's manual retry).
    give_up_at = models.DateTimeField()
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "submission"], name="one_delivery_per_decision_content"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"]),
            models.Index(fields=["submission", "state"]),
        ]

    def __str__(self) -> str:
        return (
            f"delivery {self.pk} of {self.decision_id} to {self.platform_id}:{self.content_id} ({self.state})"
        )


class AttemptOutcome(models.TextChoices):
    DELIVERED = "delivered", "Delivered (2xx)"
    RETRY = "retry", "Failed, will retry"
    PERMANENT = "permanent", "Refused permanently (dead letter)"
    GAVE_UP = "gave_up", "Failed, out of time (dead letter)"


class DeliveryAttempt(models.Model):
    """The receipt of one try: when, what came back, how fast."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempts_log")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_ms = models.PositiveIntegerField(null=True, blank=True)
    # The first characters of the platform's answer, for support; never the request body.
    response_excerpt = models.CharField(max_length=500, blank=True)
    error = models.CharField(max_length=500, blank=True)
    outcome = models.CharField(max_length=10, choices=AttemptOutcome.choices)
    retry_at = models.DateTimeField(null=True, blank=True)
    url = models.URLField(max_length=500, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_per_number")]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}: {self.outcome}"


class DecisionFanOut(models.Model):
    """Marks a decision as fanned out, so the periodic sweep can find any whose signal was lost."""

    decision = models.OneToOneField("policy.Decision", on_delete=models.CASCADE, related_name="fan_out")
    deliveries = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"fan-out of decision {self.decision_id}: {self.deliveries} deliveries"
