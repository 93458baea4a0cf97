"""Labels as the platform will show them, for moderators: in the content's language and direction,
with an English gloss, and the spoken disclosure to play (audio and video)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .kinds import LabelKind
from .languages import SOURCE_LANGUAGE, label_language_get
from .render import audio_disclosure_render, label_render
from .speech import disclosure_audio_url

SPOKEN_MEDIA = ("audio", "video")


def _language_facts(code: str | None) -> dict[str, Any]:
    language = label_language_get(code or "") or label_language_get(SOURCE_LANGUAGE)
    return {
        "language": language.code,
        "language_name": language.name,
        "rtl": language.rtl,
        "dir": "rtl" if language.rtl else "ltr",
    }


def action_preview(action: Mapping[str, Any], *, subjects: Iterable[str] = ()) -> dict[str, Any]:
    """A stored label action as the platform shows it, with an English gloss and its audio.

    `subjects`: the names the platform sent; only those the label's text names are glossed.
    """
    text = action.get("text") or ""
    names = [name for name in subjects if name and name in text]
    kind = action.get("kind") or LabelKind.UNVERIFIED
    gloss = label_render(kind=kind, language=SOURCE_LANGUAGE, subjects=names).text
    preview = {
        "kind": kind,
        "text": text,
        "gloss": gloss,
        "needs_native_review": bool(action.get("needs_native_review")),
        "fallback": bool(action.get("fallback")),
        **_language_facts(action.get("language")),
    }
    script = action.get("audio_disclosure_script")
    if script:
        spoken_language = action.get("audio_disclosure_language") or action.get("language")
        preview["spoken"] = script
        preview["spoken_dir"] = _language_facts(spoken_language)["dir"]
        preview["spoken_language"] = _language_facts(spoken_language)["language"]
        preview["spoken_gloss"] = audio_disclosure_render(
            kind=kind, language=SOURCE_LANGUAGE, subjects=names
        ).text
        preview["audio_url"] = disclosure_audio_url(text=script, language=spoken_language, absolute=False)
    return preview


def kind_previews(
    *, language: str | None, subjects: Iterable[str], media_type: str, drafts: Mapping | None = None
) -> list[dict[str, Any]]:
    """Every label kind rendered for this content, for the decision form's preview."""
    subjects = list(subjects)
    previews = []
    for kind in LabelKind.values:
        rendered = label_render(kind=kind, language=language, subjects=subjects, drafts=drafts)
        action: dict[str, Any] = {
            "kind": kind,
            "language": rendered.language,
            "text": rendered.text,
            "fallback": rendered.fallback,
            "needs_native_review": rendered.needs_native_review,
        }
        if media_type in SPOKEN_MEDIA:
            spoken = audio_disclosure_render(kind=kind, language=language, subjects=subjects, drafts=drafts)
            action["audio_disclosure_script"] = spoken.text
            action["audio_disclosure_language"] = spoken.language
        preview = action_preview(action, subjects=subjects)
        preview["notes"] = rendered.notes
        previews.append(preview)
    return previews
