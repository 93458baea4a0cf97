"""Bearer tokens for partner fact-checkers using the read-only REST API (/api/v1/).

Only the SHA-256 of a token is stored: the token itself (256 random bits) is shown once, when
`create_partner_token` makes it, and cannot be recovered. A leaked database does not leak tokens.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Scope(models.TextChoices):
    CASES_READ = "cases:read", "Read cases"
    DECISIONS_READ = "decisions:read", "Read decisions (and their ClaimReview/MediaReview)"
    STATEMENTS_READ = "statements:read", "Read DSA statements of reasons"
    CALENDAR_READ = "calendar:read", "Read the election calendar status"
    ASSESSMENTS_WRITE = "assessments:write", "Create, update and withdraw the organisation's assessments"
    WEBHOOKS_MANAGE = "webhooks:manage", "Register the organisation's webhook"


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
    # Issue 14: the organisation holding it (its scope limits what the token sees), an expiry,
    # and the token it replaced when it was issued by a rotation.
    partner = models.ForeignKey(
        "partners.PartnerOrganisation", null=True, blank=True, on_delete=models.PROTECT, related_name="tokens"
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    rotated_from = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="rotated_to", editable=False
    )

    class Meta:
        ordering = ["name", "-created_at"]

    def __str__(self) -> str:
        state = " (revoked)" if self.revoked_at else ""
        return f"{self.name} {self.prefix}…{state}"

    @property
    def active(self) -> bool:

        expired = self.expires_at is not None and self.expires_at <= timezone.now()
        return self.revoked_at is None and not expired

    def has_scope(self, scope: str) -> bool:
        return scope in (self.scopes or [])


# Partner organisations, scope, sharing and assessments (issue 14) --------------------------------
# Added beside the token: an organisation holds tokens and a scope (countries, languages); a case
# outside the scope is invisible to it unless a moderator shared it (CaseShare).


class PartnerOrganisation(models.Model):
    name = models.CharField(max_length=100, unique=True)
    url = models.URLField(max_length=500, blank=True, help_text="the organisation's site (JSON-LD author)")
    # ISO 3166-1 alpha-2 (upper case) and ISO 639-1 (lower case), sorted. A case is in scope when
    # its audience includes one of the countries or its content is in one of the languages.
    countries = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    enabled = models.BooleanField(default=True)
    # The partner's webhook (registered by the partner through the API; see docs/api.md).
    webhook_url = models.URLField(max_length=500, blank=True)
    webhook_events = models.JSONField(default=list, blank=True)
    # Fernet-encrypted HMAC secrets (see integrations/partners/secrets.py): the current one and the one
    # it replaced, both signing during a rotation.
    webhook_secret = models.TextField(blank=True, editable=False)
    webhook_previous_secret = models.TextField(blank=True, editable=False)
    # Loopback/private webhook hosts are refused unless an operator allows them (tests, on-prem).
    webhook_allow_private = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CaseShare(models.Model):
    """A moderator showed an out-of-scope case to a partner."""

    case = models.ForeignKey("triage.Case", on_delete=models.CASCADE, related_name="partner_shares")
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.CASCADE, related_name="shares")
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["partner", "case"], name="one_share_per_partner_case")]

    def __str__(self) -> str:
        return f"case {self.case_id} shared with {self.partner}"


class MediaAuthenticityCategory(models.TextChoices):
    """schema.org MediaManipulationRatingEnumeration: exactly these members."""

    DECONTEXTUALIZED = "DecontextualizedContent", "Decontextualized content"
    EDITED_OR_CROPPED = "EditedOrCroppedContent", "Edited or cropped content"
    ORIGINAL = "OriginalMediaContent", "Original media content"
    SATIRE_OR_PARODY = "SatireOrParodyContent", "Satire or parody content"
    STAGED = "StagedContent", "Staged content"
    TRANSFORMED = "TransformedContent", "Transformed content"


# Ratings that say the media is false or manipulated: a moderator may add such media to the
# debunked bank (never automatically: a partner's word alone does not write evidence).
MANIPULATED_CATEGORIES = frozenset(
    {
        MediaAuthenticityCategory.DECONTEXTUALIZED,
        MediaAuthenticityCategory.EDITED_OR_CROPPED,
        MediaAuthenticityCategory.STAGED,
        MediaAuthenticityCategory.TRANSFORMED,
    }
)


class AssessmentState(models.TextChoices):
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class DebunkState(models.TextChoices):
    NOT_APPLICABLE = "", "Not a false/manipulated rating"
    AWAITING = "awaiting", "Awaiting a moderator's confirmation"
    CONFIRMED = "confirmed", "Confirmed: media added to the debunked bank"
    DISMISSED = "dismissed", "Dismissed by a moderator"


class PartnerAssessment(models.Model):
    """A partner's fact-check of a case: a MediaReview and a ClaimReview rating, and its reasons."""

    public_id = models.UUIDField(unique=True, editable=False)
    partner = models.ForeignKey(PartnerOrganisation, on_delete=models.PROTECT, related_name="assessments")
    case = models.ForeignKey("triage.Case", on_delete=models.PROTECT, related_name="partner_assessments")
    media_item = models.ForeignKey(
        "triage.MediaItem", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token = models.ForeignKey(PartnerToken, null=True, on_delete=models.PROTECT, related_name="+")
    media_authenticity_category = models.CharField(max_length=32, choices=MediaAuthenticityCategory.choices)
    original_media_context_description = models.TextField(blank=True)
    original_media_link = models.URLField(max_length=2000, blank=True)
    claim_reviewed = models.CharField(max_length=500)
    rating_alternate_name = models.CharField(max_length=100)
    rating_value = models.IntegerField(null=True, blank=True)
    best_rating = models.IntegerField(null=True, blank=True)
    worst_rating = models.IntegerField(null=True, blank=True)
    explanation = models.TextField()
    language = models.CharField(max_length=8)
    evidence_urls = models.JSONField(default=list, blank=True)
    published_url = models.URLField(max_length=2000, blank=True)
    state = models.CharField(
        max_length=10, choices=AssessmentState.choices, default=AssessmentState.PUBLISHED
    )
    debunk_state = models.CharField(max_length=10, choices=DebunkState.choices, blank=True, default="")
    debunk_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    debunk_reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "case"],
                condition=models.Q(state="published"),
                name="one_published_assessment_per_partner_case",
            )
        ]
        indexes = [models.Index(fields=["case", "state"]), models.Index(fields=["debunk_state"])]

    def __str__(self) -> str:
        return f"{self.partner} on case {self.case_id}: {self.media_authenticity_category} ({self.state})"
