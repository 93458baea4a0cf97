"""Liveness and readiness: `/healthz` and `/readyz` (docs/deployment.md#health-and-metrics).

`/healthz` answers 200 whenever the process can answer at all (a load balancer or systemd
restarts a process that stops answering). `/readyz` runs every registered readiness check and
answers 200 when all pass, else 503, with a JSON body naming each check, whether it passed and,
when not, what is wrong, so an operator reading a failed probe knows where to look.

`config/` may not import the apps, so this module holds a small registry: the database and
broker checks are its own; the apps register theirs in AppConfig.ready() (triage: a worker seen
recently; triage.evidence.banks: the bank indexes loadable; elections: no calendar transition late).
Each check returns None when fine or a sentence saying what is wrong; an exception is a failure.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.celery import app

ReadinessCheck = Callable[[], str | None]
_checks: dict[str, ReadinessCheck] = {}


def readiness_check_register(name: str, check: ReadinessCheck) -> None:
    """Add (or replace) a readiness check; apps call this from AppConfig.ready()."""
    _checks[name] = check


def readiness_checks() -> dict[str, ReadinessCheck]:
    return dict(_checks)


def _database() -> str | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _broker() -> str | None:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return None  # the embedded mode has no broker: tasks run in the web process

    with app.connection_for_write(url=settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=2)
    return None


readiness_check_register("database", _database)
readiness_check_register("broker", _broker)


def readiness_report() -> tuple[bool, dict]:
    """Run every check; return (all passed, {name: {"ok": bool, "error"?: str, "ms": int}})."""
    report = {}
    for name, check in readiness_checks().items():
        started = time.monotonic()
        try:
            problem = check()
        except Exception as exc:  # noqa: BLE001 - any failure is "not ready", said in words
            problem = f"{type(exc).__name__}: {str(exc)[:300]}"
        entry: dict = {"ok": problem is None, "ms": round((time.monotonic() - started) * 1000)}
        if problem is not None:
            entry["error"] = problem
        report[name] = entry
    return all(e["ok"] for e in report.values()), report


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "alive"})


@never_cache
@require_GET
def readyz(request):
    ready, checks = readiness_report()
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": checks}, status=200 if ready else 503
    )
