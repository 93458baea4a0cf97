"""Workers yield the CPU to the web tier where they share cores (settings.WORKER_NICENESS).

A viral burst is ingested and processed at once; the platform's webhook request must not wait
behind a fusion or a fold (bench/webhook/run.sh measures both, docs/benchmarks.md).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _niceness(pid: int) -> int:
    # /proc/<pid>/stat: the 19th field; the command name (2nd) may hold spaces, so split after it.
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[16])


@pytest.mark.django_db(transaction=True)
def test_a_worker_runs_below_the_web_tiers_cpu_priority(celery_worker_process, settings):
    assert settings.WORKER_NICENESS == 10
    assert _niceness(celery_worker_process.pid) == _niceness(os.getpid()) + 10


@pytest.mark.parametrize(("setting", "expected"), [("0", 0), ("3", 3), ("40", 19)])
def test_the_niceness_comes_from_the_environment(setting, expected):
    started = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import os, django; django.setup(); from config.celery import _yield_cpu_to_the_web_tier as y; "
            "before = os.nice(0); y(); print(os.nice(0) - before)",
        ],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "WORKER_NICENESS": setting},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert int(started.stdout.strip().splitlines()[-1]) == expected
