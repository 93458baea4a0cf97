"""The calendar's import files: elections, public figures and authorized likenesses.

Every import is all or nothing. Each row is checked and written inside its own savepoint, so a
bad row does not hide the errors of the rows after it; if any row fails, the whole import is
rolled back and every error is reported as "line N, field: message". New elections go through
`services.election_create`, and updates through the model's own checks (as the admin's form
does), so the admin and the import agree on what a valid election is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from .ical import IcsUnparseable, election_rows_from_ics
from .models import (
    AuthorizedLikeness,
    Country,
    Election,
    ElectionRound,
    LikenessKind,
    Person,
    PersonRole,
    RoleKind,
)
from .names import name_clean, name_fold
from .services import election_create

# Import files are hand-made spreadsheets and calendars, or a commission's candidate list (India's
# ~8,000 candidates fit in 2 MB): anything larger is a mistake or hostile, and would hold the
# import's transaction open for minutes.
MAX_IMPORT_BYTES = 10 * 1024 * 1024
MAX_IMPORT_ROWS = 20_000

ELECTION_COLUMNS = ("country", "name", "kind", "round", "voting_days", "polls_open", "polls_close", "region")
PUBLIC_FIGURE_COLUMNS = ("name", "aliases", "country", "role", "party", "valid_from", "valid_to")
LIKENESS_COLUMNS = ("person", "country", "kind", "declared_by", "evidence_url", "valid_from", "valid_to")

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME_RE = re.compile(r"^(\d{1,2}):(\d{2})$")


@dataclass(frozen=True)
class RowError:
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}, " if self.line else ""
        return f"{where}{self.field}: {self.message}"


class ImportRejected(Exception):
    """The file was rejected and nothing was imported; `errors` says where and why."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__("\n".join(str(error) for error in errors))


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    details: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged"


