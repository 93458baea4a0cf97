"""Reads on stored statements of reasons (the export command, the admin and the partner API)."""

from __future__ import annotations

import json
from datetime import datetime

from django.db.models import QuerySet

from .export import statements_to_csv
from .models import StatementOfReasons


def statements_of_reasons_list(
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    platform=None,
    valid: bool | None = True,
) -> QuerySet[StatementOfReasons]:
    """Return stored statements decided in [since, until), oldest first.

    `platform` is a Platform, its id or its slug. By default only valid statements (those ready to
    file); `valid=False` lists the ones needing attention, `valid=None` both.
    """
    qs = StatementOfReasons.objects.select_related("platform", "decision")
    if since is not None:
        qs = qs.filter(decided_at__gte=since)
    if until is not None:
        qs = qs.filter(decided_at__lt=until)
    if platform is not None:
        if isinstance(platform, str):
            qs = qs.filter(platform__slug=platform)
        else:
            qs = qs.filter(platform_id=getattr(platform, "pk", platform))
    if valid is not None:
        qs = qs.filter(valid=valid)
    return qs.order_by("decided_at", "pk")


def statements_export(*, statements, fmt: str) -> str:
    """Return the statements as JSON (`{"statements": [...]}`, any count) or CSV (the dumps' columns)."""

    bodies = [s.statement for s in statements]
    if fmt == "csv":
        return statements_to_csv(bodies)
    if fmt == "json":
        return json.dumps({"statements": bodies}, ensure_ascii=False, indent=1) + "\n"
    raise ValueError(f"unknown format {fmt!r}: use json or csv")
