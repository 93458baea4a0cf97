"""Load the seeded calendar (elections/data/countries.json and elections.json) into the database.

Used by the data migration (with historical models, passed as `apps`), by tests and by any
command that wants to refresh the seed. Loading is idempotent (countries by code, rules by
country, elections by country + name + round + region) and all or nothing: a bad entry names
its file, its position and its field, and nothing is written.

countries.json: [{"code", "name", "time_zones", "languages", "silence_rule": null | {...},
"no_silence_note"}]; elections.json: [{"country", "name", "kind", "round", "region",
"voting_days", "polls_open", "polls_close", "polls_time_zone", "time_zones", "phases",
"source_urls", "notes", "expected_silence", "status"}]; `status` is "scheduled" (the date is
fixed) or "expected" (due by law, the voting days are the best estimate), default "scheduled".
docs/elections.md describes every field.
"""

import json
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Any

from django.db import transaction

from . import validation
from .windows import WindowComputationError, election_derived_fields

DATA_DIR = Path(__file__).resolve().parent / "data"
COUNTRIES_FILE = DATA_DIR / "countries.json"
ELECTIONS_FILE = DATA_DIR / "elections.json"


class SeedError(ValueError):
    """A seed file entry that cannot be loaded; the message names the file, the entry and the field."""


@dataclass(frozen=True)
class SeedResult:
    countries: int
    rules: int
    elections: int
    windows: int


def _where(path: Path, index: int, item: Any) -> str:
    label = item.get("code") or item.get("name") if isinstance(item, dict) else None
    return f"{path.name} entry {index + 1}" + (f" ({label})" if label else "")


def _fail(path: Path, index: int, item: Any, errors: validation.Errors) -> None:
    details = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in errors.items())
    raise SeedError(f"{_where(path, index, item)}: {details}")


def _clock(value: Any, field: str, errors: validation.Errors, *, required: bool) -> time | None:
    if value in (None, ""):
        if required:
            validation.add_error(errors, field, "Enter a time as HH:MM.")
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        validation.add_error(errors, field, f"{value!r} is not a time (HH:MM).")
        return None