class _FieldErrors(Exception):
    """Raised inside a row's savepoint to roll back just that row's writes."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors


# --- Reading files ------------------------------------------------------------------------


def read_text(path: str | os.PathLike) -> str:
    """Return the file's text (UTF-8, with or without a BOM), or raise ImportRejected."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise ImportRejected([RowError(None, "file", f"larger than {MAX_IMPORT_BYTES} bytes")])
        data = path.read_bytes()
    except OSError as exc:
        raise ImportRejected([RowError(None, "file", f"cannot read {path}: {exc.strerror}")]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ImportRejected([RowError(line, "file", "not UTF-8 text (save the file as UTF-8)")]) from exc


def csv_rows(text: str, columns: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line, row) for each non-blank data row; the header must name exactly `columns`.

    Columns may come in any order. `line` is the file line the row starts on (the header is line 1).
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ImportRejected([RowError(1, "header", f"unparseable CSV: {exc}")]) from exc
    if header is None:
        raise ImportRejected([RowError(None, "file", "the file is empty")])
    header = [name.strip().lower() for name in header]
    missing = [name for name in columns if name not in header]
    unknown = [name for name in header if name not in columns]
    if missing or unknown or len(set(header)) != len(header):
        parts = []
        if missing:
            parts.append("missing column(s) " + ", ".join(missing))
        if unknown:
            parts.append("unknown column(s) " + ", ".join(repr(name) for name in unknown))
        if len(set(header)) != len(header):
            parts.append("a column is named twice")
        raise ImportRejected([RowError(1, "header", "; ".join(parts) + f" (expected: {','.join(columns)})")])
    previous_end = reader.line_num
    count = 0
    while True:
        start = previous_end + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportRejected([RowError(start, "row", f"unparseable CSV: {exc}")]) from exc
        previous_end = reader.line_num
        if not any(value.strip() for value in values):
            continue
        count += 1
        if count > MAX_IMPORT_ROWS:
            raise ImportRejected(
                [RowError(start, "file", f"more than {MAX_IMPORT_ROWS} rows: split the file")]
            )
        if len(values) != len(header):
            raise ImportRejected(
                [RowError(start, "row", f"expected {len(header)} fields, found {len(values)}")]
            )
        yield start, {name: value.strip() for name, value in zip(header, values, strict=True)}


def _run_rows(rows: Iterable[tuple[int | None, Any]], handle: Callable[..., str]) -> ImportResult:
    """Apply `handle(row)` to each row in its own savepoint; reject the whole import on any error.

    `handle` returns "created", "updated" or "unchanged", or raises _FieldErrors /
    ValidationError. Call inside a transaction (the import functions are atomic).
    """
    result = ImportResult()
    errors: list[RowError] = []
    for line, row in rows:
        try:
            with transaction.atomic():
                outcome = handle(row)
        except _FieldErrors as exc:
            errors.extend(RowError(line, name, message) for name, message in exc.errors.items())
            continue
        except ValidationError as exc:
            errors.extend(_validation_errors(line, exc))
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    if errors:
        raise ImportRejected(errors)
    return result


def _validation_errors(line: int | None, exc: ValidationError, rename: dict[str, str] | None = None):
    rename = rename or {}
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            label = "row" if name == NON_FIELD_ERRORS else rename.get(name, name)
            for message in messages:
                yield RowError(line, label, message)
    else:
        for message in exc.messages:
            yield RowError(line, "row", message)


# --- Field parsers ------------------------------------------------------------------------


def _parse_date(value: str, errors: dict[str, str], name: str, *, required: bool) -> dt.date | None:
    if not value:
        if required:
            errors[name] = "required (YYYY-MM-DD)"
        return None
    if not _DATE_RE.match(value):
        errors[name] = f"{value!r} is not an ISO date (YYYY-MM-DD)"
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        errors[name] = f"{value!r} is not a real date"
        return None


def _parse_time(value: str, errors: dict[str, str], name: str) -> dt.time | None:
    match = _TIME_RE.match(value)
    if not match:
        errors[name] = f"{value!r} is not a local time HH:MM" if value else "required (local time HH:MM)"
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        errors[name] = f"{value!r} is not a time of day (00:00–23:59)"
        return None
    return dt.time(hour, minute)


def _split(value: str) -> list[str]:
    return [item.strip() for item in value.split(";") if item.strip()]


def _country(value: str, errors: dict[str, str], countries: dict[str, Country]) -> Country | None:
    code = value.strip().upper()
    if not code:
        errors["country"] = "required (ISO 3166-1 alpha-2, e.g. SK)"
        return None
    country = countries.get(code)
    if country is None:
        errors["country"] = f"unknown country {value!r}: add it to the calendar first"
    return country


def _period(row: dict[str, str], errors: dict[str, str], *, from_required: bool):
    valid_from = _parse_date(row["valid_from"], errors, "valid_from", required=from_required)
    valid_to = _parse_date(row["valid_to"], errors, "valid_to", required=False)
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = f"{valid_to} is before valid_from {valid_from}"
    return valid_from, valid_to


def _check_model(instance, rename: dict[str, str], exclude: Iterable[str] = ()) -> None:
    """Run the model's own field checks (lengths, choices), reporting errors under CSV column names."""
    try:
        instance.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise _FieldErrors(
            {error.field: error.message for error in _validation_errors(None, exc, rename)}
        ) from None


# --- Elections ----------------------------------------------------------------------------


def election_rows(path: str | os.PathLike) -> list[tuple[int | None, dict]]:
    """Read an elections file: CSV, or iCalendar when it ends in .ics or starts with BEGIN:VCALENDAR."""
    text = read_text(path)
    if str(path).lower().endswith(
        (".ics", ".ical", ".ifb", ".icalendar")
    ) or text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        try:
            rows = election_rows_from_ics(text, max_events=MAX_IMPORT_ROWS)
            return [(line, {**fields, "_errors": errors}) for line, fields, errors in rows]
        except IcsUnparseable as exc:
            raise ImportRejected([RowError(None, "file", str(exc))]) from exc
    return list(csv_rows(text, ELECTION_COLUMNS))


@transaction.atomic
def elections_import(*, rows: Iterable[tuple[int | None, dict]]) -> ImportResult:
    """Create or update one election per row; all or nothing.

    A row whose (country, name, round) matches an election already in the calendar updates it
    in place (keeping its id, its windows' ids and any operator adjustment), so re-importing a
    file is idempotent; an identical row leaves it unchanged. Source URLs (from .ics URL) are
    added to the election's, never removed; fields the file has no column for stay as they are.
    """

    countries = {country.code: country for country in Country.objects.all()}

    def handle(row: dict) -> str:
        errors: dict[str, str] = dict(row.get("_errors") or {})
        country = _country(row["country"], errors, countries) if "country" not in errors else None
        name = name_clean(row["name"])
        if not name:
            errors["name"] = "required"
        round_ = row["round"].strip().lower() or ElectionRound.FIRST
        if round_ not in ElectionRound.values:
            errors["round"] = f"{row['round']!r} is not one of {', '.join(ElectionRound.values)}"
        days: list[dt.date] = []
        if "voting_days" not in errors:
            if not _split(row["voting_days"]):
                errors["voting_days"] = "required (ISO dates separated by ';')"
            for value in _split(row["voting_days"]):
                day = _parse_date(value, errors, "voting_days", required=True)
                if day is None:
                    break
                days.append(day)
        polls_open = polls_close = None
        if "polls_open" not in errors:
            polls_open = _parse_time(row["polls_open"], errors, "polls_open")
        close_text = row["polls_close"].strip()
        next_day = close_text.endswith("+1")
        if "polls_close" not in errors:
            polls_close = _parse_time(close_text.removesuffix("+1").strip(), errors, "polls_close")
        if polls_open and polls_close and len(days) == 1 and not next_day and polls_close <= polls_open:
            errors["polls_close"] = (
                f"polls close ({polls_close:%H:%M}) before they open ({polls_open:%H:%M}); "
                f"if they close after midnight, write {polls_close:%H:%M}+1"
            )
        if errors:
            raise _FieldErrors(errors)
        fields = {
            "kind": row["kind"].strip().lower(),
            "voting_days": days,
            "polls_open": polls_open,
            "polls_close": polls_close,
            "polls_close_next_day": next_day,
            "region": row["region"].strip().upper(),
        }
        sources = list(row.get("source_urls") or [])
        existing = (
            Election.objects.select_for_update().filter(country=country, name=name, round=round_).first()
        )
        if existing is None:
            election_create(country=country.code, name=name, round=round_, source_urls=sources, **fields)
            return "created"
        fields["voting_days"] = [day.isoformat() for day in days]
        # Sources are evidence: a file adds to them and never drops the ones already recorded.
        fields["source_urls"] = existing.source_urls + [
            url for url in sources if url not in existing.source_urls
        ]
        if all(getattr(existing, key) == value for key, value in fields.items()):
            return "unchanged"
        _election_update(existing, fields)
        return "updated"

    return _run_rows(rows, handle)


def _election_update(election: Election, fields: dict) -> None:
    """Update an election the way the admin does: the model's checks, then save.

    Saving recomputes the election's windows (elections.signals), in place: their ids and any
    operator adjustment carry over. A rule that gives no usable window raises ValidationError.
    """
    for key, value in fields.items():
        setattr(election, key, value)
    election.full_clean(exclude=["first_voting_day", "last_voting_day"])
    election.save()


# --- Public figures -----------------------------------------------------------------------


@transaction.atomic
def public_figures_import(*, rows: Iterable[tuple[int | None, dict[str, str]]]) -> ImportResult:
    """Create one Person per (name, country) and add each row's role; all or nothing.

    A person already in the registry gets the row's aliases added (never removed) and its party
    updated when the row names one; a role identical to one the person has is not added twice.
    """
    countries = {country.code: country for country in Country.objects.all()}
    person_rename = {"name": "name", "aliases": "aliases", "party": "party", "country": "country"}
    role_rename = {"kind": "role", "party": "party", "valid_from": "valid_from", "valid_to": "valid_to"}

    # One index per country for the whole file, kept up to date as rows add people.
    indexes: dict[str, dict[str, list[Person]]] = {}

    def registered(country: Country, name: str) -> Person | None:
        if country.code not in indexes:
            indexes[country.code] = person_index(country=country)
        key = name_fold(name)
        return next((p for p in indexes[country.code].get(key, []) if name_fold(p.name) == key), None)

    def handle(row: dict[str, str]) -> str:
        errors: dict[str, str] = {}
        name = name_clean(row["name"])
        if not name:
            errors["name"] = "required"
        country = _country(row["country"], errors, countries)
        role = row["role"].strip().lower()
        if not role:
            errors["role"] = f"required: one of {', '.join(RoleKind.values)}"
        elif role not in RoleKind.values:
            errors["role"] = f"{row['role']!r} is not one of {', '.join(RoleKind.values)}"
        valid_from, valid_to = _period(row, errors, from_required=False)
        if errors:
            raise _FieldErrors(errors)
        aliases = [name_clean(alias) for alias in _split(row["aliases"])]
        party = name_clean(row["party"])

        # The same person whether the file spells the name with its diacritics or without.
        person = registered(country, name)
        if person is not None:
            person = Person.objects.select_for_update().get(pk=person.pk)
        outcome = "unchanged"
        if person is None:
            person = Person(
                name=name, country=country, aliases=_merge_aliases([], aliases, name), party=party
            )
            _check_model(person, person_rename)
            person.save()
            indexes[country.code].setdefault(name_fold(name), []).append(person)
            outcome = "created"
        else:
            merged = _merge_aliases(person.aliases, aliases, name)
            if merged != person.aliases or (party and party != person.party):
                person.aliases = merged
                person.party = party or person.party
                _check_model(person, person_rename)
                person.save(update_fields=["aliases", "party"])
                outcome = "updated"
        role_fields = {"kind": role, "party": party, "valid_from": valid_from, "valid_to": valid_to}
        if not PersonRole.objects.filter(person=person, **role_fields).exists():
            person_role = PersonRole(person=person, **role_fields)
            _check_model(person_role, role_rename, exclude=["person"])
            person_role.save()
            if outcome == "unchanged":
                outcome = "updated"
        return outcome

    return _run_rows(rows, handle)


def _merge_aliases(existing: list[str], new: list[str], name: str) -> list[str]:
    """Keep the aliases already known, in order, then add new ones; skip repeats of the name.

    A repeat is the same spelling in another case or Unicode form. A spelling without diacritics
    is kept: it matches the same (name_fold does), but it is how some sources write the name.
    """

    def spelling(value: str) -> str:
        return " ".join(name_clean(value).casefold().split())

    merged = list(existing)
    seen = {spelling(alias) for alias in merged} | {spelling(name)}
    for alias in new:
        if spelling(alias) not in seen:
            merged.append(alias)
            seen.add(spelling(alias))
    return merged


# --- Authorized likenesses ----------------------------------------------------------------


def person_index(*, country: Country) -> dict[str, list[Person]]:
    """Map each name and alias of `country`'s people, compared by `_name_key`, to those people."""
    index: dict[str, list[Person]] = {}
    for person in Person.objects.filter(country=country).order_by("pk"):
        for key in dict.fromkeys(name_fold(name) for name in [person.name, *person.aliases]):
            index.setdefault(key, []).append(person)
    return index


def person_find(*, country: Country, name: str) -> list[Person]:
    """Return the people of `country` whose name or an alias is `name`, compared by `name_fold`."""
    return person_index(country=country).get(name_fold(name), [])


@transaction.atomic
def authorized_likenesses_import(*, rows: Iterable[tuple[int | None, dict[str, str]]]) -> ImportResult:
    """Record one declaration per row for a person already in the registry; all or nothing.

    A row with the same person, kind, evidence URL and valid_from as a recorded declaration
    updates it (declared_by, valid_to) instead of adding a second one.
    """
    countries = {country.code: country for country in Country.objects.all()}
    url_validator = URLValidator(schemes=["http", "https"])
    rename = {
        "person": "person",
        "kind": "kind",
        "declared_by": "declared_by",
        "evidence_url": "evidence_url",
        "valid_from": "valid_from",
        "valid_to": "valid_to",
    }
    # One index per country for the whole file: a commission's list may name thousands of people.
    indexes: dict[str, dict[str, list[Person]]] = {}

    def handle(row: dict[str, str]) -> str:
        errors: dict[str, str] = {}
        country = _country(row["country"], errors, countries)
        person_name = name_clean(row["person"])
        person = None
        if not person_name:
            errors["person"] = "required (the person's name or an alias)"
        elif country is not None:
            if country.code not in indexes:
                indexes[country.code] = person_index(country=country)
            found = indexes[country.code].get(name_fold(person_name), [])
            if not found:
                errors["person"] = (
                    f"no person named {person_name!r} in {country.code}: import the public figures first"
                )
            elif len(found) > 1:
                errors["person"] = f"{person_name!r} names several people in {country.code}: " + ", ".join(
                    f"{p.name} (#{p.pk})" for p in found
                )
            else:
                person = found[0]
        kind = row["kind"].strip().lower()
        if kind not in LikenessKind.values:
            errors["kind"] = (
                f"{row['kind']!r} is not one of {' | '.join(LikenessKind.values)}"
                if kind
                else f"required: one of {' | '.join(LikenessKind.values)}"
            )
        declared_by = name_clean(row["declared_by"])
        if not declared_by:
            errors["declared_by"] = "required (the person or the party that declared it)"
        evidence_url = row["evidence_url"].strip()
        if not evidence_url:
            errors["evidence_url"] = "required (where the declaration can be seen)"
        else:
            try:
                url_validator(evidence_url)
            except ValidationError:
                errors["evidence_url"] = f"{evidence_url!r} is not an http(s) URL"
        valid_from, valid_to = _period(row, errors, from_required=True)
        if errors:
            raise _FieldErrors(errors)

        likeness = AuthorizedLikeness.objects.filter(
            person=person, kind=kind, evidence_url=evidence_url, valid_from=valid_from
        ).first()
        if likeness is None:
            likeness = AuthorizedLikeness(
                person=person,
                kind=kind,
                declared_by=declared_by,
                evidence_url=evidence_url,
                valid_from=valid_from,
                valid_to=valid_to,
            )
            _check_model(likeness, rename)
            likeness.save()
            return "created"
        if likeness.declared_by == declared_by and likeness.valid_to == valid_to:
            return "unchanged"
        likeness.declared_by, likeness.valid_to = declared_by, valid_to
        _check_model(likeness, rename)
        likeness.save(update_fields=["declared_by", "valid_to"])
        return "updated"

    return _run_rows(rows, handle)
