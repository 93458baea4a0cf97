"""The partner case list with 100,000 cases: latency per request, p50/p95/p99.

Usage (a database of its own, migrated; the seed is skipped when the cases are there):
    createdb -h 127.0.0.1 -U postgres mor_bench_api
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mor_bench_api DJANGO_SETTINGS_MODULE=config.settings \
        python manage.py migrate
    DATABASE_URL=… DJANGO_SETTINGS_MODULE=config.settings python -m bench.api.case_list [--requests 400]

The seed: 100,000 live cases over ten countries, each with stored media, one post (text,
subjects, language, public URL) and, for two in three, a current decision with a verdict; the
partner covers SK and CZ and reads Slovak (about a fifth of the cases). Each request goes through
Django's whole stack in-process (middleware, bearer-token authentication, scope, throttle, the
audit insert, JSON rendering) with the test client; the clock is time.perf_counter around it.
Target: p99 under 100 ms for the case list. Each scenario's line carries the 1-minute load average
at its end; `cpu_p50`/`cpu_p99` are this process's CPU per request (PostgreSQL's not included).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-not-for-production-0123456789")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from config.warmup import process_warm_up  # noqa: E402
from integrations.partners.models import Scope  # noqa: E402
from integrations.partners.services import partner_organisation_save, partner_token_create  # noqa: E402
from integrations.platforms.models import Platform  # noqa: E402
from triage.decisions.models import Decision  # noqa: E402
from triage.models import Case, MediaItem, Submission, SubmissionMedia  # noqa: E402

CASES = 100_000
BATCH = 5_000
COUNTRIES = ["SK", "CZ", "PL", "HU", "DE", "AT", "RO", "FR", "IT", "ES"]
LANGUAGES = {"SK": "sk", "CZ": "cs", "PL": "pl", "HU": "hu", "DE": "de", "AT": "de", "RO": "ro", "FR": "fr",
             "IT": "it", "ES": "es"}  # fmt: skip
VERDICTS = ["likely_synthetic", "uncertain", "no_signal", "authentic_evidence", "disclosed_synthetic"]


def seed(rng: random.Random) -> None:
    if Case.objects.count() >= CASES:
        return
    platform = Platform.objects.filter(slug="bench").first() or Platform.objects.create(
        slug="bench", name="Bench"
    )
    start = datetime(2030, 6, 1, tzinfo=UTC)
    for offset in range(0, CASES, BATCH):
        with transaction.atomic():
            n = min(BATCH, CASES - offset)
            media = MediaItem.objects.bulk_create(
                [
                    MediaItem(
                        sha256=hashlib.sha256(f"bench-{offset + i}".encode()).hexdigest(),
                        media_type=rng.choice(["audio", "image", "video"]),
                        mime_type="audio/mpeg",
                        size_bytes=1000,
                        file=f"media/bench/{offset + i}",
                    )
                    for i in range(n)
                ]
            )
            cases = []
            for item in media:
                countries = sorted(set(rng.sample(COUNTRIES, rng.choice([1, 1, 1, 2]))))
                cases.append(
                    Case(
                        media_item=item,
                        audience_countries=countries,
                        audience_key=",".join(countries),
                        status=rng.choice(["new", "checking", "awaiting_review", "decided"]),
                        priority=rng.randint(0, 100),
                        submission_count=1,
                        total_views=rng.randint(0, 10**6),
                    )
                )
            cases = Case.objects.bulk_create(cases)
            submissions = Submission.objects.bulk_create(
                [
                    Submission(
                        platform=platform,
                        content_id=f"bench-{offset + i}",
                        content_url=f"https://bench.example/p/{offset + i}",
                        text="Listen before you vote: the candidate admits everything",
                        language=LANGUAGES[case.audience_countries[0]],
                        subjects=["A Candidate"],
                        report_source="user_report",
                        report_reason="synthetic_media",
                        audience_countries=case.audience_countries,
                        case=case,
                        state="processed",
                    )
                    for i, case in enumerate(cases)
                ]
            )
            SubmissionMedia.objects.bulk_create(
                [
                    SubmissionMedia(
                        submission=s, position=0, case=c, state="stored", media_item_id=c.media_item_id
                    )
                    for s, c in zip(submissions, cases, strict=True)
                ]
            )
            decisions = []
            for case in cases:
                if rng.random() < 2 / 3:
                    decisions.append(
                        Decision(
                            case=case,
                            phase=rng.choice(["normal", "normal", "election_period", "silence"]),
                            verdict={"label": rng.choice(VERDICTS), "confidence": 0.8, "reasons": ["bench"]},
                            actions=[
                                {
                                    "type": "label",
                                    "kind": "likely_ai_generated",
                                    "language": "sk",
                                    "text": "…",
                                }
                            ],
                            decided_by="policy",
                            action_kinds=",label,",
                        )
                    )
            Decision.objects.bulk_create(decisions)
            # Spread creation over four months, as a season of cases would be.
            ids = [c.pk for c in cases]
            with connection.cursor() as cursor:
                cursor.execute(
                    "UPDATE triage_case SET created_at = %s + (id %% 10000) * interval '17 minutes' "
                    "+ (random() * interval '1 minute'), updated_at = now() WHERE id = ANY(%s)",
                    [start, ids],
                )
        print(f"seeded {offset + n} cases", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def measure(client: Client, path: str, headers: dict, requests: int) -> dict:
    for _ in range(5):  # warm caches and connections
        client.get(path, **headers)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, **headers)
        times.append((time.perf_counter() - started) * 1000)
        # This process's CPU (Django, serialization), without PostgreSQL's: on a loaded machine the
        # wall clock also counts the time the process waited for a core.
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, response.content[:500]
    times.sort()
    cpu.sort()

    def pct(values: list[float], p: float) -> float:
        return round(values[min(len(values) - 1, int(round(p / 100 * len(values))) - 1)], 1)

    return {
        "path": path,
        "results": len(response.json()["results"]),
        "p50": pct(times, 50),
        "p95": pct(times, 95),
        "p99": pct(times, 99),
        "max": round(times[-1], 1),
        "mean": round(statistics.mean(times), 1),
        "cpu_p50": pct(cpu, 50),
        "cpu_p99": pct(cpu, 99),
        "load_average": round(os.getloadavg()[0], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=400)
    args = parser.parse_args()
    rng = random.Random(14)
    seed(rng)
    partner = partner_organisation_save(name="Bench Fact Check", countries=["SK", "CZ"], languages=["sk"])
    _, raw = partner_token_create(
        name="bench",
        scopes=list(Scope.values),
        partner=partner,
        expires_at=datetime.now(UTC) + timedelta(days=1),
    )
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    process_warm_up()  # as config/wsgi.py does in a web process
    client = Client()
    first = client.get("/api/v1/cases/?limit=50", **headers).json()
    deep = first["next"]
    for _ in range(40):  # 40 pages in: what a cursor costs deep in the list
        deep = client.get(deep, **headers).json()["next"]
    scenarios = [
        "/api/v1/cases/",
        "/api/v1/cases/?ordering=urgency",
        "/api/v1/cases/?country=SK",
        "/api/v1/cases/?language=sk",
        "/api/v1/cases/?verdict=likely_synthetic&phase=silence",
        "/api/v1/cases/?media_type=video&has_assessment=false",
        "/api/v1/cases/?limit=500",
        deep.replace("http://testserver", ""),
        # The deprecated limit/offset form (partners' old scripts): it counts the scope.
        "/api/v1/cases/?limit=50&offset=0",
        "/api/v1/cases/?limit=50&offset=2000",
    ]
    results = []
    with override_settings(PARTNER_API_RATE="1000000/minute"):
        for path in scenarios:
            results.append(measure(client, path, headers, args.requests))
            print(json.dumps(results[-1]), flush=True)  # one line per scenario as it finishes
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM triage_case")
        cases = cursor.fetchone()[0]
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    report = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}, PostgreSQL {pg}",
        "load_average": os.getloadavg(),
        "cases": cases,
        "requests_per_scenario": args.requests,
        "results": results,
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
