"""A statement of reasons is checked field by field against the Transparency Database's rules."""

import pytest

from integrations.transparency import schema, statement_of_reasons_validate

REQUIRED = [
    "decision_ground",
    "content_type",
    "category",
    "content_date",
    "application_date",
    "decision_facts",
    "source_type",
    "automated_detection",
    "automated_decision",
    "puid",
]


def valid_statement(**overrides) -> dict:
    statement = {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_DISABLED"],
        "decision_ground": "DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_ground": "Terms of service, synthetic media section",
        "incompatible_content_explanation": "Likely synthetic audio during the silence period.",
        "content_type": ["CONTENT_TYPE_AUDIO", "CONTENT_TYPE_SYNTHETIC_MEDIA"],
        "category": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "category_specification": ["KEYWORD_MISINFORMATION_DISINFORMATION"],
        "territorial_scope": ["SK"],
        "content_language": "SK",
        "content_date": "2023-09-28",
        "application_date": "2023-09-29",
        "end_date_visibility_restriction": "2023-09-30",
        "decision_facts": "The audio was assessed as likely synthetic.",
        "source_type": "SOURCE_TRUSTED_FLAGGER",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_FULLY",
        "puid": "dec-7f3a9c",
    }
    statement.update(overrides)
    return {name: value for name, value in statement.items() if value is not ...}


def test_a_complete_statement_is_valid():
    assert statement_of_reasons_validate(valid_statement()) == {}


@pytest.mark.parametrize("field", REQUIRED)
def test_each_required_field_removed_is_reported(field):
    errors = statement_of_reasons_validate(valid_statement(**{field: ...}))
    assert field in errors
    assert f"The {field.replace('_', ' ')} field is required." in errors[field]


@pytest.mark.parametrize("field", ["decision_facts", "puid", "content_type"])
def test_an_empty_required_field_counts_as_missing(field):
    empty = [] if field == "content_type" else "  "
    assert field in statement_of_reasons_validate(valid_statement(**{field: empty}))


@pytest.mark.parametrize(
    ("field", "wrong"),
    [
        ("decision_visibility", ["DECISION_VISIBILITY_HIDDEN"]),
        ("decision_monetary", "DECISION_MONETARY_FINE"),
        ("decision_provision", "DECISION_PROVISION_PAUSED"),
        ("decision_account", "DECISION_ACCOUNT_BANNED"),
        ("account_type", "ACCOUNT_TYPE_BOT"),
        ("decision_ground", "DECISION_GROUND_POLICY"),
        ("incompatible_content_illegal", "Maybe"),
        ("content_type", ["CONTENT_TYPE_DEEPFAKE"]),
        ("category", "STATEMENT_CATEGORY_MISINFORMATION"),
        ("category_addition", ["STATEMENT_CATEGORY_ELECTIONS"]),
        ("category_specification", ["KEYWORD_DEEPFAKE"]),
        ("territorial_scope", ["US"]),
        ("territorial_scope", ["EL"]),
        ("content_language", "sk"),
        ("content_language", "SVK"),
        ("source_type", "SOURCE_USER"),
        ("automated_detection", "yes"),
        ("automated_decision", "Yes"),
    ],
)
def test_each_value_outside_its_list_is_reported(field, wrong):
    errors = statement_of_reasons_validate(valid_statement(**{field: wrong}))
    assert list(errors) == [field]
    assert errors[field][0].startswith(f"The selected {field.replace('_', ' ')} is invalid")


@pytest.mark.parametrize("field", schema.ARRAY_FIELDS)
def test_array_fields_must_be_arrays(field):
    errors = statement_of_reasons_validate(valid_statement(**{field: "SK"}))
    assert f"The {field.replace('_', ' ')} field must be an array." in errors[field]


def test_duplicate_array_values_are_reported():
    errors = statement_of_reasons_validate(valid_statement(territorial_scope=["SK", "SK"]))
    assert errors == {"territorial_scope": ["The territorial scope field has duplicate values."]}


def test_at_least_one_restriction_is_required():
    errors = statement_of_reasons_validate(valid_statement(decision_visibility=...))
    assert set(errors) == set(schema.RESTRICTION_FIELDS)
    assert errors["decision_visibility"] == [
        "The decision visibility field is required when none of "
        "decision monetary / decision provision / decision account are present."
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision_monetary", "DECISION_MONETARY_SUSPENSION"),
        ("decision_provision", "DECISION_PROVISION_PARTIAL_SUSPENSION"),
        ("decision_account", "DECISION_ACCOUNT_SUSPENDED"),
    ],
)
def test_any_one_restriction_is_enough(field, value):
    assert statement_of_reasons_validate(valid_statement(decision_visibility=..., **{field: value})) == {}


