"""The outbox of partner webhook deliveries (issue 14), run like platform callbacks.

One PartnerDelivery is one event for one partner: a new case in its scope (`case.new`) or a
decision on a case it assessed (`decision`). Its body is frozen when it is created, so every
retry sends the same bytes under the same Idempotency-Key; the row's state and next_attempt_at
say what is due, and a worker claims a row with a conditional update before sending.
"""

from django.db import models


class PartnerDeliveryState(models.TextChoices):
    PENDING = "pending", "Pending (due at next_attempt_at)"
    SENDING = "sending", "Sending (claimed by a worker)"
    DELIVERED = "delivered", "Delivered"
    DEAD = "dead", "Dead letter"


class PartnerDelivery(models.Model):
    partner = models.ForeignKey(
        "partners.PartnerOrganisation", on_delete=models.PROTECT, related_name="webhook_deliveries"
    )
    event = models.CharField(max_length=16)
    case = models.ForeignKey("triage.Case", on_delete=models.PROTECT, related_name="+")
    decision = models.ForeignKey(
        "policy.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # "case.new:<case id>:<partner id>" or "decision:<decision uuid>:<partner id>": one per event and partner.
    idempotency_key = models.CharField(max_length=200, unique=True)
    url = models.URLField(max_length=500)
    body = models.JSONField()
    state = models.CharField(
        max_length=10, choices=PartnerDeliveryState.choices, default=PartnerDeliveryState.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField()
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_response_ms = models.PositiveIntegerField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    dead_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "partner deliveries"
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="partner_delivery_due")]

    def __str__(self) -> str:
        return f"{self.event} of case {self.case_id} to {self.partner} ({self.state})"
