"""Fixtures for proof-under-fault tests: private workers that a test may kill, on a private queue.

A test that kills a worker must not kill the session's shared worker (`celery_worker_process`),
and must know which worker took its task. So `private_queue` points this test process's default
queue at a queue of its own, and `start_worker` runs workers that consume only that queue (their
own publishes go there too, through CELERY_DEFAULT_QUEUE).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import uuid

import pytest

from tests.kit.callbacks import make_callback_platform, platform_server  # noqa: F401 - shared fixtures
from tests.kit.media import make_platform, media_server  # noqa: F401 - shared fixtures
from tests.kit.worker import ROOT, database_url_for, poll


class PrivateWorkers:
    def __init__(self, queue: str, logdir, media_root) -> None:
        self.queue = queue
        self.logdir = logdir
        self.media_root = media_root
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *extra_args: str, ping: bool = True, **env: str | int) -> subprocess.Popen:
        from django.db import connection

        from config.celery import app

        node = f"{name}-{self.queue}@{socket.gethostname()}"
        proc = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=threads",
                "--concurrency=2",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-Q",
                self.queue,
                "-n",
                node,
                "-l",
                "INFO",
                f"--logfile={self.logdir / name}.log",
                *extra_args,
            ],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url_for(connection.settings_dict),
                "MEDIA_ROOT": str(self.media_root),
                "CELERY_DEFAULT_QUEUE": self.queue,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                **{k: str(v) for k, v in env.items()},
            },
        )
        self.procs[name] = proc
        log = self.logdir / f"{name}.log"

        def started():
            if proc.poll() is not None:
                return True
            if ping:  # through the test process's broker
                return app.control.ping(destination=[node], timeout=0.5)
            return log.exists() and " ready." in log.read_text()  # on a broker of its own

        poll(started, timeout=60, message=f"worker {name} to start")
        assert proc.poll() is None, (self.logdir / f"{name}.log").read_text()
        return proc

    def kill(self, name: str) -> None:
        """SIGKILL: no clean shutdown, its unacknowledged message goes back to the queue."""
        proc = self.procs[name]
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)

    def stop_all(self) -> None:
        # A few seconds for a warm shutdown, then SIGKILL: a worker still waiting on a hung vendor
        # would hold the teardown for its whole wait, and its queue is deleted after it anyway.
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs.values():
            try:
                proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@pytest.fixture
def private_queue():
    from config.celery import app

    queue = f"fault-{uuid.uuid4().hex[:8]}"
    before = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = before
    with app.connection_for_write() as conn, contextlib.suppress(Exception):  # never declared: fine
        conn.default_channel.queue_delete(queue)


@pytest.fixture
def private_workers(private_queue, tmp_path, shared_media_root):
    workers = PrivateWorkers(private_queue, tmp_path, shared_media_root)
    yield workers
    workers.stop_all()
