"""The content's own language, before English: the audience country's languages when the text can't tell.

A platform that declares no language, with a caption that is absent, short, or transliterated
(Roman Urdu: Urdu written in Latin letters, which detection reads as Shona or Tagalog), gets its
label in the audience country's first language from the calendar (PK → ur) rather than in
English. Every such fallback is a note on the case and an input (`language_fallback`) the default
policy turns into a review. Names are written in the label's script when the registry has the
alias (عمران خان in an Urdu label).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from elections.models import Country
from triage.decisions.labels import content_language_resolve, language_tag_normalize
from triage.decisions.labels.languages import label_language_get

# The script each shipped non-Latin language is written in (Unicode character-name prefix).
LANGUAGE_SCRIPTS = {
    "ur": "ARABIC", "ar": "ARABIC", "fa": "ARABIC", "ps": "ARABIC", "sd": "ARABIC",
    "hi": "DEVANAGARI", "mr": "DEVANAGARI", "ne": "DEVANAGARI",
    "bn": "BENGALI", "ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC",
    "el": "GREEK", "he": "HEBREW", "ta": "TAMIL", "te": "TELUGU", "pa": "GURMUKHI",
}  # fmt: skip


@dataclass(frozen=True)
class ContentLanguage:
    language: str | None
    source: str  # declared | detected | audience_country | transliterated | undetermined
    note: str | None = None  # set for every fallback

    @property
    def fallback(self) -> bool:
        return self.note is not None


def text_script(text: str) -> str | None:
    """The script most of the letters of `text` are in ("LATIN", "ARABIC", …), or None without letters."""
    counts: dict[str, int] = {}
    for ch in text or "":
        if ch.isalpha():
            try:
                script = unicodedata.name(ch).split(" ", 1)[0]
            except ValueError:
                continue
            counts[script] = counts.get(script, 0) + 1
    return max(counts, key=counts.get) if counts else None


def language_script(language: str | None) -> str:
    return LANGUAGE_SCRIPTS.get(language or "", "LATIN")


def audience_languages(countries: Iterable[str], memo) -> list[str]:
    """The calendar's languages of the audience countries, in the order given, without repeats."""
    codes = [c.upper() for c in countries or []]
    rows = memo(
        ("country_languages", tuple(codes)),
        lambda: dict(Country.objects.filter(code__in=codes).values_list("code", "languages")),
    )
    out: list[str] = []
    for code in codes:
        for tag in rows.get(code) or []:
            language = language_tag_normalize(tag)
            if language and language not in out:
                out.append(language)
    return out


def content_language_with_audience(
    *, declared: str | None, text: str, countries: list[str], memo
) -> ContentLanguage:
    """Resolve the content's language: declared, detected, else the audience country's (flagged)."""
    language, source = content_language_resolve(declared=declared, text=text)
    if source == "declared":
        return ContentLanguage(language, source)
    spoken = audience_languages(countries, memo)
    where = ", ".join(c.upper() for c in countries) or "none"
    if source == "detected":
        primary = spoken[0] if spoken else None
        transliterated = (
            primary is not None
            and language not in spoken
            and language_script(primary) != "LATIN"
            and text_script(text) == "LATIN"
        )
        if not transliterated:
            return ContentLanguage(language, source)
        return ContentLanguage(
            primary,
            "transliterated",
            f"content language: text in Latin letters read as {language}, likely transliterated "
            f"{primary}; labelled in {primary}, the language of the audience ({where})",
        )
    if spoken:
        why = "no text" if not (text or "").strip() else "text too short or unclear"
        return ContentLanguage(
            spoken[0],
            "audience_country",
            f"content language not declared ({why}): labelled in {spoken[0]}, "
            f"the language of the audience ({where})",
        )
    return ContentLanguage(
        None, "undetermined", "content language unknown: not declared, not detected, no audience language"
    )


def names_in_script(people: dict[str, list[str]], language: str | None) -> list[str]:
    """Each name in the label's script when the registry has that alias, else as registered.

    `people`: registered name → aliases (PolicyInputs.public_figure_aliases).
    """
    shipped = label_language_get(language_tag_normalize(language) or "")
    script = language_script(shipped.code if shipped else None)
    names = []
    for registered, aliases in people.items():
        name = registered
        if text_script(name) != script:
            for alias in aliases or []:
                if isinstance(alias, str) and alias.strip() and text_script(alias) == script:
                    name = alias.strip()
                    break
        names.append(name)
    return names
