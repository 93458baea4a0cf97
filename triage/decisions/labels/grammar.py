"""Plurals and lists of names by each language's rules (CLDR data, through Babel).

The "Presented as" line names one or more people. Languages agree the words around the names with
their number in different ways: Slovak, Czech and Polish have one/few/many forms, Arabic has a
dual, Urdu one/other. A LabelText keeps one text per CLDR plural category; Babel tells which
category a count falls in, and joins the names the way the language writes a list ("A a B",
"A i B", "A و B", "A اور B").
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.lists import format_list


@lru_cache(maxsize=64)
def _locale(language: str) -> Locale | None:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return None


def plural_category(language: str, count: int) -> str:
    """Return the CLDR plural category ("one", "two", "few", "many", "other", "zero") of `count`."""
    locale = _locale(language)
    if locale is None:
        return "one" if count == 1 else "other"
    return locale.plural_form(count)


def plural_categories(language: str) -> list[str]:
    """The categories a language distinguishes for whole numbers, in CLDR order."""
    locale = _locale(language)
    if locale is None:
        return ["one", "other"]
    order = ["zero", "one", "two", "few", "many", "other"]
    return [c for c in order if c in locale.plural_form.tags or c == "other"]


def names_join(language: str, names: list[str]) -> str:
    """Join names as the language writes a list ("Michal Šimečka a Zuzana Čaputová")."""
    if not names:
        return ""
    locale = _locale(language)
    if locale is None:
        return ", ".join(names)
    return format_list(names, style="standard", locale=locale)


# The script each label language is written in (for picking how a name is spoken).
_SCRIPTS = {"ur": "ARABIC", "ar": "ARABIC", "hi": "DEVANAGARI", "bn": "BENGALI", "ru": "CYRILLIC"}
_SCRIPTS |= {"uk": "CYRILLIC", "el": "GREEK"}


def _script(text: str) -> str | None:

    for ch in text:
        if ch.isalpha():
            try:
                return unicodedata.name(ch).split()[0]
            except ValueError:
                return None
    return None


def names_for_speech(
    names: list[str], language: str | None, aliases: dict[str, list[str]] | None
) -> list[str]:
    """Each name as the language's voice should read it: a registered alias in the language's script.

    A Latin-script "Imran Khan" inside Urdu speech is read with another language's rules (or
    spelled out); the registry's "عمران خان" is read as an Urdu listener says it. Names without
    such an alias stay as they are. The visual label keeps the registered name.
    """
    wanted = _SCRIPTS.get(language or "", "LATIN")
    spoken = []
    for name in names:
        if _script(name) == wanted:
            spoken.append(name)
            continue
        match = next(
            (a for a in (aliases or {}).get(name, []) if isinstance(a, str) and _script(a) == wanted), None
        )
        spoken.append(match or name)
    return spoken
