"""Export statements of reasons: the API's bulk JSON body, and CSV like the database's own dumps.

CSV follows the Transparency Database's daily dumps (app/Services/DayArchiveService.php,
app/Exports/StatementExportTrait.php): the same column order, array fields written as the JSON
text the database stores (["A","B"], no spaces), line breaks in free text replaced by spaces,
missing values empty. The columns the database assigns on filing (uuid, platform_name,
created_at) are left out; puid, which the dumps also carry, is the last column.
"""

import csv
import io
import json
from collections.abc import Iterable, Iterator, Sequence

from .schema import ARRAY_FIELDS, MAX_STATEMENTS_PER_CALL

CSV_COLUMNS = (
    "decision_visibility",
    "decision_visibility_other",
    "end_date_visibility_restriction",
    "decision_monetary",
    "decision_monetary_other",
    "end_date_monetary_restriction",
    "decision_provision",
    "end_date_service_restriction",
    "decision_account",
    "end_date_account_restriction",
    "account_type",
    "decision_ground",
    "decision_ground_reference_url",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "incompatible_content_illegal",
    "category",
    "category_addition",
    "category_specification",
    "category_specification_other",
    "content_type",
    "content_type_other",
    "content_language",
    "content_date",
    "territorial_scope",
    "application_date",
    "decision_facts",
    "source_type",
    "source_identity",
    "automated_detection",
    "automated_decision",
    "puid",
)


def statements_batched(
    statements: Iterable[dict], *, size: int = MAX_STATEMENTS_PER_CALL
) -> Iterator[list[dict]]:
    """Yield lists of at most `size` statements (the bulk endpoint takes 1 to 100 per call)."""
    if not 1 <= size <= MAX_STATEMENTS_PER_CALL:
        raise ValueError(f"A batch holds 1 to {MAX_STATEMENTS_PER_CALL} statements, not {size}.")
    batch: list[dict] = []
    for statement in statements:
        batch.append(statement)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def statements_to_json(statements: Sequence[dict]) -> str:
    """Return the body of POST /api/v1/statements: {"statements": [...]} with 1 to 100 statements."""
    if not 1 <= len(statements) <= MAX_STATEMENTS_PER_CALL:
        raise ValueError(
            f"The bulk endpoint takes 1 to {MAX_STATEMENTS_PER_CALL} statements per call, "
            f"not {len(statements)}; split them with statements_batched()."
        )
    return json.dumps({"statements": list(statements)}, ensure_ascii=False)


def _cell(name: str, value) -> str:
    if value is None:
        return ""
    if name in ARRAY_FIELDS or isinstance(value, list):
        return json.dumps(list(value), ensure_ascii=False, separators=(",", ":"))
    return " ".join(str(value).splitlines())


def statements_to_csv(statements: Iterable[dict]) -> str:
    """Return the statements as CSV with a header row (see the module docstring for the format)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for statement in statements:
        writer.writerow([_cell(name, statement.get(name)) for name in CSV_COLUMNS])
    return out.getvalue()
