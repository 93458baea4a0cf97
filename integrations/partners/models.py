"""Bearer tokens for partner fact-checkers using the read-only REST API (/api/v1/).

Only the SHA-256 of a token is stored: the token itself (256 random bits) is shown once, when
`create_partner_token` makes it, and cannot be recovered. A leaked database does not leak tokens.
"""

from django.conf import settings
from django.db import models


class Scope(models.TextChoices):
    CASES_READ = "cases:read", "Read cases"
    DECISIONS_READ = "decisions:read", "Read decisions (and their ClaimReview/MediaReview)"
    STATEMENTS_READ = "statements:read", "Read DSA statements of reasons"
    CALENDAR_READ = "calendar:read", "Read the election calendar status"


class PartnerToken(models.Model):
    name = models.CharField(max_length=100, help_text="who holds it, e.g. the fact-checking organization")
    # Hex SHA-256 of the whole token string; the look-up key on every request.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first characters, to tell tokens apart in the admin without storing the secret.
    prefix = models.CharField(max_length=12, editable=False)
    scopes = models.JSONField(default=list, help_text='e.g. ["cases:read", "calendar:read"]')
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "-created_at"]

    def __str__(self) -> str:
        state = " (revoked)" if self.revoked_at else ""
        return f"{self.name} {self.prefix}…{state}"

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])
