"""The first-look mode: SQLite, no broker. What bin/demo runs must work end to end there."""

import pytest

from tests.test_settings import run_django


@pytest.fixture(scope="module")
def embedded_data_dir(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("embedded")
    migrated = run_django(["migrate", "--noinput"], {}, data_dir)
    assert migrated.returncode == 0, migrated.stderr
    return data_dir


def test_demo_setup_prints_the_login_and_can_run_twice(embedded_data_dir):
    for _ in range(2):
        result = run_django(["demo_setup"], {}, embedded_data_dir)
        assert result.returncode == 0, result.stderr
        assert "Demo login: demo / moratorium-demo" in result.stdout


def test_every_periodic_task_runs_without_a_broker(embedded_data_dir):
    result = run_django(["run_periodic_tasks", "--once"], {}, embedded_data_dir)
    assert result.returncode == 0, result.stderr
    failures = [line for line in result.stderr.splitlines() if "Error" in line or "Traceback" in line]
    assert failures == []
