"""Which label text to use: the data in LabelText, read through a per-process cache.

Rendering a label happens inside every decision, so the texts are read once and kept in memory.
The cache is dropped at once in the process that changes a text (the receivers below), and other
processes (workers, other web processes) notice within LABEL_TEXT_CACHE_SECONDS by comparing
one cheap stamp (the newest `changed_at` and the row count) before using their copy.

The choice per (kind, channel, language): the newest reviewed version; else, when drafts may be
shown for the language, the newest draft (flagged `needs_native_review`); retired versions never.
Nothing here fails for a missing language or an empty table: the caller falls back to English.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DatabaseError
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import translation

from .channels import SUBJECTS, Channel
from .kinds import AUDIO_SCRIPTS, LABEL_TEXTS, SUBJECTS_AUDIO_TEXT, SUBJECTS_LABEL_TEXT
from .languages import LANGUAGES, SOURCE_LANGUAGE
from .models import LabelText, TextStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChosenText:
    pk: int
    version: int
    text: str
    plural_forms: dict = field(default_factory=dict)
    status: str = TextStatus.DRAFT

    @property
    def reviewed(self) -> bool:
        return self.status == TextStatus.REVIEWED


@dataclass
class _Slot:
    reviewed: ChosenText | None = None
    draft: ChosenText | None = None


_lock = threading.Lock()
_state: dict = {"table": None, "stamp": None, "checked": 0.0}


def label_texts_cache_clear() -> None:
    """Forget the cached texts in this process (the next render reads them again)."""
    with _lock:
        _state["table"] = None
        _state["stamp"] = None
        _state["checked"] = 0.0


@receiver(post_save, sender=LabelText)
@receiver(post_delete, sender=LabelText)
def _label_text_changed(**kwargs) -> None:
    label_texts_cache_clear()


def _stamp() -> tuple:
    row = LabelText.objects.aggregate(newest=Max("changed_at"), rows=Count("id"))
    return (row["newest"], row["rows"])


def _from_catalogs() -> dict[tuple[str, str, str], _Slot]:
    """The texts as the compiled catalogs have them: used only when the table is empty.

    The table is seeded by migration, so this is for a database whose rows were flushed (a test
    run) or never loaded: labels then read exactly as before texts became data.
    """

    sources = {
        Channel.VISUAL: {**{k.value: v for k, v in LABEL_TEXTS.items()}, SUBJECTS: SUBJECTS_LABEL_TEXT},
        Channel.SPOKEN: {**{k.value: v for k, v in AUDIO_SCRIPTS.items()}, SUBJECTS: SUBJECTS_AUDIO_TEXT},
    }
    table: dict[tuple[str, str, str], _Slot] = {}
    for channel, texts in sources.items():
        for kind, lazy in texts.items():
            with translation.override(SOURCE_LANGUAGE):
                english = str(lazy)
            for code in LANGUAGES:
                with translation.override(code):
                    text = str(lazy)
                if code == SOURCE_LANGUAGE:
                    table[(kind, channel.value, code)] = _Slot(
                        reviewed=ChosenText(pk=0, version=0, text=text, status=TextStatus.REVIEWED)
                    )
                elif text != english:  # an untranslated entry comes back as the English msgid
                    table[(kind, channel.value, code)] = _Slot(draft=ChosenText(pk=0, version=0, text=text))
    return table


def _load() -> dict[tuple[str, str, str], _Slot]:
    if not LabelText.objects.exists():
        logger.warning("no label texts in the database: using the shipped catalogs")
        return _from_catalogs()
    table: dict[tuple[str, str, str], _Slot] = {}
    rows = (
        LabelText.objects.exclude(status=TextStatus.RETIRED)
        .order_by("kind", "channel", "language", "-version")
        .values("pk", "kind", "channel", "language", "version", "text", "plural_forms", "status")
    )
    for row in rows:
        slot = table.setdefault((row["kind"], row["channel"], row["language"]), _Slot())
        chosen = ChosenText(
            pk=row["pk"],
            version=row["version"],
            text=row["text"],
            plural_forms=row["plural_forms"] or {},
            status=row["status"],
        )
        # Rows come newest first: keep the first reviewed and the first draft seen.
        if row["status"] == TextStatus.REVIEWED and slot.reviewed is None:
            slot.reviewed = chosen
        elif row["status"] == TextStatus.DRAFT and slot.draft is None:
            slot.draft = chosen
    return table


def _table() -> dict[tuple[str, str, str], _Slot]:
    now = time.monotonic()
    with _lock:
        table, stamp, checked = _state["table"], _state["stamp"], _state["checked"]
    if table is not None and now - checked < settings.LABEL_TEXT_CACHE_SECONDS:
        return table
    try:
        current = _stamp()
        if table is None or current != stamp:
            table = _load()
    except DatabaseError:
        # No table yet (a command run before migrate) or the database is away: English it is.
        logger.warning("label texts unavailable; labels fall back to the English source texts")
        return {}
    with _lock:
        _state.update(table=table, stamp=current, checked=now)
    return table


def text_choose(*, kind: str, channel: str, language: str, drafts_allowed: bool) -> ChosenText | None:
    """Return the text to use, or None when the language has none that may be shown."""
    slot = _table().get((kind, channel, language))
    if slot is None:
        return None
    if slot.reviewed is not None:
        return slot.reviewed
    return slot.draft if drafts_allowed else None


def text_has_draft(*, kind: str, channel: str, language: str) -> bool:
    slot = _table().get((kind, channel, language))
    return bool(slot and slot.draft)
