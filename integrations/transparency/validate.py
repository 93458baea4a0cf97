"""Check a statement of reasons against the Transparency Database's rules before filing it.

Mirrors the Laravel rules of StatementStoreRequest / GroupedSubmissionsService::multi_rules
(see schema.py for the sources): required fields, allowed values, array fields, lengths, date
formats and bounds, the puid pattern, conditional fields and "at least one restriction". Two
checks are stricter than the server's: unknown fields are reported (most likely typos), and an
end date before the application date is reported (the API documentation requires it).
"""

import re
from collections.abc import Mapping
from datetime import date
from urllib.parse import urlparse

from . import schema

_PUID_RE = re.compile(r"^[a-zA-Z0-9_-]+$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LATEST = date(2038, 1, 1)


def _label(name: str) -> str:
    return name.replace("_", " ")


def _empty(value) -> bool:
    """Laravel's notion of a missing value for `required`."""
    return (
        value is None
        or (isinstance(value, str) and not value.strip())
        or (isinstance(value, list) and not value)
    )


def _parse_date(value) -> date | None:
    if not isinstance(value, str) or not _DATE_RE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def statement_of_reasons_validate(sor) -> dict[str, list[str]]:
    """Return {field: [messages]} for every rule the statement breaks; empty when it is valid."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not isinstance(sor, Mapping):
        return {"statement": ["A statement of reasons is a JSON object."]}

    for name in sor:
        if name not in schema.FIELDS:
            add(name, f"{name} is not a field of the statement of reasons.")

    def check_required(name: str) -> bool:
        if _empty(sor.get(name)):
            add(name, f"The {_label(name)} field is required.")
            return False
        return True

    def check_in(name: str, allowed, *, array: bool = False) -> None:
        value = sor.get(name)
        if value is None:
            return
        if array:
            if not isinstance(value, list):
                add(name, f"The {_label(name)} field must be an array.")
                return
            wrong = [item for item in value if item not in allowed]
            if wrong:
                add(name, f"The selected {_label(name)} is invalid: {', '.join(map(str, wrong))}.")
            if len(set(map(str, value))) != len(value):
                add(name, f"The {_label(name)} field has duplicate values.")
        elif value not in allowed:
            add(name, f"The selected {_label(name)} is invalid: {value}.")

    def check_length(name: str) -> None:
        value = sor.get(name)
        limit = schema.MAX_LENGTHS[name]
        if value is None:
            return
        if not isinstance(value, str):
            add(name, f"The {_label(name)} field must be a string.")
        elif len(value) > limit:
            add(name, f"The {_label(name)} field must not be greater than {limit} characters.")

    def check_date(name: str, earliest: date | None) -> date | None:
        value = sor.get(name)
        if value is None:
            return None
        parsed = _parse_date(value)
        if parsed is None:
            add(name, f"The {_label(name)} does not match the format YYYY-MM-DD.")
            return None
        if earliest and parsed < earliest:
            add(name, f"The {_label(name)} must be a date after or equal to {earliest.isoformat()}.")
        if parsed > _LATEST:
            add(name, f"The {_label(name)} must be a date before or equal to {_LATEST.isoformat()}.")
        return parsed

    # At least one restriction.
    if all(_empty(sor.get(name)) for name in schema.RESTRICTION_FIELDS):
        for name in schema.RESTRICTION_FIELDS:
            others = " / ".join(_label(o) for o in schema.RESTRICTION_FIELDS if o != name)
            add(name, f"The {_label(name)} field is required when none of {others} are present.")
    check_in("decision_visibility", schema.DECISION_VISIBILITIES, array=True)
    check_in("decision_monetary", schema.DECISION_MONETARIES)
    check_in("decision_provision", schema.DECISION_PROVISIONS)
    check_in("decision_account", schema.DECISION_ACCOUNTS)
    check_in("account_type", schema.ACCOUNT_TYPES)

    # The "other" free texts: required with their OTHER value, otherwise excluded (ignored).
    visibility = sor.get("decision_visibility")
    content_type = sor.get("content_type")
    other_texts = (
        (
            "decision_visibility_other",
            isinstance(visibility, list) and "DECISION_VISIBILITY_OTHER" in visibility,
        ),
        ("decision_monetary_other", sor.get("decision_monetary") == "DECISION_MONETARY_OTHER"),
        ("content_type_other", isinstance(content_type, list) and "CONTENT_TYPE_OTHER" in content_type),
    )
    for name, needed in other_texts:
        if needed and check_required(name):
            check_length(name)

    # Ground and its conditional fields.
    if check_required("decision_ground"):
        check_in("decision_ground", schema.DECISION_GROUNDS)
    ground = sor.get("decision_ground")
    if ground == "DECISION_GROUND_ILLEGAL_CONTENT":
        for name in ("illegal_content_legal_ground", "illegal_content_explanation"):
            if check_required(name):
                check_length(name)
    if ground == "DECISION_GROUND_INCOMPATIBLE_CONTENT":
        for name in ("incompatible_content_ground", "incompatible_content_explanation"):
            if check_required(name):
                check_length(name)
        check_in("incompatible_content_illegal", schema.YES_NO)
    url = sor.get("decision_ground_reference_url")
    if url is not None:
        check_length("decision_ground_reference_url")
        parsed = urlparse(url) if isinstance(url, str) else None
        if not parsed or parsed.scheme not in ("http", "https") or not parsed.netloc:
            add("decision_ground_reference_url", "The decision ground reference url must be a valid URL.")

    # Content and category.
    if check_required("content_type"):
        check_in("content_type", schema.CONTENT_TYPES, array=True)
    if check_required("category"):
        check_in("category", schema.STATEMENT_CATEGORIES)
    check_in("category_addition", schema.STATEMENT_CATEGORIES, array=True)
    check_in("category_specification", schema.KEYWORDS, array=True)
    if sor.get("category_specification_other") is not None:
        check_length("category_specification_other")
    check_in("territorial_scope", schema.EUROPEAN_COUNTRY_CODES, array=True)
    check_in("content_language", schema.LANGUAGE_CODES)

    # Dates.
    if check_required("content_date"):
        check_date("content_date", date(2000, 1, 1))
    applied = check_date("application_date", date(2020, 1, 1)) if check_required("application_date") else None
    for name in schema.END_DATE_FIELDS:
        ended = check_date(name, None)
        if ended and applied and ended < applied:
            add(name, f"The {_label(name)} must be a date after or equal to the application date.")

    # Facts, source, automation, identifier.
    if check_required("decision_facts"):
        check_length("decision_facts")
    if check_required("source_type"):
        check_in("source_type", schema.SOURCE_TYPES)
    if sor.get("source_identity") is not None:
        check_length("source_identity")
    if check_required("automated_detection"):
        check_in("automated_detection", schema.YES_NO)
    if check_required("automated_decision"):
        check_in("automated_decision", schema.AUTOMATED_DECISIONS)
    if check_required("puid"):
        check_length("puid")
        puid = sor.get("puid")
        if isinstance(puid, str) and not _PUID_RE.fullmatch(puid):
            add("puid", "The puid may only contain letters, digits, hyphens and underscores.")
    return errors
