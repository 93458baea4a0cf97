"""Settings come from the environment: an embedded default for a first look, strict production."""

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env
from tests.kit.worker import ROOT


def run_django(args: list[str], extra_env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    clean.update({"MORATORIUM_DATA_DIR": str(tmp_path), **extra_env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_envbool_rejects_a_value_it_cannot_read(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env.envbool("SOME_FLAG", False)


def test_envsecret_reads_a_secret_file(monkeypatch, tmp_path):
    secret = tmp_path / "key"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("API_KEY_FILE", str(secret))
    assert env.envsecret("API_KEY") == "s3cret"


def test_production_refuses_to_start_without_secret_key_and_allowed_hosts(tmp_path):
    result = run_django(["check"], {"DJANGO_DEBUG": "0"}, tmp_path)
    assert result.returncode != 0
    assert "needs SECRET_KEY and ALLOWED_HOSTS" in result.stderr


def test_production_starts_with_its_secrets(tmp_path):
    result = run_django(
        ["check"], {"DJANGO_DEBUG": "0", "SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "mod.example"}, tmp_path
    )
    assert result.returncode == 0, result.stderr


def test_with_nothing_set_it_migrates_an_embedded_sqlite_database(tmp_path):
    result = run_django(["migrate", "--noinput"], {}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "moratorium.sqlite3").exists()
