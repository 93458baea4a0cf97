"""The append-only audit log: every automated and human step, who or what, when, on what inputs.

Nothing in the application updates or deletes an AuditEvent: `save()` refuses to update an
existing row, `delete()` refuses outright, the admin is read-only, and on PostgreSQL a trigger
(migration 0002) rejects UPDATE and DELETE from any client.
"""

import uuid

from django.conf import settings
from django.db import models


class AppendOnlyError(Exception):
    """Raised on any attempt to change or remove an audit record."""


class ActorKind(models.TextChoices):
    SYSTEM = "system", "Moratorium (automated)"
    POLICY = "policy", "Policy"
    MODERATOR = "moderator", "Moderator"
    PLATFORM = "platform", "Platform"
    PARTNER = "partner", "Partner (API)"
    OPERATOR = "operator", "Operator"


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("audit events cannot be updated")

    def delete(self):
        raise AppendOnlyError("audit events cannot be deleted")


class AuditEvent(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_kind = models.CharField(max_length=16, choices=ActorKind.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # A short stable name for what happened: "case.decided", "window.opened", "delivery.dead" …
    action = models.CharField(max_length=64, db_index=True)
    case = models.ForeignKey(
        "triage.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    # What the step looked at and what it produced; never personal data beyond user ids.
    inputs = models.JSONField(default=dict, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    policy_version = models.PositiveIntegerField(null=True, blank=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["case", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_kind} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("audit events cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit events cannot be deleted")
