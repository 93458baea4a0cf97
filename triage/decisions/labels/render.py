"""Render a label, or the spoken disclosure for audio, in the content's language.

Texts come from the LabelText data (triage/decisions/labels/texts.py: the newest reviewed version, else the
newest draft where the policy allows drafts, flagged). A language without a text falls back to
English with `fallback=True`, which moderators see flagged; the English source texts in kinds.py
are the last resort when the data has none. Nothing fails because a language is missing.
"""

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace

from django.utils import translation

from .channels import SUBJECTS, Channel
from .drafts import drafts_allowed
from .grammar import names_join, plural_category
from .kinds import (
    AUDIO_SCRIPTS,
    FACT_CHECKERS_LABEL_TEXT,
    LABEL_TEXTS,
    SUBJECTS_AUDIO_TEXT,
    SUBJECTS_LABEL_TEXT,
    LabelKind,
)
from .languages import SOURCE_LANGUAGE, label_language_get
from .resolve import creator_disclosure_mismatch, language_tag_normalize

MAX_SUBJECTS = 5
# First-strong isolate / pop directional isolate: keeps a Latin-script name from scrambling the
# order of the words around it in right-to-left text.
_FSI, _PDI = "\u2068", "\u2069"


@dataclass(frozen=True)
class RenderedLabel:
    kind: str
    language: str  # the language the text is actually in
    requested_language: str | None  # the normalised language asked for (None if none was usable)
    text: str
    fallback: bool  # English was used because the requested language has no text
    needs_native_review: bool  # the text is a draft translation no native speaker has checked
    rtl: bool
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _kind_checked(kind: str) -> LabelKind:
    try:
        return LabelKind(kind)
    except ValueError:
        allowed = ", ".join(LabelKind.values)
        raise ValueError(f"Unknown label kind {kind!r}; expected one of: {allowed}.") from None


def _subjects_cleaned(subjects: Iterable[str] | None) -> list[str]:
    if not subjects:
        return []
    if isinstance(subjects, str):
        subjects = [subjects]
    names: list[str] = []
    for name in subjects:
        name = " ".join(str(name).split())
        if name and name not in names:
            names.append(name)
    return names[:MAX_SUBJECTS]


def _code_text(table: Mapping, key) -> str:
    """The English source text the code ships (the last resort when the data has none)."""
    with translation.override(SOURCE_LANGUAGE):
        return str(table[key]) if key is not None else ""


def _subjects_line(chosen, *, language: str, names: list[str]) -> str:
    """The "Presented as" line for `names`, in the plural form and list style of `language`."""
    template = chosen.plural_forms.get(plural_category(language, len(names))) or chosen.text
    return template % {"names": names_join(language, names)}


def _render(
    *,
    table: Mapping,
    subjects_text,
    channel: str,
    kind: str,
    language: str | None,
    subjects: Iterable[str] | None,
    drafts: Mapping | None = None,
) -> RenderedLabel:
    # Imported here: the texts read models, and this package is imported while apps load.
    from .texts import ChosenText, text_choose, text_has_draft

    label_kind = _kind_checked(kind)
    requested = language_tag_normalize(language)
    shipped = label_language_get(requested) if requested else None
    allowed = drafts_allowed(drafts, requested)

    main = subjects_chosen = None
    used = SOURCE_LANGUAGE
    notes: list[str] = []
    if shipped and shipped.code != SOURCE_LANGUAGE:
        main = text_choose(
            kind=label_kind.value, channel=channel, language=shipped.code, drafts_allowed=allowed
        )
        if main is not None:
            used = shipped.code
            subjects_chosen = text_choose(
                kind=SUBJECTS, channel=channel, language=used, drafts_allowed=allowed
            )
        elif not allowed and text_has_draft(kind=label_kind.value, channel=channel, language=shipped.code):
            notes.append(
                f"label shown in English: the {shipped.code} text is an unreviewed draft "
                f"and the policy shows only reviewed {shipped.code} texts"
            )
    if main is None:
        main = text_choose(
            kind=label_kind.value, channel=channel, language=SOURCE_LANGUAGE, drafts_allowed=True
        )
        subjects_chosen = text_choose(
            kind=SUBJECTS, channel=channel, language=SOURCE_LANGUAGE, drafts_allowed=True
        )
        if subjects_chosen is None:
            subjects_chosen = ChosenText(
                pk=0, version=0, text=_code_text({SUBJECTS: subjects_text}, SUBJECTS)
            )
    text = main.text if main is not None else _code_text(table, label_kind)
    language_used = label_language_get(used)

    draft = main is not None and not main.reviewed and used != SOURCE_LANGUAGE
    names = _subjects_cleaned(subjects)
    if names and subjects_chosen is not None:
        if language_used.rtl:
            names = [f"{_FSI}{name}{_PDI}" for name in names]
        text = f"{text} {_subjects_line(subjects_chosen, language=used, names=names)}"
        draft = draft or (not subjects_chosen.reviewed and used != SOURCE_LANGUAGE)
    if draft:
        notes.append(f"label text in {used} is an unreviewed draft: no native speaker has checked it yet")

    return RenderedLabel(
        kind=label_kind.value,
        language=used,
        requested_language=requested,
        text=text,
        fallback=used != requested,
        needs_native_review=draft,
        rtl=language_used.rtl,
        notes=notes,
    )


