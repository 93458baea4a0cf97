"""Fact-checked media as its own signal: published ratings and debunked-bank matches.

Two sources make a case "fact-checked": a `FactCheck` row (a fact-checker's published rating of
false or manipulated, recorded by `case_fact_check_record`, which a partner API calls), and a
match with a `debunked` fingerprint bank (its banked item may carry the fact-check in
`metadata["fact_check"]`: rating, fact_checker, published_at, url). The policy input
`fact_checked` is the most recent of them (rating, who, when, link); `fact_checks` lists all.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from triage.audit.models import ActorKind
from triage.audit.services import audit_record
from triage.evidence.models import CheckResult, CheckState
from triage.models import Case

from .models import FactCheck, FactCheckRating

TRIGGER_FACT_CHECK = "fact_checked"  # the same trigger a partner assessment re-decides with
_url = URLValidator(schemes=["http", "https"])


def _published(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value if value.tzinfo else None
    if isinstance(value, str):
        # A bare date (the day a review was published) first: fromisoformat would read it as a
        # naive midnight.
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            return datetime.combine(day, time(), tzinfo=UTC)
        try:
            parsed = parse_datetime(value)
        except ValueError:
            return None
        if parsed is not None:
            return parsed if parsed.tzinfo else None
    return None


def _errors(*, rating, fact_checker, published_at, url) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if rating not in FactCheckRating.values:
        errors["rating"] = [f"One of: {', '.join(FactCheckRating.values)}."]
    if not isinstance(fact_checker, str) or not fact_checker.strip() or len(fact_checker) > 200:
        errors["fact_checker"] = ["The fact-checking organization's name (up to 200 characters)."]
    if _published(published_at) is None:
        errors["published_at"] = ["An ISO 8601 date, or an instant with a time zone."]
    try:
        if not isinstance(url, str) or len(url) > 500:
            raise ValidationError("too long")
        _url(url)
    except ValidationError:
        errors["url"] = ["The http(s) address of the published review (up to 500 characters)."]
    return errors


@transaction.atomic
def case_fact_check_record(
    *,
    case_id: int,
    rating: str,
    fact_checker: str,
    published_at: datetime | str,
    url: str,
    claim_reviewed: str = "",
    recorded_by: str = "",
    actor_kind: str = ActorKind.PARTNER,
) -> FactCheck:
    """Record a fact-checker's published rating of a case's media, and re-decide the case.

    Idempotent per (case, fact-checker, review URL): recording the same review again updates it.
    A merged case's review goes to the case it was merged into. Bad input raises ValidationError
    keyed by field. The case is re-decided by a Celery task once this commits.
    """
    errors = _errors(rating=rating, fact_checker=fact_checker, published_at=published_at, url=url)
    case = Case.objects.select_for_update().filter(pk=case_id).first() if isinstance(case_id, int) else None
    while case is not None and case.merged_into_id is not None:
        case = Case.objects.select_for_update().filter(pk=case.merged_into_id).first()
    if case is None:
        errors["case_id"] = ["No such case."]
    if errors:
        raise ValidationError(errors)
    record, created = FactCheck.objects.update_or_create(
        case=case,
        fact_checker=fact_checker.strip(),
        url=url,
        defaults={
            "rating": rating,
            "published_at": _published(published_at),
            "claim_reviewed": claim_reviewed or "",
            "recorded_by": recorded_by or "",
        },
    )
    audit_record(
        action="case.fact_check_recorded",
        actor_kind=actor_kind,
        case=case,
        inputs={
            "rating": rating,
            "fact_checker": record.fact_checker,
            "url": url,
            "recorded_by": recorded_by,
        },
        outcome={"fact_check_id": record.pk, "created": created},
    )
    # deferred: a module-level import here forms an import cycle
    from .tasks import case_decide_task

    live_id = case.pk
    transaction.on_commit(lambda: case_decide_task.delay(live_id, TRIGGER_FACT_CHECK))
    return record


@transaction.atomic
def case_fact_check_withdraw(*, case_id: int, fact_checker: str, url: str) -> bool:
    """Forget a fact-check its publisher withdrew; re-decide the case. Return whether one was there."""
    deleted, _ = FactCheck.objects.filter(
        case_id=case_id, fact_checker=fact_checker.strip(), url=url
    ).delete()
    if deleted:
        audit_record(
            action="case.fact_check_withdrawn",
            actor_kind=ActorKind.PARTNER,
            case_id=case_id,
            inputs={"fact_checker": fact_checker, "url": url},
            outcome={"deleted": deleted},
        )
        from .tasks import case_decide_task  # the tasks module imports the decision services

        transaction.on_commit(lambda: case_decide_task.delay(case_id, TRIGGER_FACT_CHECK))
    return bool(deleted)


def _bank_fact_checks(verdict) -> list[dict[str, Any]]:
    """Fact-checks carried by the debunked-bank matches of the verdict's fingerprint check."""
    if verdict is None:
        return []
    results = CheckResult.objects.filter(runs=verdict.run_id, kind="fingerprint", state=CheckState.DONE)
    out = []
    for evidence in results.values_list("evidence", flat=True):
        for match in (evidence or {}).get("matches") or []:
            if match.get("purpose") != "debunked":
                continue
            item = match.get("item") or {}
            found = item.get("fact_check") if isinstance(item.get("fact_check"), dict) else {}
            published = _published(found.get("published_at"))
            out.append(
                {
                    "rating": found.get("rating")
                    if found.get("rating") in FactCheckRating.values
                    else "false",
                    "fact_checker": found.get("fact_checker") or f"debunked bank {match.get('bank')}",
                    "published_at": published.isoformat() if published else None,
                    "url": found.get("url") or None,
                    "source": f"bank:{match.get('bank')}",
                }
            )
    return out


def fact_checks_for_case(*, case: Case, verdict) -> list[dict[str, Any]]:
    """Every fact-check of the case, oldest first: recorded reviews, then debunked-bank matches."""
    recorded = [
        {
            "rating": fc.rating,
            "fact_checker": fc.fact_checker,
            "published_at": fc.published_at.isoformat(),
            "url": fc.url,
            "source": "recorded",
        }
        for fc in FactCheck.objects.filter(case=case).order_by("published_at", "pk")
    ]
    found = recorded + _bank_fact_checks(verdict)
    unique: list[dict[str, Any]] = []
    for fc in found:
        if not any(u["fact_checker"] == fc["fact_checker"] and u["url"] == fc["url"] for u in unique):
            unique.append(fc)
    return unique


def fact_checked_summary(fact_checks: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The policy input `fact_checked`: the latest rating, who (all of them), when, and its link."""
    if not fact_checks:
        return None
    dated = [fc for fc in fact_checks if fc.get("published_at")]
    latest = max(dated, key=lambda fc: fc["published_at"]) if dated else fact_checks[-1]
    linked = latest if latest.get("url") else next((fc for fc in fact_checks if fc.get("url")), latest)
    who: list[str] = []
    for fc in fact_checks:
        if fc["fact_checker"] not in who:
            who.append(fc["fact_checker"])
    return {
        "rating": latest["rating"],
        "who": who,
        "when": latest.get("published_at"),
        "link": linked.get("url"),
    }
