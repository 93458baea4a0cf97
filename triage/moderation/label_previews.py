"""The case page's label previews: the current decision's labels and every kind the moderator may choose."""

from __future__ import annotations

from typing import Any

from triage.decisions.labels import LANGUAGES, content_language_resolve
from triage.decisions.labels.preview import action_preview, kind_previews
from triage.decisions.selectors import policy_active


def _content(submissions) -> tuple[str | None, list[str]]:
    declared = next((s.language for s in submissions if s.language), None)
    text = next((s.text for s in submissions if s.text), None)
    language, _source = content_language_resolve(declared=declared, text=text)
    subjects: list[str] = []
    for submission in submissions:
        for name in submission.subjects or []:
            if name not in subjects:
                subjects.append(name)
    return language, subjects


def case_label_previews(*, case, submissions, current, with_form: bool) -> dict[str, Any]:
    """The current decision's label previews and, for the decision form, every kind it may choose.

    {"current": {action index: preview}, "kinds": [preview per label kind], "overrides":
    [{"language": code, "kinds": [preview per kind]} per other shipped language], "language": code}.
    `kinds` is the content's language, spoken disclosure and audio included; `overrides` is what
    the form's language override would show (text and gloss: the spoken part is heard on the
    decision once made, so the page does not synthesise twenty languages' audio). Only the form
    gets `kinds` and `overrides`.
    """
    language, subjects = _content(submissions)
    current_previews = {}
    if current is not None:
        for index, action in enumerate(current.actions):
            if action.get("type") == "label":
                current_previews[index] = action_preview(action, subjects=subjects)
    kinds: list[dict[str, Any]] = []
    overrides: list[dict[str, Any]] = []
    if with_form:
        policy = policy_active()
        drafts = (policy.rules or {}).get("label_drafts") if policy else None
        media_type = case.media_item.media_type if case.media_item_id else ""
        kinds = kind_previews(language=language, subjects=subjects, media_type=media_type, drafts=drafts)
        overrides = [
            {
                "language": code,
                "kinds": kind_previews(language=code, subjects=subjects, media_type="", drafts=drafts),
            }
            for code in LANGUAGES
            if code != language
        ]
    return {"current": current_previews, "kinds": kinds, "overrides": overrides, "language": language}
