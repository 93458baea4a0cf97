"""What a detector adapter does, and the errors it raises.

An adapter turns one media file into one score in [0, 1] ("how likely synthetic") by talking to a
vendor's API through integrations.http (timeouts, size caps, SSRF guard). It raises
`triage.checks.base.CheckError`: transient for 5xx, timeouts and 429 (with the Retry-After
seconds), permanent for 4xx and answers it cannot read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

from django.utils import timezone

from integrations.http import OutboundError, OutboundResponse, outbound_request
from triage.checks.base import CheckError, MediaFile

MAX_ANSWER_BYTES = 2 * 1024 * 1024


@dataclass
class DetectorAnswer:
    score: float
    label: str = ""
    details: dict[str, Any] = field(default_factory=dict)


def retry_after_seconds(value: str | None) -> float | None:
    """Parse Retry-After: delta-seconds or an HTTP date."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" is a digit to str.isdigit, not to float()
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - timezone.now()).total_seconds())


class DetectorAdapter:
    """Base class: subclasses implement `analyze`, using `request` for every call."""

    def __init__(self, config, api_key: str | None):
        self.config = config
        self.api_key = api_key
        self.options: dict[str, Any] = dict(config.options or {})

    def analyze(self, media: MediaFile) -> DetectorAnswer:
        raise NotImplementedError

    def request(self, method: str, url: str, **kwargs) -> OutboundResponse:
        """Make one call; map failures and non-2xx statuses to CheckError."""
        try:
            response = outbound_request(
                method,
                url,
                allow_private=self.config.allow_private,
                read_timeout=self.config.timeout_seconds,
                total_timeout=self.config.timeout_seconds * 2,
                max_bytes=kwargs.pop("max_bytes", MAX_ANSWER_BYTES),
                **kwargs,
            )
        except OutboundError as exc:
            raise CheckError(f"{self.config.name}: {exc.message}", transient=not exc.permanent) from exc
        if response.status == 429:
            raise CheckError(
                f"{self.config.name}: rate limited (HTTP 429)",
                transient=True,
                retry_after=retry_after_seconds(response.headers.get("retry-after")) or 30.0,
            )
        if response.status >= 500 or response.status == 408:
            raise CheckError(f"{self.config.name}: HTTP {response.status}", transient=True)
        if response.status >= 400:
            raise CheckError(f"{self.config.name}: HTTP {response.status} (request refused)")
        return response

    def json_of(self, response: OutboundResponse) -> Any:
        try:
            return json.loads(response.body)
        except ValueError:
            raise CheckError(f"{self.config.name}: the answer is not JSON") from None


def unreadable(config, what: str) -> CheckError:
    return CheckError(f"{config.name}: unreadable answer ({what})")


def as_score(value: Any, *, percent: bool = False) -> float:
    score = float(value)
    if percent or score > 1.0:
        score /= 100.0
    if not 0.0 <= score <= 1.0:
        raise ValueError(f"score {value!r} is outside [0, 1]")
    return score
