"""Keyset (cursor) pagination for the partner case list.

A cursor names the last row a page ended on (its sort key), so the next page is one index range
read whatever its depth: no OFFSET that grows with the page number, and no duplicated or skipped
case when new ones arrive between two calls (they sort before the first page). The body is
`{"next": url|null, "previous": url|null, "results": [...]}`.

The form before it, `limit`/`offset` with `count`, is still served for partners' existing scripts
(paginate_offset), deprecated until settings.PARTNER_API_OFFSET_SUNSET: the same envelope and
offset links as before, with Deprecation/Sunset headers and a Link to the same page as a cursor.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from rest_framework.exceptions import ValidationError
from rest_framework.utils.urls import remove_query_param, replace_query_param

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

# ordering name -> model fields, every one descending; the last is the unique tie-breaker.
ORDERINGS: dict[str, tuple[str, ...]] = {
    "newest": ("created_at", "pk"),
    "urgency": ("priority", "created_at", "pk"),
}


def _encode(values: list) -> list:
    return [v.isoformat() if isinstance(v, datetime) else v for v in values]


def _decode(fields: tuple[str, ...], values: list) -> list:
    out = []
    for field, value in zip(fields, values, strict=True):
        if field == "created_at":
            parsed = datetime.fromisoformat(value)
            if parsed.tzinfo is None:
                raise ValueError("naive instant")
            out.append(parsed)
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) < 2**63:
            out.append(value)
        else:
            raise ValueError("not an integer")
    return out


def _after(fields: tuple[str, ...], values: list, *, forward: bool) -> Q:
    """Rows strictly after `values` in descending order of `fields` (before them if not forward)."""
    lookup = "lt" if forward else "gt"
    condition = Q()
    for i, field in enumerate(fields):
        step = Q(**{f"{field}__{lookup}": values[i]})
        for prior, value in zip(fields[:i], values[:i], strict=True):
            step &= Q(**{prior: value})
        condition |= step
    return condition


# When the cursor form replaced limit/offset (RFC 9745 Deprecation header: "@" and Unix seconds).
OFFSET_DEPRECATED_AT = datetime(2026, 12, 3, tzinfo=UTC)


@dataclass
class Page:
    results: list
    next: str | None
    previous: str | None
    count: int | None = None  # only in the deprecated offset form
    headers: dict[str, str] | None = None

    def as_body(self, data: list) -> dict:
        body = {"next": self.next, "previous": self.previous, "results": data}
        return body if self.count is None else {"count": self.count, **body}


def limit_from(request) -> int:
    raw = request.query_params.get("limit")
    try:
        limit = int(raw) if raw is not None else DEFAULT_LIMIT
    except ValueError:
        return DEFAULT_LIMIT  # as DRF's paginators: an unreadable limit falls back to the default
    return max(1, min(limit, MAX_LIMIT))


def _cursor(ordering: str, direction: str, row, fields: tuple[str, ...]) -> str:
    values = _encode([getattr(row, f) for f in fields])
    token = json.dumps({"o": ordering, "d": direction, "v": values}, separators=(",", ":"))
    return base64.urlsafe_b64encode(token.encode()).decode().rstrip("=")


def offset_sunset() -> datetime:
    return datetime.fromisoformat(settings.PARTNER_API_OFFSET_SUNSET).astimezone(UTC)


def _offset_from(request) -> int:
    try:
        return max(0, int(request.query_params["offset"]))
    except ValueError:
        return 0  # as DRF's LimitOffsetPagination, which the old form used: unreadable means 0


def paginate_offset(
    queryset: QuerySet, request, *, ordering: str, count_queryset: QuerySet | None = None
) -> Page:
    """Return the deprecated `limit`/`offset` page: `count`, offset links, and the cursor's Link.

    count_queryset: the same rows in a form cheaper to count, if there is one. After the sunset
    the form is refused (400 naming `offset`), as the cursor-only list did.
    """
    sunset = offset_sunset()
    if timezone.now() >= sunset:
        raise ValidationError(
            {"offset": [f"The offset form ended on {sunset:%Y-%m-%d}: follow the next links (cursor)."]}
        )
    fields = ORDERINGS[ordering]
    limit, offset = limit_from(request), _offset_from(request)
    count = (queryset if count_queryset is None else count_queryset).count()
    url = request.build_absolute_uri()
    # The row before the page too (when there is one): its key is the page's cursor.
    start = max(0, offset - 1)
    rows = (
        list(queryset.order_by(*[f"-{f}" for f in fields])[start : offset + limit]) if offset < count else []
    )
    before = rows.pop(0) if rows and offset > 0 else None
    successor = remove_query_param(remove_query_param(url, "offset"), "cursor")
    if before is not None:
        successor = replace_query_param(successor, "cursor", _cursor(ordering, "n", before, fields))
    next_url = replace_query_param(url, "offset", offset + limit) if offset + limit < count else None
    previous_url = None
    if offset > 0:
        previous_url = (
            remove_query_param(url, "offset")
            if offset - limit <= 0
            else replace_query_param(url, "offset", offset - limit)
        )
    headers = {
        "Deprecation": f"@{int(OFFSET_DEPRECATED_AT.timestamp())}",
        "Sunset": format_datetime(sunset, usegmt=True),
        "Link": f'<{successor}>; rel="successor-version"',
    }
    return Page(results=rows, next=next_url, previous=previous_url, count=count, headers=headers)


def paginate(queryset: QuerySet, request, *, ordering: str) -> Page:
    """Return the page of `queryset` the request's `cursor` and `limit` name."""
    fields = ORDERINGS[ordering]
    limit = limit_from(request)
    forward, position = True, None
    raw = request.query_params.get("cursor")
    if raw:
        try:
            decoded = json.loads(base64.urlsafe_b64decode(raw.encode("ascii") + b"==").decode())
            if decoded.get("o") != ordering or decoded.get("d") not in ("n", "p"):
                raise ValueError("cursor of another ordering")
            forward = decoded["d"] == "n"
            position = _decode(fields, decoded["v"])
        except (ValueError, TypeError, KeyError, AttributeError, UnicodeError, binascii.Error, OverflowError):
            raise ValidationError(
                {"cursor": ["Invalid cursor: use the next or previous link as given."]}
            ) from None
    order = [f"-{f}" if forward else f for f in fields]
    qs = queryset.order_by(*order)
    if position is not None:
        qs = qs.filter(_after(fields, position, forward=forward))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not forward:
        rows.reverse()

    def link(direction: str, row) -> str:
        return replace_query_param(
            request.build_absolute_uri(), "cursor", _cursor(ordering, direction, row, fields)
        )

    has_next = more if forward else position is not None
    has_previous = position is not None if forward else more
    next_url = link("n", rows[-1]) if rows and has_next else None
    previous_url = link("p", rows[0]) if rows and has_previous else None
    if not rows and position is not None:
        # Past either end: offer the way back to the first page.
        previous_url = remove_query_param(request.build_absolute_uri(), "cursor") if forward else None
    return Page(results=rows, next=next_url, previous=previous_url)
