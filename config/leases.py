"""Short claim leases, kept alive by a heartbeat while the work runs.

Work that a worker takes (a submission's media fetch, one check, a transition batch) is claimed
with a conditional update that stamps a timestamp column of its row. A claim older than the
lease belongs to a worker that died, and a sweeper takes it back. A lease long enough for the
slowest work (30 minutes) made a killed worker's submission wait that long; a short one
(`CLAIM_LEASE_SECONDS`, 45 s) would be taken over from a worker that is merely slow.

So while the work runs, a daemon thread of the same process re-stamps the column every
`CLAIM_HEARTBEAT_SECONDS`, on condition that the column still holds the value it last wrote:
the value is a fencing token, so a claim that someone else took over is never renewed, and the
owner learns it lost the claim (`Lease.lost`). A dead worker stops renewing and its work is
taken back within about a lease plus a sweep interval. Renewal stops after `max_seconds` (the
work's own time limit), so a thread stuck past its limit lets its claim expire too.

This lives in `config/` because every layer (elections, triage) claims work the same way.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils import timezone

logger = logging.getLogger(__name__)


def lease_seconds(name: str | None = None) -> int:
    """The lease of one kind of claim (its own setting when given and set), else CLAIM_LEASE_SECONDS."""
    default = getattr(settings, "CLAIM_LEASE_SECONDS", 45)
    if name:
        return int(getattr(settings, name, default) or default)
    return int(default)


def heartbeat_seconds() -> float:
    return float(getattr(settings, "CLAIM_HEARTBEAT_SECONDS", 10))


def lease_expired_before(name: str | None = None) -> datetime:
    """Claims stamped before this instant are expired."""
    return timezone.now() - timedelta(seconds=lease_seconds(name))


class Lease:
    """A claim being renewed: `token` is the value the column holds now, `lost` is set if taken over."""

    def __init__(self, token: datetime) -> None:
        self.token = token
        self.lost = threading.Event()
        self._stop = threading.Event()


def _renew(queryset, pk, field: str, lease: Lease, interval: float, max_seconds: float | None) -> None:
    started = timezone.now()
    try:
        while not lease._stop.wait(interval):
            now = timezone.now()
            if max_seconds is not None and (now - started).total_seconds() > max_seconds:
                logger.warning("claim on %s %s not renewed past its time limit", queryset.model.__name__, pk)
                return
            try:
                close_old_connections()
                renewed = queryset.filter(pk=pk, **{field: lease.token}).update(**{field: now})
            except Exception:  # noqa: BLE001 - a database hiccup: try again at the next beat
                logger.warning(
                    "could not renew the claim on %s %s", queryset.model.__name__, pk, exc_info=True
                )
                continue
            if renewed:
                lease.token = now
            elif queryset.filter(pk=pk).exists():
                logger.warning("claim on %s %s was taken over", queryset.model.__name__, pk)
                lease.lost.set()
                return
            else:
                return  # the row is gone (or not yet visible to this connection): nothing to renew
    finally:
        connections.close_all()  # this thread's own connection


@contextlib.contextmanager
def lease_heartbeat(
    queryset, *, pk, field: str, token: datetime, max_seconds: float | None = None
) -> Iterator[Lease]:
    """Renew the claim stamped `token` in `field` of row `pk` while the block runs.

    Without a broker (tasks run eagerly in the caller) nobody else can take the work, and no
    thread is started. On exit the thread is stopped before the caller's final write, so
    `lease.token` is the value in the row and can fence that write.
    """
    lease = Lease(token)
    interval = heartbeat_seconds()
    if getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False) or interval <= 0:
        yield lease
        return
    thread = threading.Thread(
        target=_renew,
        args=(queryset, pk, field, lease, interval, max_seconds),
        name=f"lease-{queryset.model.__name__}-{pk}",
        daemon=True,
    )
    thread.start()
    try:
        yield lease
    finally:
        lease._stop.set()
        thread.join(timeout=interval + 30)
