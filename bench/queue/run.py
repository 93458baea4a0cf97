"""Benchmark: the moderator queue (`GET /`) with 50,000 open cases; target under 300 ms server time.

Usage (a database of its own, created if missing and reseeded with --seed):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mor_bench_queue DJANGO_DEBUG=1 \
    .venv/bin/python bench/queue/run.py --seed [--cases 50000] [--repeat 7]

The cases are what ingestion, checks and the policy leave: stored media, one platform report
each (subjects, text, a language, a reason), a fused verdict, a current decision superseding an
earlier one (the policy's "unverified" before the verdict). The mix: 5 %
silence-window holds, 5 % escalated to leads, 1 % with a missed review deadline, 60 % awaiting
review with a label, the rest decided. The page is rendered in-process by Django's test client
for a lead (every tab visible), so the time is the server's: queries, Python and the template.
Reported: the median and the spread of `--repeat` renders of each page, and the SQL count.
"""

import argparse
import json
import os
import secrets
import statistics
import sys
import time
from datetime import timedelta
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


def seed(n: int) -> None:
    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction
    from django.utils import timezone

    from integrations.platforms.services import platform_create
    from triage.decisions.models import Decision, PolicyVersion
    from triage.evidence.models import CheckRun, Verdict
    from triage.models import Case, MediaItem, Submission, SubmissionMedia
    from triage.moderation.models import DeadlineEscalation

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE dashboard_deadlineescalation, dashboard_caseassignment, dashboard_caselock, "
            "policy_decision, checks_verdict, checks_checkrun, triage_submissionmedia, triage_submission, "
            "triage_case, triage_mediaitem, audit_auditevent CASCADE"
        )
    platform = platform_create(slug=f"bench-{secrets.token_hex(3)}")[0]
    policy = PolicyVersion.objects.filter(status="active").first()
    now = timezone.now()
    lead, _ = User.objects.get_or_create(username="bench-lead", defaults={"is_staff": False})
    for name in ("moderators", "leads"):
        lead.groups.add(Group.objects.get_or_create(name=name)[0])
    countries = ["SK", "DE", "FR", "PL", "US", "PK", "CZ", "AT"]
    batch = 2000
    for start in range(0, n, batch):
        size = min(batch, n - start)
        with transaction.atomic():
            media = MediaItem.objects.bulk_create(
                MediaItem(sha256=secrets.token_hex(32), media_type="audio", mime_type="audio/wav",
                          size_bytes=1000, file="media/bench") for _ in range(size)
            )  # fmt: skip
            kinds = []
            cases = []
            for i, item in enumerate(media):
                k = (start + i) % 100
                kind = "silence" if k < 5 else "escalated" if k < 10 else "missed" if k < 11 else (
                    "review" if k < 71 else "decided")  # fmt: skip
                kinds.append(kind)
                country = countries[(start + i) % len(countries)]
                cases.append(Case(
                    media_item=item, audience_countries=[country], audience_key=country,
                    status="decided" if kind == "decided" else "awaiting_review",
                    priority=20 * 10**8 if kind == "silence" else 10 * 10**8, submission_count=1,
                ))  # fmt: skip
            cases = Case.objects.bulk_create(cases)
            subs = Submission.objects.bulk_create(
                Submission(platform=platform, content_id=f"post-{start + i}", case=case,
                           text=f"Listen to what the candidate said about the vote, clip {start + i}",
                           language="sk", subjects=["Michal Šimečka"], report_source="user_report",
                           report_reason="synthetic_media", audience_countries=case.audience_countries,
                           state="processed") for i, case in enumerate(cases)
            )  # fmt: skip
            SubmissionMedia.objects.bulk_create(
                SubmissionMedia(
                    submission=sub, position=0, case=case, state="stored", media_item=case.media_item
                )
                for sub, case in zip(subs, cases, strict=True)
            )
            runs = CheckRun.objects.bulk_create(CheckRun(media_item=m, fused_at=now) for m in media)
            Verdict.objects.bulk_create(
                Verdict(run=run, media_item=m, label="likely_synthetic", confidence=0.9, reasons=["bench"])
                for run, m in zip(runs, media, strict=True)
            )
            # The policy decided each case once before its verdict ("unverified"): superseded rows
            # the queue must skip, as in a real database, where every case has several decisions.
            earlier = Decision.objects.bulk_create(
                Decision(case=case, phase="normal", verdict={"label": "uncertain"}, policy_version=policy,
                         actions=[{"type": "label", "kind": "unverified", "language": "sk", "text": "?"}],
                         decided_by="policy", is_current=False, action_kinds=",label,",
                         review_deadline=now + timedelta(minutes=30))
                for case in cases
            )  # fmt: skip
            decisions = []
            for case, kind, before in zip(cases, kinds, earlier, strict=True):
                deadline = now + timedelta(minutes=30 + case.pk % 600)
                actions = [{"type": "label", "kind": "likely_ai_generated", "language": "sk", "text": "AI"}]
                if kind in ("silence", "missed"):
                    actions.insert(0, {"type": "removal_hold", "review_deadline": deadline.isoformat()})
                if kind == "escalated":
                    actions.append({"type": "escalate", "reason": "voter_suppression"})
                decisions.append(Decision(
                    case=case, phase="silence" if kind in ("silence", "missed") else "normal",
                    phase_reason={"country": "SK"} if kind == "silence" else {},
                    verdict={"label": "likely_synthetic", "confidence": 0.9}, actions=actions,
                    policy_version=policy, decided_by="policy",
                    review_deadline=None if kind == "decided" else deadline,
                    hold_reason="silence" if kind in ("silence", "missed") else "",
                    action_kinds="," + ",".join(a["type"] for a in actions) + ",", supersedes=before,
                ))  # fmt: skip
            decisions = Decision.objects.bulk_create(decisions)
            DeadlineEscalation.objects.bulk_create(
                DeadlineEscalation(case=d.case, decision=d, deadline=d.review_deadline, escalated_at=now)
                for d, kind in zip(decisions, kinds, strict=True)
                if kind == "missed"
            )
        print(f"seeded {start + size} cases", file=sys.stderr)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # as autovacuum leaves a table: index-only scans possible


