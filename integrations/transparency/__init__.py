"""DSA statements of reasons in the Transparency Database's schema (plain package, no models).

- `statement_of_reasons_build(decision=SorDecision | mapping) -> dict`
- `statement_of_reasons_validate(sor) -> {field: [messages]}` (empty when valid)
- `statements_to_json(statements) -> str` (the bulk API body), `statements_batched(statements)`
- `statements_to_csv(statements) -> str`
"""

from .build import SorDecision, SorInputError, statement_of_reasons_build
from .export import CSV_COLUMNS, statements_batched, statements_to_csv, statements_to_json
from .validate import statement_of_reasons_validate

__all__ = [
    "CSV_COLUMNS",
    "SorDecision",
    "SorInputError",
    "statement_of_reasons_build",
    "statement_of_reasons_validate",
    "statements_batched",
    "statements_to_csv",
    "statements_to_json",
]
