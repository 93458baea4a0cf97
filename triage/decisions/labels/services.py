"""Writes of label texts: a new draft version, review, retire, and the all-or-nothing import.

Every change is one transaction with its audit record (triage/audit), and drops this process's
cache of texts (other processes see it within LABEL_TEXT_CACHE_SECONDS, texts.py). A text is
never edited in place: a change is a new version, so a decision's text can always be traced.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from triage.audit.models import ActorKind
from triage.audit.services import audit_record

from .channels import LINE_PLACEHOLDERS
from .grammar import plural_categories
from .kinds import LabelKind
from .languages import LANGUAGES, SOURCE_LANGUAGE
from .models import SUBJECTS, Channel, LabelText, TextStatus

KINDS = [*LabelKind.values, *LINE_PLACEHOLDERS]
MAX_TEXT_CHARS = 600
_PLACEHOLDER_RE = re.compile(r"%\((\w+)\)s|%[^%(]|%$")


def _text_errors(*, kind: str, text: str, field_name: str) -> list[str]:
    errors = []
    if not text or not text.strip():
        return [f"{field_name}: a text is required."]
    if len(text) > MAX_TEXT_CHARS:
        errors.append(f"{field_name}: at most {MAX_TEXT_CHARS} characters.")
    placeholders = [m.group(1) for m in _PLACEHOLDER_RE.finditer(text.replace("%%", ""))]
    if kind in LINE_PLACEHOLDERS:
        name = LINE_PLACEHOLDERS[kind]
        if placeholders != [name]:
            errors.append(f"{field_name}: keep %({name})s exactly once (where the names go), and no other %.")
    elif placeholders:
        errors.append(f"{field_name}: a label text has no placeholders; write % as %%.")
    return errors


def label_text_validate(
    *, kind: str, channel: str, language: str, text: str, plural_forms: Mapping | None = None
) -> dict[str, list[str]]:
    """Return field-keyed errors for a text; {} when it may be saved."""
    errors: dict[str, list[str]] = {}
    if kind not in KINDS:
        errors["kind"] = [f"Unknown kind {kind!r}; expected one of: {', '.join(KINDS)}."]
    if channel not in Channel.values:
        errors["channel"] = [f"Unknown channel {channel!r}; expected visual or spoken."]
    if language not in LANGUAGES:
        errors["language"] = [
            f"Unknown label language {language!r}; expected one of: {', '.join(LANGUAGES)}."
        ]
    if errors:
        return errors
    messages = _text_errors(kind=kind, text=text, field_name="text")
    plural_forms = plural_forms or {}
    if plural_forms and kind != SUBJECTS:
        messages.append("plural_forms: only the subjects line has plural forms.")
    allowed = plural_categories(language)
    for category, form in plural_forms.items():
        if category not in allowed:
            messages.append(
                f"plural_forms: {language} has no plural category {category!r}; it has {', '.join(allowed)}."
            )
        else:
            messages.extend(_text_errors(kind=kind, text=form, field_name=f"plural_forms.{category}"))
    if messages:
        errors["text"] = messages
    return errors


def _source_text(*, kind: str, channel: str) -> str:
    return (
        LabelText.objects.filter(kind=kind, channel=channel, language=SOURCE_LANGUAGE)
        .exclude(status=TextStatus.RETIRED)
        .order_by("-version")
        .values_list("text", flat=True)
        .first()
        or ""
    )


def _write(*, kind, channel, language, text, plural_forms, user, note) -> LabelText | None:
    newest = (
        LabelText.objects.filter(kind=kind, channel=channel, language=language).order_by("-version").first()
    )
    unchanged = newest is not None and newest.text == text and (newest.plural_forms or {}) == plural_forms
    if unchanged and newest.status != TextStatus.RETIRED:
        return None  # nothing changed: no new version
    version = (
        LabelText.objects.filter(kind=kind, channel=channel, language=language).aggregate(v=Max("version"))[
            "v"
        ]
        or 0
    ) + 1
    return LabelText.objects.create(
        kind=kind,
        channel=channel,
        language=language,
        version=version,
        text=text,
        plural_forms=plural_forms,
        source_text=_source_text(kind=kind, channel=channel),
        status=TextStatus.DRAFT,
        note=note[:200],
        created_by=user,
    )


def _summary(row: LabelText) -> dict:
    return {
        "id": row.pk,
        "kind": row.kind,
        "channel": row.channel,
        "language": row.language,
        "version": row.version,
        "status": row.status,
    }


def label_text_write(
    *,
    kind: str,
    channel: str,
    language: str,
    text: str,
    plural_forms: Mapping | None = None,
    user=None,
    note: str = "",
) -> LabelText | None:
    """Add a new draft version of a text; None when it equals the newest version (no change).

    Raises ValidationError (field-keyed) for an unknown kind, channel or language, an empty or
    overlong text, or a subjects line without exactly one %(names)s.
    """
    text = (text or "").strip()
    plural_forms = {k: v.strip() for k, v in (plural_forms or {}).items() if v and v.strip()}
    errors = label_text_validate(
        kind=kind, channel=channel, language=language, text=text, plural_forms=plural_forms
    )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = _write(
            kind=kind,
            channel=channel,
            language=language,
            text=text,
            plural_forms=plural_forms,
            user=user,
            note=note,
        )
        if row is not None:
            audit_record(
                action="label_text.drafted",
                actor_kind=ActorKind.OPERATOR,
                actor_user=user,
                inputs={"kind": kind, "channel": channel, "language": language, "note": note[:200]},
                outcome=_summary(row),
            )
    return row


def _status_set(*, text_id: int, user, status: str, action: str) -> LabelText:
    with transaction.atomic():
        row = LabelText.objects.select_for_update().get(pk=text_id)
        previous = row.status
        row.status = status
        fields = ["status", "changed_at"]
        if status == TextStatus.REVIEWED:
            row.reviewed_by, row.reviewed_at = user, timezone.now()
            fields += ["reviewed_by", "reviewed_at"]
        row.save(update_fields=fields)
        audit_record(
            action=action,
            actor_kind=ActorKind.OPERATOR,
            actor_user=user,
            inputs={"id": row.pk, "previous_status": previous},
            outcome=_summary(row),
        )
    return row


def label_text_review(*, text_id: int, user) -> LabelText:
    """Mark a version reviewed by `user` (now): labels use it instead of any draft."""
    return _status_set(text_id=text_id, user=user, status=TextStatus.REVIEWED, action="label_text.reviewed")


def label_text_retire(*, text_id: int, user) -> LabelText:
    """Retire a version: labels never use it again (an older version, or English, takes its place)."""
    return _status_set(text_id=text_id, user=user, status=TextStatus.RETIRED, action="label_text.retired")


def _unchanged(row) -> bool:
    newest = (
        LabelText.objects.filter(kind=row.kind, channel=row.channel, language=row.language)
        .exclude(status=TextStatus.RETIRED)
        .order_by("-version")
        .first()
    )
    forms = {k: v.strip() for k, v in row.plural_forms.items() if v and v.strip()}
    return newest is not None and newest.text == row.text.strip() and (newest.plural_forms or {}) == forms


@dataclass
class ImportRow:
    line: int
    kind: str
    channel: str
    language: str
    text: str
    plural_forms: dict = field(default_factory=dict)


class ImportError_(ValidationError):
    """An import that wrote nothing; `lines` are "line N: field: message" strings."""

    def __init__(self, lines: list[str]):
        super().__init__(lines)
        self.lines = lines


def label_texts_import(*, rows: Iterable[ImportRow], user, source: str) -> list[LabelText]:
    """Write every changed text as a new draft, all or nothing.

    Any invalid row raises ImportError_ naming each bad line and field, and nothing is written.
    Rows equal to the newest version are skipped. Returns the new versions.
    """
    rows = list(rows)
    problems: list[str] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = (row.kind, row.channel, row.language)
        if key in seen:
            problems.append(f"line {row.line}: the same text as line {seen[key]} ({'/'.join(key)}).")
            continue
        seen[key] = row.line
        if row.language == SOURCE_LANGUAGE and not _unchanged(row):
            problems.append(
                f"line {row.line}: language: English is the source text; edit it in the dashboard."
            )
            continue
        errors = label_text_validate(
            kind=row.kind,
            channel=row.channel,
            language=row.language,
            text=row.text,
            plural_forms=row.plural_forms,
        )
        for name, messages in errors.items():
            for message in messages:
                # Text messages already start with their field ("text: …", "plural_forms.few: …").
                problems.append(
                    f"line {row.line}: {message}" if name == "text" else f"line {row.line}: {name}: {message}"
                )
    if problems:
        raise ImportError_(problems)
    written: list[LabelText] = []
    with transaction.atomic():
        for row in rows:
            new = _write(
                kind=row.kind,
                channel=row.channel,
                language=row.language,
                text=row.text.strip(),
                plural_forms={k: v.strip() for k, v in row.plural_forms.items() if v and v.strip()},
                user=user,
                note=f"imported from {source}",
            )
            if new is not None:
                written.append(new)
        audit_record(
            action="label_text.imported",
            actor_kind=ActorKind.OPERATOR,
            actor_user=user,
            inputs={"source": source[:200], "rows": len(rows)},
            outcome={"new_versions": [_summary(r) for r in written]},
        )
    return written