@pytest.mark.parametrize(
    ("ground", "needed", "excluded"),
    [
        (
            "DECISION_GROUND_ILLEGAL_CONTENT",
            ["illegal_content_legal_ground", "illegal_content_explanation"],
            ["incompatible_content_ground", "incompatible_content_explanation"],
        ),
        (
            "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            ["incompatible_content_ground", "incompatible_content_explanation"],
            ["illegal_content_legal_ground", "illegal_content_explanation"],
        ),
    ],
)
def test_each_ground_requires_its_own_fields(ground, needed, excluded):
    statement = valid_statement(
        decision_ground=ground, incompatible_content_ground=..., incompatible_content_explanation=...
    )
    errors = statement_of_reasons_validate(statement)
    assert set(errors) == set(needed)
    filled = valid_statement(decision_ground=ground, **{name: "x" for name in needed})
    # The other ground's fields are excluded by the database, not errors (like Laravel's exclude_unless).
    filled.update({name: "y" * 3000 for name in excluded})
    assert statement_of_reasons_validate(filled) == {}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"decision_visibility": ["DECISION_VISIBILITY_OTHER"]}, "decision_visibility_other"),
        ({"decision_monetary": "DECISION_MONETARY_OTHER"}, "decision_monetary_other"),
        ({"content_type": ["CONTENT_TYPE_OTHER"]}, "content_type_other"),
    ],
)
def test_an_other_value_requires_its_description(overrides, field):
    errors = statement_of_reasons_validate(valid_statement(**overrides))
    assert errors == {field: [f"The {field.replace('_', ' ')} field is required."]}
    assert statement_of_reasons_validate(valid_statement(**overrides, **{field: "Audio withheld"})) == {}


@pytest.mark.parametrize(("field", "limit"), sorted(schema.MAX_LENGTHS.items()))
def test_free_text_lengths(field, limit):
    context = {
        "decision_visibility_other": {"decision_visibility": ["DECISION_VISIBILITY_OTHER"]},
        "decision_monetary_other": {"decision_monetary": "DECISION_MONETARY_OTHER"},
        "content_type_other": {"content_type": ["CONTENT_TYPE_OTHER"]},
        "illegal_content_legal_ground": {
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
            "illegal_content_explanation": "x",
        },
        "illegal_content_explanation": {
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
            "illegal_content_legal_ground": "x",
        },
    }.get(field, {})
    value = "https://example.org/" + "a" * limit if field == "decision_ground_reference_url" else "a" * limit
    at_limit = (
        "https://example.org/" + "a" * (limit - 20)
        if field == "decision_ground_reference_url"
        else "a" * limit
    )

    assert field not in statement_of_reasons_validate(valid_statement(**context, **{field: at_limit}))
    errors = statement_of_reasons_validate(valid_statement(**context, **{field: value + "a"}))
    assert (
        f"The {field.replace('_', ' ')} field must not be greater than {limit} characters." in errors[field]
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("content_date", "28.09.2023", "does not match the format YYYY-MM-DD"),
        ("content_date", "2023-02-30", "does not match the format YYYY-MM-DD"),
        ("content_date", "1999-12-31", "after or equal to 2000-01-01"),
        ("content_date", "2038-01-02", "before or equal to 2038-01-01"),
        ("application_date", "2019-12-31", "after or equal to 2020-01-01"),
        ("application_date", "2023-09-29T21:10:00", "does not match the format YYYY-MM-DD"),
        ("end_date_visibility_restriction", "2023-09-28", "after or equal to the application date"),
        ("end_date_account_restriction", "2040-01-01", "before or equal to 2038-01-01"),
    ],
)
def test_dates(field, value, message):
    errors = statement_of_reasons_validate(valid_statement(**{field: value}))
    assert list(errors) == [field]
    assert message in errors[field][0]


def test_the_date_bounds_themselves_are_allowed():
    assert (
        statement_of_reasons_validate(
            valid_statement(content_date="2000-01-01", application_date="2020-01-01")
        )
        == {}
    )


@pytest.mark.parametrize("puid", ["dec 7f3a", "dec/7f3a", "déc-1", "dec-1\n"])
def test_puid_charset(puid):
    errors = statement_of_reasons_validate(valid_statement(puid=puid))
    assert errors == {"puid": ["The puid may only contain letters, digits, hyphens and underscores."]}


def test_decision_ground_reference_url_must_be_a_url():
    errors = statement_of_reasons_validate(valid_statement(decision_ground_reference_url="terms page"))
    assert errors == {
        "decision_ground_reference_url": ["The decision ground reference url must be a valid URL."]
    }


def test_unknown_fields_are_reported_as_likely_typos():
    errors = statement_of_reasons_validate(valid_statement(territorial_scop=["SK"]))
    assert errors == {"territorial_scop": ["territorial_scop is not a field of the statement of reasons."]}


def test_a_non_object_is_rejected_cleanly():
    assert statement_of_reasons_validate(["not", "a", "statement"]) == {
        "statement": ["A statement of reasons is a JSON object."]
    }
