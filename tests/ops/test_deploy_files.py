"""The shipped deployment files are valid: the compose file passes `docker compose config`, the
systemd units pass `systemd-analyze verify` (apart from the app not being installed here)."""

import shutil
import subprocess
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy"


def _compose() -> list[str] | None:
    if (
        shutil.which("docker")
        and subprocess.run(["docker", "compose", "version"], capture_output=True).returncode == 0
    ):  # noqa: S603, S607
        return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


def test_the_compose_file_passes_docker_compose_config(tmp_path):
    compose = _compose()
    if compose is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    shutil.copy(DEPLOY / "compose.yaml", tmp_path / "compose.yaml")
    shutil.copy(DEPLOY / "moratorium.env.example", tmp_path / "moratorium.env")  # what operators do

    checked = subprocess.run(  # noqa: S603
        [*compose, "-f", str(tmp_path / "compose.yaml"), "config"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin", "POSTGRES_PASSWORD": "p", "RABBITMQ_PASSWORD": "r"},
        timeout=60,
    )

    assert checked.returncode == 0, checked.stderr
    for service in ("db", "mq", "migrate", "web", "worker", "worker-banks", "beat", "proxy"):
        assert f"  {service}:" in checked.stdout
    assert "-Q\n      - banks" in checked.stdout or "- banks" in checked.stdout


def test_the_compose_file_refuses_to_start_without_passwords(tmp_path):
    compose = _compose()
    if compose is None:
        pytest.skip("neither `docker compose` nor docker-compose is installed")
    shutil.copy(DEPLOY / "compose.yaml", tmp_path / "compose.yaml")
    shutil.copy(DEPLOY / "moratorium.env.example", tmp_path / "moratorium.env")

    checked = subprocess.run(  # noqa: S603
        [*compose, "-f", str(tmp_path / "compose.yaml"), "config", "-q"],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/local/bin:/usr/bin:/bin"},
        timeout=60,
    )

    assert checked.returncode != 0
    assert "POSTGRES_PASSWORD" in checked.stderr or "RABBITMQ_PASSWORD" in checked.stderr


@pytest.mark.parametrize(
    "unit", ["moratorium-web.service", "moratorium-beat.service", "moratorium-worker@banks.service"]
)
def test_the_systemd_units_verify(tmp_path, unit):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    source = DEPLOY / "systemd" / (unit.replace("@banks", "@") if "@" in unit else unit)
    target = tmp_path / unit
    target.write_text(source.read_text())

    checked = subprocess.run(
        ["systemd-analyze", "verify", str(target)], capture_output=True, text=True, timeout=60
    )  # noqa: S603, S607

    # The app is not installed under /srv/moratorium on a test machine; anything else is an error.
    problems = [
        line
        for line in checked.stderr.splitlines()
        if line.strip() and "is not executable: No such file or directory" not in line
    ]
    assert problems == []
