"""The worker side of the test kit: a real Celery worker process, and polling with a deadline.

Tests that need a real broker and Celery worker use `celery_worker_process`: it starts
`celery -A config worker` as a separate process on the test database, so those tests must use
`@pytest.mark.django_db(transaction=True)` for the worker to see their rows. Never sleep to wait
for work: `poll` a condition with a deadline.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def database_url_for(settings_dict: dict) -> str:
    if settings_dict["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings_dict['NAME']}"
    user = settings_dict.get("USER") or "postgres"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def poll(predicate, *, timeout: float = 30.0, interval: float = 0.1, message: str = "condition"):
    """Return predicate()'s first truthy value, or fail once the deadline passes."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, shared_media_root, tmp_path_factory):
    """Run a real Celery worker against the real broker and the test database."""
    from django.conf import settings
    from django.db import connection

    broker = os.environ.get("CELERY_BROKER_URL")
    if not broker:
        pytest.fail("integration tests need CELERY_BROKER_URL (a real RabbitMQ or Redis)")
    logfile = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "CELERY_BROKER_URL": broker,
        "MEDIA_ROOT": str(shared_media_root),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        **{k: str(v) for k, v in getattr(settings, "TEST_WORKER_ENV", {}).items()},
    }
    from config.celery import app

    app.control.purge()
    # A node name of its own: control commands addressed to it return at its reply instead of
    # waiting out their whole timeout for replies from workers that may not exist.
    node = f"suite-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    proc = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=threads",
            "--concurrency=4",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "-n",
            node,
            "-l",
            "INFO",
            f"--logfile={logfile}",
        ],
        cwd=ROOT,
        env=env,
    )
    proc.node = node  # type: ignore[attr-defined]  # for _worker_idle_before_flush
    try:
        poll(
            lambda: proc.poll() is not None or app.control.ping(destination=[node], timeout=0.5),
            timeout=60,
            message="worker to start",
        )
        if proc.poll() is not None:
            raise RuntimeError(f"celery worker exited early:\n{logfile.read_text()}")
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def decision_tasks_inline(monkeypatch):
    """Run the tasks `decision_made` enqueues (fan-out, statements) in the test's own process.

    For tests without a worker that check what a decision leads to; the tasks run exactly as a
    worker would run them (Celery's `apply`), only without the broker round trip.
    """
    from integrations.callbacks.tasks import decision_fan_out_task
    from integrations.transparency.tasks import statements_for_decisions_task

    for task in (decision_fan_out_task, statements_for_decisions_task):
        monkeypatch.setattr(task, "delay", lambda *args, _task=task: _task.apply(args=args))


@pytest.fixture(autouse=True)
def _worker_idle_before_flush(request):
    """After a test that used the real worker, wait (bounded) until it has no task running.

    A transactional test's teardown truncates every table; a task the test set off and did not
    wait for (a verdict, a decision, a fan-out) still holding row locks makes that TRUNCATE
    deadlock. The wait ends as soon as the worker is idle; asked by name, the worker's reply
    ends each question (milliseconds), where a broadcast would wait out its whole timeout.
    """
    yield
    if "celery_worker_process" not in request.fixturenames:
        return
    from config.celery import app

    node = request.getfixturevalue("celery_worker_process").node

    def idle() -> bool:
        active = app.control.inspect(destination=[node], timeout=2).active() or {}
        return not any(active.values())

    deadline = time.monotonic() + 20
    while not idle() and time.monotonic() < deadline:
        time.sleep(0.2)
