"""Benchmark: the dashboard overview's server time with 50,000 cases (issue 15: under 300 ms).

Usage (a database of its own, created if missing and flushed; no broker or worker is needed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mor_bench_overview \
    .venv/bin/python bench/overview/run.py [--cases 50000] [--rounds 30]

Seeds what a busy election night leaves behind: 50,000 live cases over 48 hours (60% still open)
in 25 audience countries, each with a current decision (phase, verdict snapshot, a review
deadline on one in ten), a superseded decision on one in five, 20,000 check results over the
last day with durations and failures, and 2,000 callback deliveries (pending, dead, delivered).
Then it times `overview(at=now)` (what the beat task computes off the request path), a full GET
/overview/ through Django's test client (view, SVG charts, template) served from a fresh snapshot
(the normal path), and the same GET computing the numbers inline (no fresh snapshot); it prints
min, median, p95 and the page's query count, and writes results.json.
"""

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Production mode, as a deployment serves the page (DEBUG off: no query log kept in memory).
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 40)
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

COUNTRIES = ["SK", "CZ", "PL", "DE", "FR", "ES", "IT", "PT", "RO", "BG", "HR", "SI", "AT"]
COUNTRIES += ["HU", "NL", "BE", "US", "BR", "MX", "IN", "ID", "PH", "NG", "KE", "GH"]
PHASES = ["normal"] * 6 + ["election_period"] * 3 + ["silence"]
LABELS = ["likely_synthetic", "likely_authentic", "inconclusive", "tampered_provenance"]
KINDS = ["detector:acme", "detector:beta", "c2pa", "metadata", "fingerprint"]
BATCH = 5000


