"""Triage's core records.

MediaItem is the contract other apps build on: one row per distinct media file (exact SHA-256),
stored once in content-addressed storage. Cases, submissions and their history live beside it.
"""

from django.db import models


class MediaType(models.TextChoices):
    AUDIO = "audio", "Audio"
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


class MediaItem(models.Model):
    sha256 = models.CharField(max_length=64, unique=True)
    media_type = models.CharField(max_length=8, choices=MediaType.choices)
    mime_type = models.CharField(max_length=100)
    size_bytes = models.BigIntegerField()
    # Stored under media/<sha256[:2]>/<sha256>: the same bytes are stored once whatever their name.
    file = models.FileField(upload_to="media/", max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.media_type} {self.sha256[:12]}"
