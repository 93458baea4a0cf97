"""Work a web process does once at start-up rather than in its first request.

A gunicorn worker loads the WSGI application after it forks (config/wsgi.py calls `warm_up()`):
modules that views import lazily, URL resolvers, serializers and the database connection cost
~0.3 s on first use, which the first request of every worker paid. `config/` may not import the
apps, so each app registers what to warm from its AppConfig.ready(); a failure is logged and
never stops the process (the request that needs it pays, as before).

Last, the start-up objects leave the garbage collector's reach. Python's full (oldest-generation)
collection walks every tracked object, and a Django process holds several hundred thousand from
start-up alone (modules, URL patterns, serializers, the OpenAPI machinery): each one cost 70-110 ms
of CPU in the middle of a request, about one request in fifty of the partner case list, which made
its p99 (bench/api/case_list.py). gc.freeze() moves the start-up objects to a permanent generation
that collections skip, as the gc module's documentation advises for long-lived servers.
"""

from __future__ import annotations

import gc
import logging
import time
from collections.abc import Callable

from django.urls import get_resolver

logger = logging.getLogger(__name__)

_steps: dict[str, Callable[[], None]] = {}


def warmup_register(name: str, step: Callable[[], None]) -> None:
    """Add (or replace) a start-up step."""
    _steps[name] = step


def process_warm_up() -> None:
    """Import the URLconf (and so every view module) now, not on the first request, then freeze."""
    get_resolver().url_patterns  # noqa: B018 - the property imports the URLconf and its views
    gc.collect()  # garbage left by start-up is freed first, not frozen with the rest
    gc.freeze()


def warm_up() -> float:
    """Run every registered step, then load every view and freeze; return the seconds it took."""
    started = time.monotonic()
    for name, step in list(_steps.items()):
        try:
            step()
        except Exception as exc:  # noqa: BLE001 - a cold first request beats a worker that will not start
            # One line, no traceback: a worker (re)started while the database is down is an outage
            # the 503 middleware already reports, not a defect (tests/faults/test_postgres_restart.py).
            logger.warning(
                "warm-up step %s failed: %s: %s",
                name,
                type(exc).__name__,
                str(exc).splitlines()[0] if str(exc) else "",
            )
    process_warm_up()
    return time.monotonic() - started
