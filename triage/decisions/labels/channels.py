"""Plain names shared by the label text data and rendering (no models: importable before apps load)."""

from django.db import models

# The "Presented as: …" line: not a label kind of its own, one text per channel and language.
SUBJECTS = "subjects"


class Channel(models.TextChoices):
    VISUAL = "visual", "Visual label"
    SPOKEN = "spoken", "Spoken disclosure"


class TextStatus(models.TextChoices):
    DRAFT = "draft", "Draft (needs native review)"
    REVIEWED = "reviewed", "Reviewed"
    RETIRED = "retired", "Retired"
