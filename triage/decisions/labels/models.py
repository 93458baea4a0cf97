"""Label texts as versioned data, with a review status per text.

One row is one version of one text: a label kind (or the "subjects" line naming who the content
presents) × a language × a channel (visual label or spoken disclosure). Editing a text adds a new
draft version; the older versions stay, so every decision's text can be traced to the version
and the reviewer behind it. Which version a label uses: the newest reviewed one, else (when the
policy lets drafts be shown for the language) the newest draft, flagged; retired versions never.
"""

from django.conf import settings
from django.db import models

from .channels import SUBJECTS, Channel, TextStatus

__all__ = ["SUBJECTS", "Channel", "LabelText", "TextStatus"]


class LabelText(models.Model):
    kind = models.CharField(max_length=32)  # a LabelKind value or "subjects"
    language = models.CharField(max_length=16)  # ISO 639-1, as in triage/decisions/labels/languages.py
    channel = models.CharField(max_length=8, choices=Channel.choices)
    version = models.PositiveIntegerField()
    # The text; for "subjects", with the placeholder %(names)s. It is also the plural form used
    # when the language's form for the count is missing.
    text = models.TextField()
    # Only for "subjects": the text per CLDR plural category of the number of names
    # ({"one": …, "few": …, "other": …}), chosen with Babel's plural rules for the language.
    plural_forms = models.JSONField(default=dict, blank=True)
    # The English source this translation was written from (for the review screen, and to see
    # when the source changed under a translation).
    source_text = models.TextField(blank=True)
    status = models.CharField(max_length=8, choices=TextStatus.choices, default=TextStatus.DRAFT)
    note = models.CharField(max_length=200, blank=True)  # where it came from, what was changed
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Bumped on every change: the per-process cache compares the newest stamp (texts.py).
    changed_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["kind", "channel", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "language", "channel", "version"], name="label_text_one_row_per_version"
            )
        ]
        permissions = [("review_labeltext", "Can review, retire and import label texts")]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}/{self.language} v{self.version} ({self.status})"
