"""Statements export as the bulk API's JSON body and as CSV like the Transparency Database's dumps."""

import csv
import io
import json

import pytest

from integrations.transparency import CSV_COLUMNS, statements_batched, statements_to_csv, statements_to_json


def statement(puid: str, **overrides) -> dict:
    data = {
        "decision_visibility": [
            "DECISION_VISIBILITY_CONTENT_DISABLED",
            "DECISION_VISIBILITY_CONTENT_LABELLED",
        ],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": "Terms of service",
        "incompatible_content_explanation": "Line one.\nLine two.",
        "content_type": ["CONTENT_TYPE_AUDIO", "CONTENT_TYPE_SYNTHETIC_MEDIA"],
        "category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "territorial_scope": ["CZ", "SK"],
        "content_language": "SK",
        "content_date": "2023-09-28",
        "application_date": "2023-09-29",
        "decision_facts": 'Assessed as "likely synthetic", withheld.',
        "source_type": "SOURCE_TRUSTED_FLAGGER",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_FULLY",
        "puid": puid,
    }
    data.update(overrides)
    return data


def test_json_is_the_bulk_endpoints_body():
    body = json.loads(statements_to_json([statement("a"), statement("b")]))
    assert list(body) == ["statements"]
    assert [s["puid"] for s in body["statements"]] == ["a", "b"]
    assert body["statements"][0]["territorial_scope"] == ["CZ", "SK"]


@pytest.mark.parametrize("count", [0, 101])
def test_json_refuses_batches_the_api_would_refuse(count):
    with pytest.raises(ValueError, match="1 to 100 statements per call"):
        statements_to_json([statement(f"p{i}") for i in range(count)])


def test_batches_hold_at_most_a_hundred():
    batches = list(statements_batched(statement(f"p{i}") for i in range(250)))
    assert [len(batch) for batch in batches] == [100, 100, 50]
    assert all(json.loads(statements_to_json(batch)) for batch in batches)
    assert [len(b) for b in statements_batched([statement("x")] * 5, size=2)] == [2, 2, 1]
    with pytest.raises(ValueError):
        list(statements_batched([], size=101))


def test_csv_has_the_dump_columns_and_one_row_per_statement():
    rows = list(csv.reader(io.StringIO(statements_to_csv([statement("a"), statement("b")]))))
    assert rows[0] == list(CSV_COLUMNS)
    assert len(rows) == 3
    assert rows[0][-1] == "puid" and rows[1][-1] == "a"


def test_csv_writes_arrays_as_the_json_text_the_database_stores():
    row = next(csv.DictReader(io.StringIO(statements_to_csv([statement("a")]))))
    assert (
        row["decision_visibility"]
        == '["DECISION_VISIBILITY_CONTENT_DISABLED","DECISION_VISIBILITY_CONTENT_LABELLED"]'
    )
    assert row["territorial_scope"] == '["CZ","SK"]'
    assert json.loads(row["content_type"]) == ["CONTENT_TYPE_AUDIO", "CONTENT_TYPE_SYNTHETIC_MEDIA"]


def test_csv_flattens_line_breaks_quotes_safely_and_leaves_missing_values_empty():
    row = next(csv.DictReader(io.StringIO(statements_to_csv([statement("a")]))))
    assert row["incompatible_content_explanation"] == "Line one. Line two."
    assert row["decision_facts"] == 'Assessed as "likely synthetic", withheld.'
    assert row["decision_monetary"] == ""
    assert row["end_date_visibility_restriction"] == ""
