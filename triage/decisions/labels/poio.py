"""Label texts out to and in from a gettext PO file, one language per file, for translators' tools.

Entries use the shipped catalogs' shape (locale/*/django.po): msgctxt "label:<kind>" for the visual
label, "audio:<kind>" for the spoken disclosure, the English source as msgid. The subjects line is
a plural entry (msgid / msgid_plural, msgstr[0..n]) in the language's gettext Plural-Forms; each
msgstr[i] maps to the CLDR category the app keeps (grammar.py), found by evaluating both rules.
"""

from __future__ import annotations

import gettext
import io
from functools import lru_cache

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po, write_po

from .channels import SUBJECTS, Channel
from .csvio import MAX_IMPORT_BYTES, current_texts
from .models import LabelText
from .services import ImportError_, ImportRow

_PREFIX = {Channel.VISUAL: "label", Channel.SPOKEN: "audio"}
_CHANNEL = {"label": Channel.VISUAL.value, "audio": Channel.SPOKEN.value}


@lru_cache(maxsize=64)
def gettext_plural_categories(language: str) -> tuple[str, ...]:
    """The CLDR category of each gettext plural index of `language` (msgstr[i] -> category)."""
    catalog = Catalog(locale=language)
    index_of = gettext.c2py(catalog.plural_expr)
    locale = Locale.parse(language)
    categories: dict[int, str] = {}
    for n in range(0, 1000):
        categories.setdefault(index_of(n), locale.plural_form(n))
    return tuple(categories.get(i, "other") for i in range(catalog.num_plurals))


def _forms_outside_gettext(kind: str, channel: str, language: str, categories) -> dict:

    newest = (
        LabelText.objects.filter(kind=kind, channel=channel, language=language)
        .order_by("-version")
        .values_list("plural_forms", flat=True)
        .first()
    )
    return {k: v for k, v in (newest or {}).items() if k not in categories}


def label_texts_po(*, language: str) -> bytes:
    english = {(r.kind, r.channel): r for r in current_texts("en")}
    catalog = Catalog(locale=language, project="moratorium", charset="utf-8")
    categories = gettext_plural_categories(language)
    for row in sorted(current_texts(language), key=lambda r: (r.channel, r.kind)):
        source = english.get((row.kind, row.channel))
        context = f"{_PREFIX[Channel(row.channel)]}:{row.kind}"
        comments = [f"status: {row.status}, version {row.version}"]
        if row.kind == SUBJECTS:
            one = (source.plural_forms or {}).get("one", source.text) if source else row.text
            other = (source.plural_forms or {}).get("other", source.text) if source else row.text
            forms = row.plural_forms or {}
            strings = tuple(forms.get(c) or row.text for c in categories)
            catalog.add(
                (one, other), strings, context=context, auto_comments=comments, flags=["python-format"]
            )
        else:
            catalog.add(
                source.text if source else row.text, row.text, context=context, auto_comments=comments
            )
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue()


def label_texts_po_parse(data: bytes, *, language: str) -> list[ImportRow]:
    """Parse an uploaded PO file for `language`; ImportError_ names every bad line."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportError_([f"file: larger than {MAX_IMPORT_BYTES // 1024} KiB."])
    try:
        catalog = read_po(io.BytesIO(data), locale=language, abort_invalid=True)
    except (PoFileError, ValueError, UnicodeDecodeError) as exc:
        raise ImportError_([f"file: not a PO file ({exc})."]) from None
    categories = gettext_plural_categories(language)
    rows: list[ImportRow] = []
    problems: list[str] = []
    for message in catalog:
        if not message.id or not message.context:
            continue
        prefix, _, kind = message.context.partition(":")
        channel = _CHANNEL.get(prefix)
        line = message.lineno or 0
        if channel is None:
            continue  # another app's string in the same catalog
        if message.fuzzy:
            continue  # a translator's unfinished entry: not imported (as msgfmt skips it)
        if isinstance(message.string, tuple | list):
            strings = list(message.string)
            if len(strings) != len(categories):
                problems.append(
                    f"line {line}: msgstr: {language} has {len(categories)} plural forms, got {len(strings)}."
                )
                continue
            forms = dict(zip(categories, strings, strict=True))
            # Categories gettext cannot express (Slovak "many" is for fractions) stay as they are.
            forms = {**_forms_outside_gettext(kind, channel, language, categories), **forms}
            text = forms.get("other") or strings[-1]
            rows.append(
                ImportRow(
                    line=line, kind=kind, channel=channel, language=language, text=text, plural_forms=forms
                )
            )
        elif message.string:
            rows.append(
                ImportRow(line=line, kind=kind, channel=channel, language=language, text=message.string)
            )
    if problems:
        raise ImportError_(problems)
    return rows
