"""Label kinds and their source texts.

Every text here is a gettext message with a context per kind ("label:<kind>" for the visible label,
"audio:<kind>" for the spoken disclosure), so `manage.py makemessages` extracts them and each
language's catalog in locale/<lang>/LC_MESSAGES/django.po translates them. The English msgids are
the source texts: change one and every catalog needs the new text (the catalog test fails until then).

Wording rules (docs/labels.md): say what is known and no more. "may have been", never "is", when a
finding is a likelihood; never "fake", "false" or "deepfake" in a label; calm and short; nobody is
blamed; no label tells people what to believe.
"""

from django.db import models
from django.utils.translation import pgettext_lazy


class LabelKind(models.TextChoices):
    AI_GENERATED_DISCLOSED = "ai_generated_disclosed", "AI-generated (disclosed by its creator)"
    LIKELY_AI_GENERATED = "likely_ai_generated", "Likely AI-generated"
    UNVERIFIED = "unverified", "Unverified (under review)"
    ALTERED_OR_EDITED = "altered_or_edited", "Altered or edited"
    AUTHENTICITY_DISPUTED = "authenticity_disputed", "Authenticity disputed"
    DISPUTED_BY_FACT_CHECKERS = "disputed_by_fact_checkers", "Disputed by independent fact-checkers"


# Shown on or next to the content.
LABEL_TEXTS = {
    LabelKind.AI_GENERATED_DISCLOSED: pgettext_lazy(
        "label:ai_generated_disclosed", "Made with AI. The creator disclosed this."
    ),
    LabelKind.LIKELY_AI_GENERATED: pgettext_lazy(
        "label:likely_ai_generated",
        "This may have been made with AI. Consider checking other sources before sharing.",
    ),
    LabelKind.UNVERIFIED: pgettext_lazy(
        "label:unverified", "Under review. This content has not been verified yet."
    ),
    LabelKind.ALTERED_OR_EDITED: pgettext_lazy(
        "label:altered_or_edited", "Altered or edited. This may not match the original."
    ),
    LabelKind.AUTHENTICITY_DISPUTED: pgettext_lazy(
        "label:authenticity_disputed",
        "Authenticity disputed. Whether this is genuine has been questioned and is not settled.",
    ),
    LabelKind.DISPUTED_BY_FACT_CHECKERS: pgettext_lazy(
        "label:disputed_by_fact_checkers", "Disputed by independent fact-checkers."
    ),
}

# Spoken before (or over) audio, and over video whose sound is synthetic: people who only hear a
# recording never see a visual label (the Pakistan case in the PAI case study).
AUDIO_SCRIPTS = {
    LabelKind.AI_GENERATED_DISCLOSED: pgettext_lazy(
        "audio:ai_generated_disclosed",
        "Notice: this recording uses a voice made with AI, as its creator disclosed.",
    ),
    LabelKind.LIKELY_AI_GENERATED: pgettext_lazy(
        "audio:likely_ai_generated",
        "Notice: the voice in this recording may have been made with AI. It has not been confirmed.",
    ),
    LabelKind.UNVERIFIED: pgettext_lazy(
        "audio:unverified", "Notice: this recording is under review and has not been verified yet."
    ),
    LabelKind.ALTERED_OR_EDITED: pgettext_lazy(
        "audio:altered_or_edited",
        "Notice: this recording has been altered or edited and may not match the original.",
    ),
    LabelKind.AUTHENTICITY_DISPUTED: pgettext_lazy(
        "audio:authenticity_disputed",
        "Notice: whether this recording is genuine has been questioned and is not settled.",
    ),
    LabelKind.DISPUTED_BY_FACT_CHECKERS: pgettext_lazy(
        "audio:disputed_by_fact_checkers",
        "Notice: independent fact-checkers have disputed this recording.",
    ),
}

# Optional second line naming who the content presents (names are never translated). "Presented as"
# states what the content claims without confirming that the person said or did anything.
SUBJECTS_LABEL_TEXT = pgettext_lazy("label:subjects", "Presented as: %(names)s.")
SUBJECTS_AUDIO_TEXT = pgettext_lazy("audio:subjects", "The voice is presented as that of %(names)s.")

# The fact-checkers a "disputed_by_fact_checkers" label names (never translated), before the link
# to their published review (a URL needs no translation).
FACT_CHECKERS_LABEL_TEXT = pgettext_lazy("label:fact_checkers", "Reviewed by %(fact_checkers)s.")
