"""Stored DSA statements of reasons: one per restricting decision and platform submission.

A statement is stored whether or not it validates: an invalid one keeps its validation errors
(`errors`, field → messages) so an operator sees it and fixes the input, instead of the
statement silently going missing from the export.
"""

from django.db import models


class StatementOfReasons(models.Model):
    decision = models.ForeignKey("policy.Decision", on_delete=models.PROTECT, related_name="statements")
    platform = models.ForeignKey("platforms.Platform", on_delete=models.PROTECT, related_name="statements")
    submission = models.ForeignKey(
        "triage.Submission", on_delete=models.PROTECT, related_name="statements", db_index=False
    )
    # The statement's puid, unique across everything Moratorium files ("" when it could not be built).
    puid = models.CharField(max_length=500, blank=True, db_index=True)
    # The statement as the Transparency Database takes it ({} when the decision could not be built).
    statement = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=dict, blank=True)
    valid = models.BooleanField(default=False, db_index=True)
    decided_at = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        verbose_name = "statement of reasons"
        verbose_name_plural = "statements of reasons"
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "submission"], name="one_statement_per_decision_content"
            )
        ]

    def __str__(self) -> str:
        return f"statement {self.puid or self.pk} ({'valid' if self.valid else 'invalid'})"
