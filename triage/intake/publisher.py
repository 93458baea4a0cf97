"""Publish submission processing from a background thread of the web process, batched under load.

The webhook commits a submission in the "to process" state and answers at once. Publishing its
Celery message costs a broker round trip and a few hundred microseconds of Python, a third of
the request under load. So on commit the submission id goes onto an in-process queue, and one
thread per process publishes what has queued up within LINGER_SECONDS of the first id: a lone
id as `process_submission`, as before; several (under load) in one `dispatch_submissions`
message, which a worker fans out into one `process_submission` each. Processing starts at
most LINGER_SECONDS later than it would have; the webhook answers sooner and, under load, the
web process pays for one publish per batch instead of one per request.

Nothing is lost when the broker is down or the process dies before a message leaves: the
submission is committed as pending, and the sweeper re-enqueues it (see `submissions_sweep`).
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time

logger = logging.getLogger(__name__)

MAX_BATCH = 500
LINGER_SECONDS = 0.1

_lock = threading.Lock()
_queue: queue.SimpleQueue[int] = queue.SimpleQueue()
_pid: int | None = None  # the process whose thread drains _queue (a forked child starts its own)


def submissions_publish(*, submission_ids: list[int]) -> None:
    """Publish processing for these submissions now; a broker failure is left to the sweeper."""
    # the tasks module imports this one
    from .tasks import dispatch_submissions, process_submission

    try:
        # No publish retries: the rows are safe either way, and the sweeper is the retry.
        if len(submission_ids) == 1:
            process_submission.apply_async(kwargs={"submission_id": submission_ids[0]}, retry=False)
        else:
            dispatch_submissions.apply_async(kwargs={"submission_ids": submission_ids}, retry=False)
    except Exception:  # noqa: BLE001 - any broker error: the sweeper re-enqueues the pending rows
        logger.warning("could not enqueue %s submissions; the sweeper will retry", len(submission_ids))


def submission_publish_soon(*, submission_id: int) -> None:
    """Queue a committed submission for the publishing thread of this process (started on first use)."""
    global _queue, _pid
    if _pid != os.getpid():
        with _lock:
            if _pid != os.getpid():
                _queue = queue.SimpleQueue()  # ids queued in a parent process are the parent's
                thread = threading.Thread(
                    target=_publish_forever, args=(_queue,), name="submission-publisher", daemon=True
                )
                thread.start()
                _pid = os.getpid()
    _queue.put(submission_id)


def _take(ids: queue.SimpleQueue[int], first: int, *, linger: float) -> list[int]:
    """Return `first` and whatever else arrives within `linger` seconds (at most MAX_BATCH).

    The thread sleeps through the linger and then drains the queue, rather than waiting on the
    queue for each id: a waiting thread is woken by every put, a context switch and a GIL
    hand-over per request, which cost the web process more CPU than the publish it batches.
    """
    if linger:
        time.sleep(linger)
    batch = [first]
    while len(batch) < MAX_BATCH:
        try:
            batch.append(ids.get_nowait())
        except queue.Empty:
            break
    return batch


def _publish_forever(ids: queue.SimpleQueue[int]) -> None:
    while True:
        submissions_publish(submission_ids=_take(ids, ids.get(), linger=LINGER_SECONDS))


@atexit.register
def _flush() -> None:
    """Publish what is still queued when the process exits normally (a recycled web worker)."""
    if _pid != os.getpid():
        return
    try:
        while True:
            submissions_publish(submission_ids=_take(_queue, _queue.get_nowait(), linger=0))
    except queue.Empty:
        pass