def _read(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise SeedError(f"{path.name}: cannot be read as JSON: {exc}") from exc
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise SeedError(f"{path.name}: expected a list of objects")
    return data


def _rule_fields(path: Path, index: int, item: dict, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        _fail(path, index, item, {"silence_rule": ["Expected an object or null."]})
    errors: validation.Errors = {}
    fields = {key: raw[key] for key in validation.RULE_FIELDS if key in raw}
    fields["start_time"] = _clock(raw.get("start_time"), "start_time", errors, required=False)
    fields["end_time"] = _clock(raw.get("end_time"), "end_time", errors, required=False)
    fields.setdefault("scope", "full")
    fields.setdefault("start_clock", "elapsed")
    fields.setdefault("end_mode", "polls_close")
    fields.setdefault("covers_online", "yes")
    fields.setdefault("source_urls", [])
    fields["end_day_offset"] = fields.get("end_day_offset") or 0
    fields["end_time_zone"] = fields.get("end_time_zone") or ""
    for key in ("legal_basis", "notes"):
        fields[key] = fields.get(key) or ""
    fields["uncertain"] = bool(fields.get("uncertain"))
    for key, allowed in (
        ("scope", {"full", "advertising", "broadcast"}),
        ("covers_online", {"yes", "partial", "no", "uncertain"}),
    ):
        if fields[key] not in allowed:
            validation.add_error(
                errors, f"silence_rule.{key}", f"{fields[key]!r} is not one of {sorted(allowed)}."
            )
    if not errors:
        for field, messages in validation.rule_errors(
            start_mode=fields.get("start_mode"),
            start_hours=fields.get("start_hours"),
            start_clock=fields["start_clock"],
            start_days=fields.get("start_days"),
            start_time=fields["start_time"],
            end_mode=fields["end_mode"],
            end_time=fields["end_time"],
            end_day_offset=fields["end_day_offset"],
            end_time_zone=fields["end_time_zone"],
            source_urls=fields["source_urls"],
        ).items():
            errors[f"silence_rule.{field}"] = messages
    if errors:
        _fail(path, index, item, errors)
    return fields


def _load_countries(path: Path, Country: Any, SilenceRule: Any, *, only_new: bool = False) -> tuple[int, int]:
    rules = 0
    items = _read(path)
    existing = set(Country.objects.values_list("code", flat=True)) if only_new else set()
    for index, item in enumerate(items):
        code = str(item.get("code") or "").upper()
        if code in existing:
            continue
        errors = validation.country_errors(
            code=code, time_zones=item.get("time_zones"), languages=item.get("languages", [])
        )
        if not str(item.get("name") or "").strip():
            validation.add_error(errors, "name", "Enter the country's name.")
        if errors:
            _fail(path, index, item, errors)
        raw_rule = item.get("silence_rule")
        rule_fields = _rule_fields(path, index, item, raw_rule) if raw_rule is not None else None
        if rule_fields is None and not str(item.get("no_silence_note") or "").strip():
            _fail(path, index, item, {"no_silence_note": ["Say why the country has no silence rule."]})
        country, _ = Country.objects.update_or_create(
            code=code,
            defaults={
                "name": item["name"].strip(),
                "time_zones": list(item["time_zones"]),
                "languages": list(item.get("languages") or []),
                "no_silence_note": "" if rule_fields else str(item.get("no_silence_note") or "").strip(),
                "no_silence_sources": [] if rule_fields else list(item.get("no_silence_sources") or []),
            },
        )
        if rule_fields is None:
            SilenceRule.objects.filter(country=country).delete()
        else:
            SilenceRule.objects.update_or_create(country=country, defaults=rule_fields)
            rules += 1
    return len(items), rules


def _load_elections(
    path: Path, Country: Any, Election: Any, ElectionPhase: Any, *, only_new: bool = False
) -> list[Any]:

    loaded = []
    countries = {country.code: country for country in Country.objects.all()}
    kinds = {choice[0] for choice in Election._meta.get_field("kind").choices}
    rounds = {choice[0] for choice in Election._meta.get_field("round").choices}
    has_status = any(field.name == "status" for field in Election._meta.get_fields())
    statuses = {"scheduled", "expected"}
    for index, item in enumerate(_read(path)):
        errors: validation.Errors = {}
        country = countries.get(str(item.get("country") or "").upper())
        if country is None:
            validation.add_error(errors, "country", f"Unknown country {item.get('country')!r}.")
        name = str(item.get("name") or "").strip()
        if not name:
            validation.add_error(errors, "name", "Enter the election's name.")
        kind, round_ = item.get("kind"), item.get("round") or "first"
        if kind not in kinds:
            validation.add_error(errors, "kind", f"{kind!r} is not one of {sorted(kinds)}.")
        if round_ not in rounds:
            validation.add_error(errors, "round", f"{round_!r} is not one of {sorted(rounds)}.")
        polls_open = _clock(item.get("polls_open"), "polls_open", errors, required=True)
        polls_close = _clock(item.get("polls_close"), "polls_close", errors, required=True)
        phases = item.get("phases") or []
        if not isinstance(phases, list) or not all(isinstance(phase, dict) for phase in phases):
            validation.add_error(errors, "phases", "Expected a list of objects.")
            phases = []
        fields = {
            "region": str(item.get("region") or "").upper(),
            "constituencies": list(item.get("constituencies") or []),
            "voting_days": item.get("voting_days"),
            "polls_close_next_day": bool(item.get("polls_close_next_day")),
            "polls_time_zone": item.get("polls_time_zone") or "",
            "time_zones": list(item.get("time_zones") or []),
        }
        if "polls_open" not in errors and "polls_close" not in errors:
            errors.update(
                validation.election_errors(
                    country_code=country.code if country else None,
                    polls_open=polls_open,
                    polls_close=polls_close,
                    phases=phases,
                    **fields,
                )
            )
        status = item.get("status") or "scheduled"
        if status not in statuses:
            validation.add_error(errors, "status", f"{status!r} is not one of {sorted(statuses)}.")
        source_urls = item.get("source_urls") or []
        if not isinstance(source_urls, list) or not all(
            isinstance(url, str) and url.startswith(("http://", "https://")) for url in source_urls
        ):
            validation.add_error(errors, "source_urls", "Enter a list of http(s) source URLs.")
        if errors:
            _fail(path, index, item, errors)
        key = {"country": country, "name": name, "round": round_, "region": fields["region"]}
        election = Election.objects.filter(**key).first() or Election(**key)
        if only_new and election.pk is not None:
            # An existing election keeps what operators made of it. One the 0005 migration loaded
            # from these files before `status` existed gets the file's status, unless an operator
            # has confirmed or moved its date since.
            if (
                has_status
                and election.status != status
                and election.date_confirmed_at is None
                and election.voting_days == fields["voting_days"]
            ):
                Election.objects.filter(pk=election.pk).update(status=status)
            continue
        others = validation.overlapping_elections(
            Election.objects.all(),
            country_code=country.code,
            kind=kind,
            region=fields["region"],
            constituencies=fields["constituencies"],
            voting_days=fields["voting_days"],
            exclude_pk=election.pk,
        )
        if others:
            _fail(path, index, item, {"voting_days": [f"Overlaps {others[0].name} ({others[0].round})."]})
        election.kind = kind
        election.polls_open, election.polls_close = polls_open, polls_close
        election.source_urls = source_urls
        election.notes = str(item.get("notes") or "")
        # The 0005 migration runs this loader with a historical Election that predates `status`.
        if has_status:
            election.status = status
        for field, value in fields.items():
            setattr(election, field, value)
        for field, value in election_derived_fields(
            election=election, country_zones=country.time_zones
        ).items():
            setattr(election, field, value)
        election.save()
        ElectionPhase.objects.filter(election=election).delete()
        for phase in phases:
            ElectionPhase.objects.create(
                election=election,
                number=phase["number"],
                voting_days=validation.days_to_json(phase["voting_days"]),
                regions=[region.upper() for region in phase.get("regions") or []],
                constituencies=list(phase.get("constituencies") or []),
            )
        loaded.append(election)
    return loaded


def seed_calendar(
    *,
    apps: Any = None,
    countries_path: Path | None = None,
    elections_path: Path | None = None,
    only_new: bool = False,
) -> SeedResult:
    """Load countries, rules and elections from the seed files and materialize their windows.

    `apps` is the migration's app registry (historical models); without it, the current models.
    A missing file is skipped (nothing to load yet); a bad entry raises SeedError and the
    transaction rolls back. With `only_new`, countries and elections already in the database are
    left untouched and only the missing ones are loaded (a later data migration's mode).
    """
    # seed also runs inside migrations, on historical models: the live services only here
    from .services import recompute_deferred, sync_election_windows

    if apps is None:
        # the live registry, not the migration's historical one
        from django.apps import apps as current_apps

        apps = current_apps
    Country = apps.get_model("elections", "Country")
    SilenceRule = apps.get_model("elections", "SilenceRule")
    Election = apps.get_model("elections", "Election")
    ElectionPhase = apps.get_model("elections", "ElectionPhase")
    countries_path = countries_path or COUNTRIES_FILE
    elections_path = elections_path or ELECTIONS_FILE
    countries = rules = 0
    elections: list[Any] = []
    # The loader recomputes every election once at the end; the signal handlers (connected to
    # the current models only) hold off meanwhile.
    with transaction.atomic(), recompute_deferred():
        if countries_path.exists():
            countries, rules = _load_countries(countries_path, Country, SilenceRule, only_new=only_new)
        if elections_path.exists():
            elections = _load_elections(elections_path, Country, Election, ElectionPhase, only_new=only_new)
        windows = 0
        recompute = Election.objects.select_related("country")
        if only_new:
            recompute = recompute.filter(pk__in=[election.pk for election in elections])
        for election in recompute:
            # The election period's end starts from voting's end; the windows then extend it.
            election.period_end = election_derived_fields(
                election=election, country_zones=election.country.time_zones
            )["period_end"]
            Election.objects.filter(pk=election.pk).update(period_end=election.period_end)
            try:
                windows += len(sync_election_windows(election))
            except WindowComputationError as exc:
                raise SeedError(f"{election.name}: {exc}") from exc
    return SeedResult(countries=countries, rules=rules, elections=len(elections), windows=windows)