def label_render(
    *,
    kind: str,
    language: str | None,
    subjects: Iterable[str] | None = None,
    disclosure: Mapping | None = None,
    drafts: Mapping | None = None,
    fact_checked: Mapping | None = None,
) -> RenderedLabel:
    """Render the label of `kind` in `language` (a BCP 47 tag or ISO 639-1 code).

    `fact_checked`: {"who": [fact-checkers], "link": url} for a "disputed_by_fact_checkers"
    label, which then names them ("Reviewed by …") and ends with the link to their review.

    `subjects`: names of the people the content presents (registered public figures), added as a
    neutral "Presented as: …" line. `disclosure`: the creator's own disclosure,
    {"language": "en", "text": "…"}; when its language differs from the label's requested language
    the result carries the note "creator disclosure in en, content in ur". The label itself is
    always in the content's language, never the disclosure's. `drafts`: the policy's
    `label_drafts` setting (triage/decisions/labels/drafts.py); by default drafts are shown, flagged.
    """
    rendered = _render(
        table=LABEL_TEXTS,
        subjects_text=SUBJECTS_LABEL_TEXT,
        channel=Channel.VISUAL,
        kind=kind,
        language=language,
        subjects=subjects,
        drafts=drafts,
    )
    if fact_checked:
        rendered = _with_fact_checkers(rendered, fact_checked)
    if disclosure is not None and not isinstance(disclosure, Mapping):
        raise ValueError('disclosure must be a mapping such as {"language": "en", "text": "…"}.')
    if disclosure:
        note = creator_disclosure_mismatch(
            disclosure_language=disclosure.get("language"), content_language=language
        )
        if note:
            rendered.notes.append(note)
    if rendered.fallback and not any(n.startswith("label shown in English") for n in rendered.notes):
        if rendered.requested_language:
            rendered.notes.append(f"label shown in English: no {rendered.requested_language} translation")
        else:
            rendered.notes.append("label shown in English: content language unknown")
    return rendered


def _with_fact_checkers(rendered: RenderedLabel, fact_checked: Mapping) -> RenderedLabel:
    """Add the line naming the fact-checkers (in the label's language) and the review's link."""
    names = _subjects_cleaned(fact_checked.get("who") or [])
    text = rendered.text
    if names:
        with translation.override(rendered.language):
            line = str(FACT_CHECKERS_LABEL_TEXT)
        if rendered.rtl:
            names = [f"{_FSI}{name}{_PDI}" for name in names]
        text = f"{text} {line % {'fact_checkers': ', '.join(names)}}"
    link = fact_checked.get("link")
    if isinstance(link, str) and link:
        text = f"{text} {_FSI}{link}{_PDI}" if rendered.rtl else f"{text} {link}"
    return replace(rendered, text=text)


def audio_disclosure_render(
    *,
    kind: str,
    language: str | None,
    subjects: Iterable[str] | None = None,
    drafts: Mapping | None = None,
) -> RenderedLabel:
    """Render the spoken disclosure for `kind`, with the same fallback rules as labels."""
    return _render(
        table=AUDIO_SCRIPTS,
        subjects_text=SUBJECTS_AUDIO_TEXT,
        channel=Channel.SPOKEN,
        kind=kind,
        language=language,
        subjects=subjects,
        drafts=drafts,
    )


def audio_disclosure_script(
    *,
    kind: str,
    language: str | None,
    subjects: Iterable[str] | None = None,
    drafts: Mapping | None = None,
) -> str:
    """Return a short script to speak before or over audio, in `language` (English fallback)."""
    return audio_disclosure_render(kind=kind, language=language, subjects=subjects, drafts=drafts).text
