"""Coalesce the work that decisions set off (fan-out, statements) when many are made in a row.

A window opening decides hundreds of cases per batch; enqueueing one fan-out task and one
statements task per decision costs more in broker round trips and task start-up than the work
itself. Inside `decision_followups_coalesced()`, the `decision_made` receivers that support it
collect the decision ids and enqueue one task per block with all of them, when the block ends
(each decision was committed on its own before; the periodic sweeps repair anything lost if the
process dies before the block ends). Outside such a block they enqueue at once, one per decision.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

logger = logging.getLogger(__name__)

Flush = Callable[[list[int]], None]
_pending: ContextVar[dict[str, tuple[Flush, list[int]]] | None] = ContextVar(
    "decision_followups_pending", default=None
)


@contextmanager
def decision_followups_coalesced() -> Iterator[None]:
    """Within the block, hand each receiver's decision ids over at the end, in one call."""
    pending: dict[str, tuple[Flush, list[int]]] = {}
    token = _pending.set(pending)
    try:
        yield
    finally:
        _pending.reset(token)
        # Also after an error: the decisions made before it are committed and need their follow-ups.
        for key, (flush, decision_ids) in pending.items():
            try:
                flush(decision_ids)
            except Exception:  # noqa: BLE001  (the sweeps pick up what was not enqueued)
                logger.warning("could not enqueue %s for %d decisions", key, len(decision_ids))


def decision_followup(*, key: str, decision_id: int, flush: Flush) -> None:
    """Call `flush([decision_id])` now, or once with every collected id when the enclosing block ends."""
    pending = _pending.get()
    if pending is None:
        flush([decision_id])
        return
    pending.setdefault(key, (flush, []))[1].append(decision_id)
