"""Profile one batch: re-evaluate N seeded cases in this process, count queries and time per case.

Usage (a database of its own; the broker only receives the enqueued follow-up tasks, nothing runs them):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mor_p7_bench CELERY_BROKER_URL=redis://127.0.0.1:6379/8 \
    /work/venv/bin/python bench/transitions/profile_batch.py [--cases 200] [--cprofile]

It seeds the cases the way `run.py` does, then runs `transition_batch_process` over one batch of
them at the window's opening (the decisions, their audit rows and whatever the decision_made
receivers do in the deciding process) and prints milliseconds and queries per case.
"""

import argparse
import cProfile
import json
import os
import pstats
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--cprofile", action="store_true")
    args = parser.parse_args()
    from bench.transitions.run import ensure_database, seed

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.celery import app
    from triage.decisions.models import TransitionBatchState, WindowTransition, WindowTransitionBatch
    from triage.decisions.transitions import transition_batch_process
    from triage.models import Case

    call_command("migrate", verbosity=0)
    window = seed(args.cases)
    case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
    at = window.start + timedelta(seconds=1)
    transition = WindowTransition.objects.create(
        window=window,
        window_ref=window.pk,
        kind="opened",
        boundary_at=window.start,
        country="SK",
        recorded_at=at,
    )
    batch = WindowTransitionBatch.objects.create(
        transition=transition, case_ids=case_ids, state=TransitionBatchState.PENDING
    )
    profiler = cProfile.Profile() if args.cprofile else None
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        done = transition_batch_process(batch_id=batch.pk, at=at)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
    app.control.purge()  # the follow-up tasks this run enqueued: nobody is meant to run them
    result = {
        "cases": done,
        "ms_per_case": round(elapsed * 1000 / done, 1),
        "queries_per_case": round(len(queries) / done, 1),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result))
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
