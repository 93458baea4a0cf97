"""Labels for synthetic and disputed media, in the content's language.

Texts are LabelText data (models.py; texts.py picks the version, services.py changes them, audited);
the spoken disclosure becomes audio in speech.py. This module imports no models (it is imported
while apps load), so rendering imports the data lazily.

Public API:
- `label_render(kind=, language=, subjects=None, disclosure=None) -> RenderedLabel`
- `audio_disclosure_script(kind=, language=, subjects=None) -> str` (and `audio_disclosure_render`)
- `content_language_resolve(declared=, text=) -> (language | None, "declared"|"detected"|"undetermined")`
- `creator_disclosure_mismatch(disclosure_language=, content_language=) -> str | None`
- `LabelKind`, `LANGUAGES` (shipped languages with their review status)
"""

from .kinds import LabelKind
from .languages import LANGUAGES, LabelLanguage, ReviewStatus
from .render import RenderedLabel, audio_disclosure_render, audio_disclosure_script, label_render
from .resolve import (
    content_language_resolve,
    creator_disclosure_mismatch,
    language_detect,
    language_tag_normalize,
)

__all__ = [
    "LANGUAGES",
    "LabelKind",
    "LabelLanguage",
    "RenderedLabel",
    "ReviewStatus",
    "audio_disclosure_render",
    "audio_disclosure_script",
    "content_language_resolve",
    "creator_disclosure_mismatch",
    "label_render",
    "language_detect",
    "language_tag_normalize",
]
