"""Fingerprint banks: known media, grouped by what a match means.

A bank's purpose says what a match is evidence of: known synthetic media, media already debunked, or
authentic official recordings (a negative bank, our guard against the liar's dividend: a real
recording someone claims is fake). Each bank has its own match thresholds per media type.
"""

from django.conf import settings
from django.db import models

from triage.models import MediaType


class BankPurpose(models.TextChoices):
    SYNTHETIC = "synthetic", "Known synthetic"
    DEBUNKED = "debunked", "Debunked"
    AUTHENTIC = "authentic", "Authentic official recordings"
    # Every stored media item, so a re-encoded copy joins the case of the original (see
    # docs/clustering.md). A match here is not evidence of anything: the verdict never sees it.
    REFERENCE = "reference", "Reference: media seen (clustering only, not evidence)"


# The purposes whose matches say something about the media, which the fingerprint check reports.
EVIDENCE_PURPOSES = frozenset({BankPurpose.SYNTHETIC, BankPurpose.DEBUNKED, BankPurpose.AUTHENTIC})


class FingerprintBank(models.Model):
    name = models.SlugField(max_length=100, unique=True)
    purpose = models.CharField(max_length=16, choices=BankPurpose.choices)
    description = models.TextField(blank=True)
    enabled = models.BooleanField(default=True)
    # Images and video keyframes: PDQ Hamming distance out of 256 bits; at most this is a match.
    image_max_distance = models.PositiveSmallIntegerField(
        default=31, help_text="Largest PDQ Hamming distance (0-256 bits) that counts as an image match."
    )
    video_max_distance = models.PositiveSmallIntegerField(
        default=31, help_text="Largest PDQ Hamming distance (0-256 bits) for two video keyframes to match."
    )
    video_min_frame_fraction = models.FloatField(
        default=0.5,
        help_text="Share (0-1) of the shorter video's keyframes that must match for a video match.",
    )
    # Audio: landmark hashes that agree on one time offset; fewer than this is chance.
    audio_min_hashes = models.PositiveIntegerField(
        default=20,
        help_text="Fewest landmark hashes aligned on one time offset that count as an audio match.",
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.purpose})"


class BankedItem(models.Model):
    bank = models.ForeignKey(FingerprintBank, on_delete=models.CASCADE, related_name="items")
    sha256 = models.CharField(max_length=64)
    media_type = models.CharField(max_length=8, choices=MediaType.choices)
    original_name = models.CharField(max_length=255, blank=True)
    # Compact binary: 32-byte PDQ hashes (an image and its centre crops; a video's keyframes), packed
    # landmark (hash, offset) pairs for audio (see fingerprints/*.py for the layouts).
    fingerprint = models.BinaryField()
    fingerprint_version = models.PositiveSmallIntegerField(default=1)
    # Images: ORB keypoints and descriptors (fingerprints/local_features.py) that confirm a match found
    # through a region, a mirror or the loose distance band. Read per candidate, never indexed; empty
    # for items banked before verification existed (they match as before, without the new candidates).
    local_features = models.BinaryField(default=b"", blank=True, editable=False)
    duration_seconds = models.FloatField(null=True, blank=True)
    notes = models.TextField(blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)
    # Match indexes are rebuilt when this moves (an edited name or note must show in matches).
    updated_at = models.DateTimeField(auto_now=True)
    media_item = models.ForeignKey(
        "triage.MediaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="banked_as"
    )

    class Meta:
        ordering = ["-added_at"]
        constraints = [models.UniqueConstraint(fields=["bank", "sha256"], name="banks_item_unique_per_bank")]
        indexes = [models.Index(fields=["media_type", "bank"])]

    def __str__(self) -> str:
        return f"{self.bank.name}: {self.original_name or self.sha256[:12]}"
