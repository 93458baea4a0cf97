"""Which language a piece of content is in: the platform's word first, then the text's.

A platform may declare the content's language as a BCP 47 tag ("ur-PK", "pt-BR", "zh-Hant");
labels need a plain language (the catalog's directory name), so tags are normalised to their
ISO 639-1 primary subtag, except Chinese, where the script decides which text people can read.
Without a usable tag the language is detected from the content's text (a caption, a transcript)
with lingua, and detection says "don't know" rather than guess on short or ambiguous text.
"""

import re
from functools import lru_cache

# ISO 639-2 (bibliographic and terminology) and 639-3 codes platforms send instead of 639-1,
# plus the deprecated 639-1 codes some systems still emit.
_ALIASES = {
    "ara": "ar",
    "ben": "bn",
    "ces": "cs",
    "cze": "cs",
    "deu": "de",
    "ger": "de",
    "ell": "el",
    "gre": "el",
    "eng": "en",
    "spa": "es",
    "fra": "fr",
    "fre": "fr",
    "hin": "hi",
    "hun": "hu",
    "ind": "id",
    "ita": "it",
    "nld": "nl",
    "dut": "nl",
    "pol": "pl",
    "por": "pt",
    "ron": "ro",
    "rum": "ro",
    "rus": "ru",
    "slk": "sk",
    "slo": "sk",
    "tur": "tr",
    "ukr": "uk",
    "urd": "ur",
    "zho": "zh",
    "chi": "zh",
    "jpn": "ja",
    "kor": "ko",
    "heb": "he",
    "fas": "fa",
    "per": "fa",
    "msa": "ms",
    "may": "ms",
    "tgl": "tl",
    "fil": "tl",
    "tam": "ta",
    "bul": "bg",
    "hrv": "hr",
    "slv": "sl",
    "lit": "lt",
    "lav": "lv",
    "est": "et",
    "fin": "fi",
    "swe": "sv",
    "dan": "da",
    "nor": "no",
    "nob": "nb",
    "srp": "sr",
    "vie": "vi",
    "tha": "th",
    "pan": "pa",
    "mar": "mr",
    "tel": "te",
    "guj": "gu",
    "kan": "kn",
    "mal": "ml",
    "swa": "sw",
    "cat": "ca",
    "glg": "gl",
    "eus": "eu",
    "baq": "eu",
    "iw": "he",
    "in": "id",
    "ji": "yi",
    "jw": "jv",
    "mo": "ro",
}
# Tags that carry no language.
_NO_LANGUAGE = {"und", "mul", "zxx", "mis"}
_TAG_RE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$")
_TRADITIONAL_CHINESE_REGIONS = {"tw", "hk", "mo"}

# Below this many letters detection is a guess; say "don't know" instead.
MIN_LETTERS_TO_DETECT = 20
# lingua's confidence for the detected language must reach this (0..1).
MIN_DETECTION_CONFIDENCE = 0.5
# Only the start of a long text is read: detection time stays bounded whatever is sent.
MAX_DETECTION_CHARS = 2000


def language_tag_normalize(tag: str | None) -> str | None:
    """Return the label language for a BCP 47 tag ("ur-PK" → "ur"), or None if it names none."""
    if not tag or not isinstance(tag, str):
        return None
    value = tag.strip().replace("_", "-").lower()
    if not _TAG_RE.match(value):
        return None
    subtags = value.split("-")
    primary = _ALIASES.get(subtags[0], subtags[0])
    if primary in _NO_LANGUAGE or len(primary) != 2:
        return None
    if primary == "zh":
        rest = set(subtags[1:])
        if "hant" in rest or (rest & _TRADITIONAL_CHINESE_REGIONS and "hans" not in rest):
            return "zh-hant"
        return "zh-hans"
    return primary


@lru_cache(maxsize=1)
def _detector():
    """Build lingua's detector once per process.

    Low-accuracy mode (trigram models only) over all of lingua's languages: about 100 MB resident
    and no noticeable load time, against close to 1 GB for the high-accuracy models. All languages,
    not only the shipped ones, so text in a language without a catalog is recognised as such (and
    labelled in English, flagged) instead of being forced into the nearest shipped language.
    """
    # lingua's language models load on first use, not at import
    from lingua import LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_all_languages()
        .with_low_accuracy_mode()
        .with_minimum_relative_distance(0.1)
        .build()
    )


def language_detect(text: str | None) -> str | None:
    """Return the ISO 639-1 code of the text's language, or None when unsure."""
    if not text or not isinstance(text, str):
        return None
    sample = text[:MAX_DETECTION_CHARS]
    if sum(ch.isalpha() for ch in sample) < MIN_LETTERS_TO_DETECT:
        return None
    detector = _detector()
    language = detector.detect_language_of(sample)
    if language is None:
        return None
    if detector.compute_language_confidence(sample, language) < MIN_DETECTION_CONFIDENCE:
        return None
    return language.iso_code_639_1.name.lower()


def content_language_resolve(*, declared: str | None, text: str | None) -> tuple[str | None, str]:
    """Return (language, source): source is "declared", "detected" or "undetermined".

    The platform's declared tag wins when it names a language; otherwise the text is detected.
    """
    language = language_tag_normalize(declared)
    if language:
        return language, "declared"
    language = language_detect(text)
    if language:
        return language, "detected"
    return None, "undetermined"


def creator_disclosure_mismatch(
    *, disclosure_language: str | None, content_language: str | None
) -> str | None:
    """Return a note when the creator disclosed in another language than the content's.

    E.g. "creator disclosure in en, content in ur" (an English overlay on Urdu audio). None when
    they match or either is unknown.
    """
    disclosure = language_tag_normalize(disclosure_language)
    content = language_tag_normalize(content_language)
    if not disclosure or not content or disclosure == content:
        return None
    return f"creator disclosure in {disclosure}, content in {content}"
