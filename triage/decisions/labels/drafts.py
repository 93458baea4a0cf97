"""The policy's word on unreviewed translations: may a draft be shown, per language?

A policy version's rules may carry

    "label_drafts": {"default": true, "ur": false}

`true` (the default for every language): where no reviewed text exists, the draft is shown and
flagged (`needs_native_review`, and a note in the decision the moderator reads). `false`: only
reviewed texts are shown in that language; without one the label is in English, flagged as a
fallback. A reviewed text always wins over a draft, whatever this says.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .languages import LANGUAGES
from .resolve import language_tag_normalize

RULES_KEY = "label_drafts"
DEFAULT_DRAFTS_ALLOWED = True


def drafts_allowed(setting: Mapping[str, Any] | None, language: str | None) -> bool:
    """Return whether a draft translation may be shown for `language` under `setting`."""
    setting = setting or {}
    default = setting.get("default", DEFAULT_DRAFTS_ALLOWED)
    if not language:
        return bool(default)
    return bool(setting.get(language, default))


def drafts_setting_validate(setting: Any) -> list[str]:
    """Return error messages for a `label_drafts` value; [] when valid."""
    if not isinstance(setting, Mapping):
        return ['label_drafts is an object such as {"default": true, "ur": false}.']
    errors = []
    for key, value in setting.items():
        if key != "default" and (language_tag_normalize(key) != key or key not in LANGUAGES):
            errors.append(f"Unknown label language {key!r}; use 'default' or one of: {', '.join(LANGUAGES)}.")
        elif not isinstance(value, bool):
            errors.append(f"label_drafts[{key!r}] is true (drafts may be shown) or false (reviewed only).")
    return errors
