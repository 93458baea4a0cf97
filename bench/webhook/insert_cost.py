"""PostgreSQL and client CPU per insert: the webhook's submission statement against the floor's row.

Usage: DATABASE_URL=… DJANGO_SETTINGS_MODULE=config.settings python -m bench.webhook.insert_cost [N]

Runs each insert N times (default 1500) on one connection, three rounds alternating, and reads the
backend's CPU ticks from /proc (so PostgreSQL must run on this machine) and this process's CPU
time. Prints the median round per statement. The webhook's load test (run.sh) says how fast the
whole request is; this says where the database's share goes when the statement changes.
"""

import json
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

import psycopg  # noqa: E402
from django.db import connection  # noqa: E402

from bench.webhook.floor import TABLE_DDL  # noqa: E402
from bench.webhook.prepare import event  # noqa: E402
from integrations.platforms.services import platform_create  # noqa: E402
from integrations.platforms.validation import event_validate_fast  # noqa: E402
from triage.intake import ingest as services  # noqa: E402

TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    run = f"ic{int(time.time() * 1000)}"
    platform, _secret = platform_create(slug=run, default_countries=["SK"])
    template = event_validate_fast(json.loads(json.dumps(event(0, run))), files={})
    floor_body = json.dumps(event(0, run))
    connection.ensure_connection()
    conn = connection.connection
    with conn.cursor() as cursor:
        cursor.execute(TABLE_DDL)
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    serial = iter(range(10**9))

    def submission() -> None:
        n = next(serial)
        content = {**template["content"], "id": f"{run}-{n}"}
        new_event = {**template, "event_id": f"{run}-{n}", "content": content}
        values = services._new_submission(platform=platform, event=new_event, inline_files={})
        services._ingest_in_one_statement(values)

    def floor() -> None:
        with psycopg.Cursor(conn) as cursor:
            cursor.execute(
                "INSERT INTO bench_floor_event (platform_id, event_id, body) VALUES (%s, %s, %s) "
                "RETURNING id",
                [platform.pk, "x", floor_body],
                prepare=True,
            )
            cursor.fetchone()

    def backend_ticks() -> int:
        with open(f"/proc/{backend}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    statements = {"webhook record statement": submission, "floor insert": floor}
    rounds: dict[str, list[tuple[float, float]]] = {name: [] for name in statements}
    for insert in statements.values():
        insert()  # prepared before measuring
    for _round in range(3):
        for name, insert in statements.items():
            ticks, cpu = backend_ticks(), time.process_time()
            for _ in range(count):
                insert()
            rounds[name].append(
                ((backend_ticks() - ticks) * TICK_MS / count, (time.process_time() - cpu) * 1000 / count)
            )
    for name, results in rounds.items():
        postgres = statistics.median(r[0] for r in results)
        client = statistics.median(r[1] for r in results)
        print(f"{name:28s} PostgreSQL {postgres:.3f} ms  client {client:.3f} ms per insert")


if __name__ == "__main__":
    main()
