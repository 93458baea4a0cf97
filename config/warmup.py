"""Work a web process does once at start-up rather than in its first request.

A gunicorn worker loads the WSGI application after it forks (config/wsgi.py calls `warm_up()`):
modules that views import lazily, URL resolvers, serializers and the database connection cost
~0.3 s on first use, which the first request of every worker paid. `config/` may not import the
apps, so each app registers what to warm from its AppConfig.ready(); a failure is logged and
never stops the process (the request that needs it pays, as before).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

logger = logging.getLogger(__name__)

_steps: dict[str, Callable[[], None]] = {}


def warmup_register(name: str, step: Callable[[], None]) -> None:
    """Add (or replace) a start-up step."""
    _steps[name] = step


def warm_up() -> float:
    """Run every registered step; return the seconds it took."""
    started = time.monotonic()
    for name, step in list(_steps.items()):
        try:
            step()
        except Exception:  # noqa: BLE001 - a cold first request beats a worker that will not start
            logger.warning("warm-up step %s failed", name, exc_info=True)
    return time.monotonic() - started
