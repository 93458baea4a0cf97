"""A whole deployment on loopback, on a PostgreSQL cluster of its own: for fault tests and the soak.

`ThrowawayPostgres` runs `initdb` and `pg_ctl` from the installed server binaries in a temporary
directory, on a port of the caller's choosing, so a test may stop and restart *its* database
without touching the shared one. As root, the server binaries refuse to run, so they run as the
`postgres` system user (through `runuser`).

`Stack` runs the production processes against it: `manage.py migrate`, gunicorn, a Celery worker
and a beat, each a subprocess with its own log, on queues of their own (the broker's vhost is
shared with the test session's worker, which must not take this stack's messages).

This module is not a pytest plugin: tests and benchmarks import it.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

from .worker import ROOT, poll

PG_BIN_GLOB = "/usr/lib/postgresql/*/bin"


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server's binaries, or None when there are none."""
    found = sorted(
        (Path(d) for d in glob.glob(PG_BIN_GLOB) if (Path(d) / "initdb").exists()),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
    )
    return found[-1] if found else None


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, started and stopped by its owner only."""

    def __init__(self, port: int, *, bin_dir: Path | None = None) -> None:
        self.port = port
        self.bin_dir = bin_dir or postgres_bin_dir()
        if self.bin_dir is None:
            raise RuntimeError(f"no PostgreSQL server binaries under {PG_BIN_GLOB}")
        self.root = Path(tempfile.mkdtemp(prefix=f"pg{port}-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self._as_user: list[str] = []
        if os.geteuid() == 0:  # initdb and postgres refuse to run as root
            shutil.chown(self.root, user="postgres", group="postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([*self._as_user, *args], check=True, capture_output=True, timeout=timeout)  # noqa: S603

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def init(self) -> None:
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust", "-E", "UTF8"
        )

    def start(self) -> None:
        # Durability is not what is under test here; fsync off keeps a shared disk out of the picture.
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=100"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")

    def accepting(self) -> bool:
        with socket.socket() as s:
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    def createdb(self, name: str) -> None:
        subprocess.run(  # noqa: S603
            [str(self.bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name],
            check=True,
            capture_output=True,
            timeout=60,
        )

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        shutil.rmtree(self.root, ignore_errors=True)


def port_free(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


class Stack:
    """gunicorn, a worker and a beat on one database, with their environment and logs."""

    def __init__(
        self, *, database_url: str, web_port: int, logdir: Path, media_root: Path, **env: str | int
    ) -> None:
        name = f"stack-{uuid.uuid4().hex[:8]}"
        self.queues = (f"{name}-default", f"{name}-banks")
        self.web_port = web_port
        self.logdir = logdir
        self.procs: dict[str, subprocess.Popen] = {}
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "MEDIA_ROOT": str(media_root),
            "CELERY_DEFAULT_QUEUE": self.queues[0],
            "CELERY_BANKS_QUEUE": self.queues[1],
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            **{k: str(v) for k, v in env.items()},
        }

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def manage(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
        return done.stdout

    def python(self, code: str, timeout: float = 120) -> dict:
        """Run `code` in a Django shell on the stack's database; it prints one JSON object last."""
        out = self.manage("shell", "-c", code, timeout=timeout)
        return json.loads(out.strip().splitlines()[-1])

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen:
        log = (self.logdir / f"{name}.log").open("w")
        proc = subprocess.Popen(  # noqa: S603
            args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.procs[name] = proc
        return proc

    def log(self, name: str) -> str:
        return (self.logdir / f"{name}.log").read_text(errors="replace")

    def start_web(self, *, workers: int = 2, threads: int = 1) -> None:
        self._spawn(
            "gunicorn",
            [
                sys.executable, "-m", "gunicorn", "config.wsgi",
                "-b", f"127.0.0.1:{self.web_port}", "-w", str(workers), "--threads", str(threads),
                "--timeout", "60", "--graceful-timeout", "10",
            ],
        )  # fmt: skip

        def up():
            if self.procs["gunicorn"].poll() is not None:
                raise RuntimeError(self.log("gunicorn"))
            return not port_free(self.web_port)

        poll(up, timeout=60, message="gunicorn to listen")

    def start_worker(self, *, concurrency: int = 2, pool: str = "prefork") -> None:
        self._spawn(
            "worker",
            [
                sys.executable, "-m", "celery", "-A", "config", "worker", f"--pool={pool}",
                f"--concurrency={concurrency}", "--without-gossip", "--without-mingle",
                "-Q", ",".join(self.queues), "-n", f"{self.queues[0]}@%h", "-l", "INFO",
            ],
        )  # fmt: skip
        poll(lambda: " ready." in self.log("worker") or self.procs["worker"].poll() is not None, timeout=90,
             message="the worker to start")  # fmt: skip
        if self.procs["worker"].poll() is not None:
            raise RuntimeError(self.log("worker"))

    def start_beat(self) -> None:
        schedule = self.logdir / "celerybeat-schedule"
        self._spawn(
            "beat",
            [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "INFO", "-s", str(schedule)],
        )

    def pid(self, name: str) -> int:
        return self.procs[name].pid

    def stop(self) -> None:
        for name in ("gunicorn", "beat", "worker"):
            proc = self.procs.get(name)
            if proc is None or proc.poll() is not None:
                continue
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)  # the process group this stack started
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        with contextlib.suppress(Exception):
            self._delete_queues()

    def _delete_queues(self) -> None:
        # kombu is the broker client Celery brings; only a stack that ran needs it
        from kombu import Connection

        with Connection(self.env["CELERY_BROKER_URL"]) as conn:
            channel = conn.default_channel
            for queue in self.queues:
                with contextlib.suppress(Exception):
                    channel.queue_delete(queue)