def ensure_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def seed(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from integrations.callbacks.models import Delivery, DeliveryState
    from integrations.platforms.services import platform_create
    from triage.decisions.models import Decision
    from triage.evidence.models import CheckResult
    from triage.models import Case, MediaItem, Submission

    rng = random.Random(15)
    call_command("flush", interactive=False, verbosity=0)
    now = timezone.now()
    with transaction.atomic():
        cases = []
        for _ in range(n):
            countries = sorted(set(rng.sample(COUNTRIES, rng.choice([1, 1, 1, 2, 3]))))
            status = "decided" if rng.random() < 0.4 else rng.choice(["awaiting_review", "checking", "new"])
            cases.append(
                Case(
                    audience_countries=countries,
                    audience_key=",".join(countries),
                    status=status,
                    submission_count=1,
                )
            )
        Case.objects.bulk_create(cases, batch_size=BATCH)
        case_ids = list(Case.objects.order_by("pk").values_list("pk", flat=True))
        decisions = []
        for case_id in case_ids:
            phase = rng.choice(PHASES)
            hold = rng.random() < 0.1
            if rng.random() < 0.2:  # a superseded decision first
                decisions.append(
                    Decision(
                        case_id=case_id, phase="normal", actions=[], decided_by="policy", is_current=False
                    )
                )
            decisions.append(
                Decision(
                    case_id=case_id,
                    phase=phase,
                    verdict={"label": rng.choice(LABELS), "confidence": 0.8},
                    actions=[{"type": "removal_hold"}] if hold else [{"type": "label"}],
                    action_kinds=",removal_hold," if hold else ",label,",
                    decided_by="policy",
                    is_current=True,
                    review_deadline=now + timedelta(minutes=rng.randint(-60, 240)) if hold else None,
                    hold_reason="silence" if hold else "",
                )
            )
        Decision.objects.bulk_create(decisions, batch_size=BATCH)
        media = MediaItem.objects.bulk_create(
            [
                MediaItem(
                    sha256=f"{i:064x}", media_type="image", mime_type="image/png", size_bytes=1, file=f"m/{i}"
                )
                for i in range(1000)
            ]
        )
        results = []
        for item in media:
            for kind in KINDS:
                for version in range(4):
                    failed = rng.random() < 0.03
                    results.append(
                        CheckResult(
                            media_item=item,
                            kind=kind,
                            version=str(version),
                            state="failed" if failed else "done",
                            duration_ms=None if failed else int(rng.lognormvariate(5, 0.8)),
                        )
                    )
        CheckResult.objects.bulk_create(results, batch_size=BATCH)
        videoshare, _secret = platform_create(slug="bench-videoshare", name="Bench VideoShare")
        submissions = Submission.objects.bulk_create(
            [
                Submission(
                    platform=videoshare,
                    content_id=f"post-{case_id}",
                    report_source="trusted_flagger",
                    report_reason="synthetic_media",
                    case_id=case_id,
                    state="processed",
                )
                for case_id in case_ids[:2000]
            ]
        )
        current = dict(
            Decision.objects.filter(is_current=True, case_id__in=case_ids[:2000]).values_list("case_id", "pk")
        )
        states = [DeliveryState.PENDING] * 5 + [DeliveryState.DEAD] + [DeliveryState.DELIVERED] * 14
        Delivery.objects.bulk_create(
            [
                Delivery(
                    decision_id=current[submission.case_id],
                    platform=videoshare,
                    submission=submission,
                    content_id=submission.content_id,
                    idempotency_key=f"bench-{submission.pk}",
                    url="https://videoshare.example/callback",
                    body={},
                    state=(state := rng.choice(states)),
                    attempts=rng.randint(0, 8),
                    give_up_at=now + timedelta(hours=24),
                    dead_at=now - timedelta(hours=rng.randint(0, 48))
                    if state == DeliveryState.DEAD
                    else None,
                )
                for submission in submissions
            ],
            batch_size=BATCH,
        )
        # Spread creation over the night: cases over 48 h, decisions and checks over 24 h.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE triage_case SET created_at = now() - (id % 2880) * interval '1 minute'")
            cursor.execute(
                "UPDATE policy_decision SET created_at = now() - (id % 1440) * interval '1 minute'"
            )
            cursor.execute(
                "UPDATE checks_checkresult SET created_at = now() - (id % 1440) * interval '1 minute'"
            )
    with connection.cursor() as cursor:  # autocommit: the bulk UPDATEs left dead rows behind
        cursor.execute("VACUUM ANALYZE")


def timed(fn, rounds: int) -> list[float]:
    for _ in range(3):
        fn()
    out = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {
        "min_ms": round(ordered[0], 1),
        "median_ms": round(statistics.median(ordered), 1),
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1),
        "max_ms": round(ordered[-1], 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from triage.moderation.overview import overview
    from triage.moderation.overview_snapshot import overview_snapshot_save

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    seed(args.cases)
    seeded_s = time.perf_counter() - started
    user = get_user_model().objects.create_superuser("bench", "bench@example.org", "not-used")
    client = Client()
    client.force_login(user)

    selector = timed(lambda: overview(at=timezone.now()), args.rounds)

    def get():
        response = client.get("/overview/")
        assert response.status_code == 200, response.status_code

    settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = 0  # every request computes (and stores) the numbers
    page = timed(get, args.rounds)
    settings.DASHBOARD_OVERVIEW_MAX_AGE_SECONDS = 3600  # the served path: the beat's snapshot is fresh
    overview_snapshot_save()
    page_cached = timed(get, args.rounds)
    count = []

    def counting(execute, sql, params, many, context):
        count.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        get()
    numbers = overview(at=timezone.now())
    result = {
        "cases": args.cases,
        "open_cases": numbers.open_total,
        "rounds": args.rounds,
        "seed_seconds": round(seeded_s, 1),
        "overview_selector": summary(selector),
        "overview_page_get_computing_inline": summary(page),
        "overview_page_get_from_snapshot": summary(page_cached),
        "queries_per_page_from_snapshot": len(count),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "date": timezone.now().date().isoformat(),
        # The machine is shared: the load average says how much of the wall time is waiting.
        "load_average_1_5_15": [round(value, 1) for value in os.getloadavg()],
    }
    print(json.dumps(result, indent=2))
    (Path(__file__).parent / "results.json").write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
