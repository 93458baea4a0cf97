"""The languages labels ship in, and how far each translation has been checked.

The languages labels come in (names, direction). `review` is the status of the shipped catalogs
(locale/<code>/LC_MESSAGES/django.po); what labels show, and whether it is flagged
`needs_native_review`, now follows each text's own review status in the LabelText data
(docs/labels.md), which election ops change on the review screen.
"""

from dataclasses import dataclass

from django.db import models


class ReviewStatus(models.TextChoices):
    SOURCE = "source", "Source text"
    REVIEWED = "reviewed", "Reviewed by a native speaker"
    DRAFT = "draft", "Draft translation, needs native review"


@dataclass(frozen=True)
class LabelLanguage:
    code: str  # ISO 639-1, lowercase; also the locale directory name
    name: str
    native_name: str
    review: ReviewStatus
    rtl: bool = False
    note: str = ""

    @property
    def needs_native_review(self) -> bool:
        return self.review == ReviewStatus.DRAFT


SOURCE_LANGUAGE = "en"

_D = ReviewStatus.DRAFT
LANGUAGES: dict[str, LabelLanguage] = {
    lang.code: lang
    for lang in [
        LabelLanguage("en", "English", "English", ReviewStatus.SOURCE),
        LabelLanguage("sk", "Slovak", "slovenčina", _D, note="drafted by a non-native writer"),
        LabelLanguage("ur", "Urdu", "اردو", _D, rtl=True, note="drafted by a non-native writer"),
        LabelLanguage("hi", "Hindi", "हिन्दी", _D, note="drafted by a non-native writer"),
        LabelLanguage("es", "Spanish", "español", _D, note="drafted by a fluent non-native writer"),
        LabelLanguage("fr", "French", "français", _D, note="drafted by a fluent non-native writer"),
        LabelLanguage("de", "German", "Deutsch", _D, note="drafted by a fluent non-native writer"),
        LabelLanguage("pl", "Polish", "polski", _D, note="drafted by a non-native writer"),
        LabelLanguage("pt", "Portuguese", "português", _D, note="drafted by a fluent non-native writer"),
        LabelLanguage("id", "Indonesian", "Bahasa Indonesia", _D, note="drafted by a non-native writer"),
        LabelLanguage("ro", "Romanian", "română", _D, note="drafted by a non-native writer"),
        LabelLanguage("it", "Italian", "italiano", _D, note="drafted by a fluent non-native writer"),
        LabelLanguage("cs", "Czech", "čeština", _D, note="drafted by a non-native writer"),
        LabelLanguage("nl", "Dutch", "Nederlands", _D, note="drafted by a non-native writer"),
        LabelLanguage("hu", "Hungarian", "magyar", _D, note="drafted by a non-native writer"),
        LabelLanguage("el", "Greek", "Ελληνικά", _D, note="drafted by a non-native writer"),
        LabelLanguage("ru", "Russian", "русский", _D, note="drafted by a non-native writer"),
        LabelLanguage("uk", "Ukrainian", "українська", _D, note="drafted by a non-native writer"),
        LabelLanguage("tr", "Turkish", "Türkçe", _D, note="drafted by a non-native writer"),
        LabelLanguage("ar", "Arabic", "العربية", _D, rtl=True, note="drafted by a non-native writer"),
        LabelLanguage("bn", "Bengali", "বাংলা", _D, note="drafted by a non-native writer"),
    ]
}


def label_language_get(code: str) -> LabelLanguage | None:
    """Return the shipped language for an ISO 639-1 code, or None."""
    return LANGUAGES.get(code)