def _backend_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) the PostgreSQL backend serving us has used, if it runs on this host."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(repeat: int) -> dict:
    from django.contrib.auth.models import User
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from triage.models import Case

    client = Client()
    client.force_login(User.objects.get(username="bench-lead"))
    pages = {
        "unresolved (default)": "/",
        "awaiting review": "/?queue=awaiting",
        "escalated": "/?queue=escalated",
        "mine": "/?queue=mine",
        "all, page 100": "/?queue=all&page=100",
        "search a content id": "/?queue=all&q=post-31337",
        "country filter SK": "/?country=SK",
    }
    results = {"open_cases": Case.objects.exclude(status="decided").count(),
               "cases": Case.objects.count(), "pages": {}}  # fmt: skip
    client.get("/")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    for label, url in pages.items():
        client.get(url)  # warm: the first render compiles templates
        times, cpu = [], []
        for _ in range(repeat):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                pg_before, py_before = _backend_cpu_seconds(backend), time.process_time()
                started = time.perf_counter()
                response = client.get(url)
                times.append((time.perf_counter() - started) * 1000)
                pg_after, py_after = _backend_cpu_seconds(backend), time.process_time()
            assert response.status_code == 200, (url, response.status_code)
            if pg_before is not None:
                # CPU the request cost (Django + its PostgreSQL backend): what the wall time would
                # be on an idle machine, since the shared one is oversubscribed (load in results).
                cpu.append(((py_after - py_before) + (pg_after - pg_before)) * 1000)
        results["pages"][label] = {
            "median_ms": round(statistics.median(times), 1),
            "min_ms": round(min(times), 1),
            "max_ms": round(max(times), 1),
            "cpu_median_ms": round(statistics.median(cpu), 1) if cpu else None,
            "cpu_min_ms": round(min(cpu), 1) if cpu else None,
            "queries": len(queries),
            "load_average": [round(x, 2) for x in os.getloadavg()],  # the machine is shared
        }
        print(label, results["pages"][label], file=sys.stderr)
    results["load_average"] = os.getloadavg()
    return results


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--seed", action="store_true")
    args = parser.parse_args()
    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    if args.seed:
        seed(args.cases)
    results = measure(args.repeat)
    out = Path(__file__).with_name("results.json")
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
