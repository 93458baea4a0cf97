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

The same thread publishes the folds of later reports (triage/intake/folds.py): the report that
scheduled a fold queues ("fold", submission id), and the batch leaves as one `fold_reports`
message due REPORT_FOLD_SECONDS later. A lost one is re-published by `report_folds_sweep`.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time

from django.conf import settings

logger = logging.getLogger(__name__)

MAX_BATCH = 500
LINGER_SECONDS = 0.1

_lock = threading.Lock()
# Submission ids to process (int) and submission ids whose reports to fold (("fold", id)).
_queue: queue.SimpleQueue = queue.SimpleQueue()
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


def report_folds_publish(*, submission_ids: list[int], countdown: float | None = None) -> None:
    """Publish one fold of these submissions' later reports, due in `countdown` seconds.

    The countdown (REPORT_FOLD_SECONDS by default) is the coalescing window: every report about
    the same content that arrives meanwhile is folded by this one task. A broker failure is left
    to the sweeper (the fold's schedule row stays).
    """
    # the tasks module imports this one
    from .tasks import fold_reports

    if countdown is None:
        countdown = settings.REPORT_FOLD_SECONDS
    try:
        fold_reports.apply_async(kwargs={"submission_ids": submission_ids}, countdown=countdown, retry=False)
    except Exception:  # noqa: BLE001 - any broker error: the sweeper re-publishes the scheduled folds
        logger.warning(
            "could not publish the fold of %s submissions; the sweeper will retry", len(submission_ids)
        )


def report_fold_publish_soon(*, submission_id: int) -> None:
    """Queue a committed fold schedule for the publishing thread of this process."""
    _put(("fold", submission_id))


def submission_publish_soon(*, submission_id: int) -> None:
    """Queue a committed submission for the publishing thread of this process (started on first use)."""
    _put(submission_id)


def _put(item) -> None:
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
    _queue.put(item)


def _take(ids: queue.SimpleQueue, first, *, linger: float) -> list:
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


def _publish(batch: list) -> None:
    submission_ids = [item for item in batch if isinstance(item, int)]
    folds = sorted({item[1] for item in batch if isinstance(item, tuple)})
    if submission_ids:
        submissions_publish(submission_ids=submission_ids)
    if folds:
        report_folds_publish(submission_ids=folds)


def _publish_forever(ids: queue.SimpleQueue) -> None:
    while True:
        _publish(_take(ids, ids.get(), linger=LINGER_SECONDS))


@atexit.register
def _flush() -> None:
    """Publish what is still queued when the process exits normally (a recycled web worker)."""
    if _pid != os.getpid():
        return
    try:
        while True:
            _publish(_take(_queue, _queue.get_nowait(), linger=0))
    except queue.Empty:
        pass
