"""Platforms: the distributors that send flagged content and receive decisions."""

from django.db import models

from .signing import secret_decrypt


class Platform(models.Model):
    slug = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=100)
    # Two secrets at a time: during a rotation both verify, until the previous one is retired.
    # Encrypted at rest (see signing.py); never shown after creation or rotation.
    signing_secret_encrypted = models.TextField(editable=False)
    previous_signing_secret_encrypted = models.TextField(blank=True, editable=False)
    secret_rotated_at = models.DateTimeField(null=True, blank=True, editable=False)
    callback_url = models.URLField("decision callback URL", max_length=500, blank=True)
    default_countries = models.JSONField(
        default=list,
        blank=True,
        help_text='ISO 3166-1 alpha-2 codes, e.g. ["SK"], used when an event names none',
    )
    allow_private_fetch = models.BooleanField(
        default=False,
        help_text="Fetch media from private, loopback and link-local addresses (tests, on-site CDNs).",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.name or self.slug

    def signing_secrets(self) -> list[str]:
        """Return the secrets that currently verify a signature, newest first."""
        return [
            s
            for s in (
                secret_decrypt(self.signing_secret_encrypted),
                secret_decrypt(self.previous_signing_secret_encrypted),
            )
            if s
        ]
