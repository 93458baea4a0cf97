"""People's names: one way to store them and one way to compare them, for the importers and the policy.

Django-free. `name_clean` is how a name is stored (NFC, trimmed: what the person typed, with its
diacritics). `name_fold` is how two names are compared: "Michal Šimečka", "MICHAL  SIMECKA" and
"Michal Simecka" fold to the same key, so a registry imported without diacritics and a caption
typed with them (or the reverse) still agree. Scripts without case or marks (Arabic, Devanagari)
pass through with their own letters.
"""

from __future__ import annotations

import unicodedata


def name_clean(value: str) -> str:
    """Normalize to NFC and trim: the same name typed on two keyboards is stored the same way."""
    return unicodedata.normalize("NFC", value or "").strip()


def name_fold(text: str) -> str:
    """Fold a name or text for matching: NFKD, no combining marks, case-folded, single spaces."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
