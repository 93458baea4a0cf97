"""Benchmark: a silence window opens over 10,000 open cases; time until every case is re-evaluated.

Usage (a database of its own, created if missing; a real Redis broker; ONE worker started here):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mor_bench_transitions \
    CELERY_BROKER_URL=redis://127.0.0.1:6379/13 \
    /work/venv/bin/python bench/transitions/run.py [--cases 10000] [--concurrency 2]

Each case is what ingestion and checks leave behind (stored audio, a platform's report naming a
registered Slovak party leader, a fused verdict), so the policy does its full work per case: a
calendar query, the verdict, the submissions, the public-figure match, a new Decision + audit
row where the outcome changes (half the cases are likely synthetic: those get a removal hold).
"""

import argparse
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from functools import reduce
from operator import or_
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(n: int):
    from django.core.management import call_command
    from django.db import transaction

    from elections.models import Country, Election, Person, SilenceRule
    from elections.services import election_create, silence_rule_save
    from integrations.platforms.services import platform_create
    from triage.decisions.default import DEFAULT_RULES
    from triage.decisions.models import WindowTransition
    from triage.decisions.selectors import policy_active
    from triage.decisions.services import policy_activate, policy_draft_create
    from triage.evidence.models import CheckRun, Verdict
    from triage.models import Case, MediaItem, Submission, SubmissionMedia

    call_command("flush", interactive=False, verbosity=0)  # also drops the seeded calendar: SK only
    WindowTransition.objects.all().delete()
    Election.objects.all().delete()
    SilenceRule.objects.all().delete()
    Country.objects.update_or_create(
        code="SK", defaults={"name": "Slovakia", "time_zones": ["Europe/Bratislava"], "languages": ["sk"]}
    )
    silence_rule_save(
        country="SK", start_mode="hours_before_polls_open", start_hours=48, start_clock="elapsed",
        end_mode="polls_close", source_urls=["https://example.org/law"],
    )  # fmt: skip
    election = election_create(
        country="SK", name="2030 Slovak parliamentary election", kind="parliamentary",
        voting_days=[date(2030, 9, 30)], polls_open=dtime(7), polls_close=dtime(22),
    )  # fmt: skip
    Person.objects.create(name="Michal Šimečka", country_id="SK", party="PS")
    if policy_active() is None:
        policy_activate(policy_version_id=policy_draft_create(rules=DEFAULT_RULES).pk)
    platform, _ = platform_create(slug="vidshare")
    with transaction.atomic():
        media = MediaItem.objects.bulk_create(
            MediaItem(
                sha256=secrets.token_hex(32), media_type="audio", mime_type="audio/mpeg", size_bytes=1000
            )
            for _ in range(n)
        )
        cases = Case.objects.bulk_create(
            Case(media_item=m, audience_countries=["SK"], audience_key="SK", status="checking") for m in media
        )
        subs = Submission.objects.bulk_create(
            Submission(
                platform=platform, content_id=f"post-{i}", subjects=["Michal Šimečka"], language="sk",
                report_source="user_report", report_reason="synthetic_media", audience_countries=["SK"],
                case=c, state="processed",
            )
            for i, c in enumerate(cases)
        )  # fmt: skip
        SubmissionMedia.objects.bulk_create(
            SubmissionMedia(submission=s, position=0, case=c, state="stored", media_item=c.media_item)
            for s, c in zip(subs, cases, strict=True)
        )
        runs = CheckRun.objects.bulk_create(CheckRun(media_item=m) for m in media)
        Verdict.objects.bulk_create(
            Verdict(
                run=r, media_item=m, label="likely_synthetic" if i % 2 == 0 else "no_signal",
                confidence=0.9, reasons=["detector: 0.9"],
            )
            for i, (r, m) in enumerate(zip(runs, media, strict=True))
        )  # fmt: skip
    return election.windows.get()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])

    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db.models import Q

    from config.celery import app
    from integrations.transparency.build import ACTION_VISIBILITY
    from integrations.transparency.models import StatementOfReasons
    from triage.decisions.models import (
        Decision,
        TransitionBatchState,
        WindowTransition,
        WindowTransitionBatch,
    )
    from triage.decisions.transitions import window_transitions_run

    t0 = time.monotonic()
    window = seed(args.cases)
    print(f"seeded {args.cases} cases in {time.monotonic() - t0:.1f}s", flush=True)

    app.control.purge()
    log = Path("/tmp/bench_transitions_worker.log")
    worker = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "celery", "-A", "config", "worker", f"--concurrency={args.concurrency}",
         "--without-heartbeat", "--without-gossip", "--without-mingle", "-l", "WARNING", f"--logfile={log}"],
        cwd=ROOT, env={**os.environ},
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit(f"worker did not start; see {log}")
        opened_at = window.start + timedelta(seconds=1)
        started = time.monotonic()
        wall_started = datetime.now(UTC)
        [transition] = window_transitions_run(now=opened_at)
        recorded = time.monotonic() - started
        while not WindowTransition.objects.filter(pk=transition.pk, finished_at__isnull=False).exists():
            time.sleep(0.2)
            if time.monotonic() - started > 600:
                raise SystemExit("not finished after 600 s")
        total = time.monotonic() - started
        # What the decisions set off, run by the same worker after (the decision_made tasks): every
        # decision fanned out (the platform polls: no callback URL, so no HTTP) and every
        # restricting decision's statements of reasons stored.
        restricting = reduce(or_, (Q(action_kinds__contains=f",{kind},") for kind in ACTION_VISIBILITY))
        while (
            Decision.objects.filter(fan_out__isnull=True).exists()
            or Decision.objects.filter(restricting, statements__isnull=True).exists()
        ):
            time.sleep(0.5)
            if time.monotonic() - started > 1800:
                raise SystemExit("follow-up tasks not finished after 1800 s")
        follow_ups = time.monotonic() - started
        batches = WindowTransitionBatch.objects.filter(transition=transition)
        failed = sum(len(b.failed_case_ids) for b in batches)
        last_done = max(b.done_at for b in batches)
        result = {
            "date": wall_started.date().isoformat(),
            "cases": transition.cases_total,
            "batches": batches.count(),
            "batches_done": batches.filter(state=TransitionBatchState.DONE).count(),
            "worker_concurrency": args.concurrency,
            "record_and_enqueue_seconds": round(recorded, 2),
            "all_reevaluated_seconds": round(total, 2),
            "last_batch_done_after_seconds": round((last_done - wall_started).total_seconds(), 2),
            "cases_per_second": round(transition.cases_total / total, 1),
            "decisions_fanned_out_and_statements_stored_seconds": round(follow_ups, 2),
            "statements_stored": StatementOfReasons.objects.count(),
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "holds_placed": Decision.objects.filter(is_current=True, hold_reason="silence").count(),
            "decisions_written": Decision.objects.count(),
            "failed_cases": failed,
        }
        print(json.dumps(result, indent=2))
        (Path(__file__).parent / "results.json").write_text(json.dumps(result, indent=2) + "\n")
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()
