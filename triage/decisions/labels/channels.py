"""Plain names shared by the label text data and rendering (no models: importable before apps load)."""

from django.db import models

# The "Presented as: …" line: not a label kind of its own, one text per channel and language.
SUBJECTS = "subjects"
# The "Reviewed by …" line a disputed-by-fact-checkers label adds: one text per language too.
FACT_CHECKERS = "fact_checkers"
# Lines with one named placeholder, and the placeholder each must keep.
LINE_PLACEHOLDERS = {SUBJECTS: "names", FACT_CHECKERS: "fact_checkers"}


class Channel(models.TextChoices):
    VISUAL = "visual", "Visual label"
    SPOKEN = "spoken", "Spoken disclosure"


class TextStatus(models.TextChoices):
    DRAFT = "draft", "Draft (needs native review)"
    REVIEWED = "reviewed", "Reviewed"
    RETIRED = "retired", "Retired"
