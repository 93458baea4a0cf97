"""Label texts out to and in from CSV, so a translator can work outside the app.

Columns: kind, channel, language, plural_category, source, text, status, reviewed_by, version.
One row per text, plus one per plural form of the subjects line (plural_category "one", "few"
…; empty for the main text). On import only kind, channel, language, plural_category and text
count; the rest is there for the translator to read. Import is all or nothing (services.py).
"""

from __future__ import annotations

import csv
import io

from .models import LabelText, TextStatus
from .services import ImportError_, ImportRow

COLUMNS = [
    "kind",
    "channel",
    "language",
    "plural_category",
    "source",
    "text",
    "status",
    "reviewed_by",
    "version",
]
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def current_texts(language: str | None = None) -> list[LabelText]:
    """The newest non-retired version of every text (of one language, or all)."""
    rows = LabelText.objects.exclude(status=TextStatus.RETIRED).select_related("reviewed_by")
    if language:
        rows = rows.filter(language=language)
    newest: dict[tuple[str, str, str], LabelText] = {}
    for row in rows.order_by("kind", "channel", "language", "-version"):
        newest.setdefault((row.kind, row.channel, row.language), row)
    return list(newest.values())


def label_texts_csv(*, language: str | None = None) -> str:
    english = {(r.kind, r.channel): r for r in current_texts("en")}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for row in current_texts(language):
        source = english.get((row.kind, row.channel))
        reviewer = row.reviewed_by.get_username() if row.reviewed_by else ""
        common = [row.status, reviewer, row.version]
        writer.writerow(
            [row.kind, row.channel, row.language, "", source.text if source else "", row.text, *common]
        )
        for category, form in sorted((row.plural_forms or {}).items()):
            source_form = (source.plural_forms or {}).get(category, "") if source else ""
            writer.writerow([row.kind, row.channel, row.language, category, source_form, form, *common])
    return out.getvalue()


def label_texts_csv_parse(data: bytes) -> list[ImportRow]:
    """Parse an uploaded CSV into import rows; ImportError_ names every bad line."""
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportError_([f"file: larger than {MAX_IMPORT_BYTES // 1024} KiB."])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportError_([f"file: not UTF-8 ({exc.reason} at byte {exc.start})."]) from None
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in ("kind", "channel", "language", "text") if c not in (reader.fieldnames or [])]
    if missing:
        raise ImportError_([f"line 1: missing column(s): {', '.join(missing)}."])
    rows: list[ImportRow] = []
    latest: dict[tuple[str, str, str], ImportRow] = {}  # where a plural form row attaches
    problems: list[str] = []
    try:
        for record in reader:
            line = reader.line_num
            key = tuple((record.get(c) or "").strip() for c in ("kind", "channel", "language"))
            category = (record.get("plural_category") or "").strip()
            value = record.get("text") or ""
            if category:
                row = latest.get(key)
                if row is None:
                    problems.append(
                        f"line {line}: plural_category: comes before the main text of {'/'.join(key)}."
                    )
                elif category in row.plural_forms:
                    problems.append(f"line {line}: plural_category: {category!r} given twice.")
                else:
                    row.plural_forms[category] = value
            else:
                # A repeated text is reported by the import with every other problem.
                latest[key] = ImportRow(line=line, kind=key[0], channel=key[1], language=key[2], text=value)
                rows.append(latest[key])
    except csv.Error as exc:
        problems.append(f"line {reader.line_num}: not CSV ({exc}).")
    if problems:
        raise ImportError_(problems)
    return rows
