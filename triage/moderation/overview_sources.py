"""Panels of the overview that live in higher layers (callbacks), plugged in without an import.

The dashboard is triage-side and must not import integrations/. A higher layer registers a
function here from its AppConfig.ready(); the overview calls each with the instant and shows
what it returns: a dict of named counts (and optionally "rows", a short list of dicts).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any

logger = logging.getLogger(__name__)

OverviewSource = Callable[[datetime], dict[str, Any]]
_sources: dict[str, OverviewSource] = {}


def overview_source_register(name: str, source: OverviewSource) -> None:
    """Register (or replace) the source called `name`; idempotent, so ready() may run twice."""
    _sources[name] = source


def overview_sources_read(*, at: datetime) -> dict[str, dict[str, Any] | None]:
    """Each registered source's numbers at `at`; None for a source that failed (the page still renders)."""
    results: dict[str, dict[str, Any] | None] = {}
    for name, source in sorted(_sources.items()):
        try:
            results[name] = source(at)
        except Exception:  # a broken panel must not take the overview down with it
            logger.exception("overview source %s failed", name)
            results[name] = None
    return results
