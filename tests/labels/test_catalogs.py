"""The committed catalogs: every shipped language has every text, and each .mo matches its .po."""

from pathlib import Path

import polib
import pytest
from django.utils import translation

from triage.decisions.labels import LANGUAGES
from triage.decisions.labels.kinds import (
    AUDIO_SCRIPTS,
    FACT_CHECKERS_LABEL_TEXT,
    LABEL_TEXTS,
    SUBJECTS_AUDIO_TEXT,
    SUBJECTS_LABEL_TEXT,
)

LOCALE = Path(__file__).resolve().parents[2] / "locale"
TRANSLATED = sorted(code for code in LANGUAGES if code != "en")


def _source_messages() -> set[tuple[str, str]]:
    """(msgctxt, msgid) of every text the code asks the catalogs for."""
    lazies = [
        *LABEL_TEXTS.values(),
        *AUDIO_SCRIPTS.values(),
        SUBJECTS_LABEL_TEXT,
        SUBJECTS_AUDIO_TEXT,
        FACT_CHECKERS_LABEL_TEXT,
    ]
    messages = set()
    for lazy in lazies:
        # pgettext_lazy keeps its (context, message) arguments on the proxy.
        context, message = lazy._args
        messages.add((context, message))
    return messages


def _entries(catalog) -> dict[tuple[str, str], str]:
    """Translated, non-fuzzy entries: what msgfmt compiles into the .mo file."""
    return {
        (entry.msgctxt, entry.msgid): entry.msgstr
        for entry in catalog
        if entry.msgid and entry.msgstr and "fuzzy" not in getattr(entry, "flags", [])
    }


def test_the_catalog_directories_are_the_shipped_languages():
    on_disk = {path.parent.parent.name for path in LOCALE.glob("*/LC_MESSAGES/django.po")}
    assert on_disk == set(TRANSLATED)


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_po_translates_every_source_text(language):
    po = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    entries = _entries(po)

    # Other apps' strings may join the catalog (makemessages) untranslated; the labels may not.
    missing = sorted(message for message in _source_messages() if not entries.get(message, "").strip())
    assert missing == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_committed_mo_is_compiled_from_its_po(language):
    """Fails after a .po edit until `msgfmt --check -o django.mo django.po` is rerun (docs/labels.md)."""
    directory = LOCALE / language / "LC_MESSAGES"
    po = polib.pofile(str(directory / "django.po"))
    mo = polib.mofile(str(directory / "django.mo"))

    assert _entries(mo) == _entries(po)


def test_the_source_texts_are_what_english_shows():
    with translation.override("en"):
        assert str(LABEL_TEXTS["unverified"]) == "Under review. This content has not been verified yet."
