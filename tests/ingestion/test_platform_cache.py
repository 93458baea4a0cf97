"""The webhook caches its platform per slug, yet disabling or re-keying a platform takes effect in time.

In the process that makes the change: at once (the save's signal clears the cache). In another
web process: within WEBHOOK_PLATFORM_CACHE_SECONDS (a real server process on loopback here).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from integrations.platforms.models import Platform
from integrations.platforms.services import platform_retire_previous_secret, platform_rotate_secret
from tests.ingestion.helpers import post_signed, sample_event, sign_headers
from tests.kit.worker import ROOT, database_url_for, poll

CACHE_SECONDS = 2


@pytest.fixture
def cached(settings):
    settings.WEBHOOK_PLATFORM_CACHE_SECONDS = 60  # only the signal can make a change visible


@pytest.mark.django_db
def test_disabling_a_platform_takes_effect_at_once_in_this_process(client, platform_with_secret, cached):
    platform, secret = platform_with_secret
    assert post_signed(client, platform, secret, sample_event("evt-1")).status_code == 202  # now cached

    platform.enabled = False
    platform.save()

    assert post_signed(client, platform, secret, sample_event("evt-2")).status_code == 401
    platform.enabled = True
    platform.save()
    assert post_signed(client, platform, secret, sample_event("evt-3")).status_code == 202


@pytest.mark.django_db
def test_a_rotation_and_its_end_take_effect_at_once_in_this_process(client, platform_with_secret, cached):
    platform, old = platform_with_secret
    assert post_signed(client, platform, old, sample_event("evt-1")).status_code == 202

    new = platform_rotate_secret(platform=platform)
    assert post_signed(client, platform, new, sample_event("evt-2")).status_code == 202
    assert post_signed(client, platform, old, sample_event("evt-3")).status_code == 202  # both, meanwhile

    platform_retire_previous_secret(platform=platform)
    assert post_signed(client, platform, old, sample_event("evt-4")).status_code == 401
    assert post_signed(client, platform, new, sample_event("evt-5")).status_code == 202


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def web_process(django_db_blocker, tmp_path):
    """The deployed WSGI application (config.wsgi) served by gunicorn in its own process."""
    from django.db import connection

    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "WEBHOOK_PLATFORM_CACHE_SECONDS": str(CACHE_SECONDS),
        "DATABASE_CONN_MAX_AGE": "0",
    }
    log = tmp_path / "gunicorn.log"
    proc = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1",
         "--error-logfile", str(log)],
        cwd=ROOT, env=env,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"

    def up():
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{log.read_text()}")
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)  # noqa: S310 - loopback
        except urllib.error.HTTPError:
            return True
        except OSError:
            return False
        return True

    try:
        poll(up, timeout=60, message="gunicorn to serve")
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _post(base: str, platform, secret: str, event: dict) -> int:
    body = json.dumps(event).encode()
    headers = {
        key.removeprefix("HTTP_").replace("_", "-").title(): value
        for key, value in sign_headers(secret, body).items()
    }
    request = urllib.request.Request(  # noqa: S310 - loopback
        f"{base}/webhooks/{platform.slug}/", data=body, method="POST",
        headers={"Content-Type": "application/json", **headers},
    )  # fmt: skip
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310 - loopback
            return answer.status
    except urllib.error.HTTPError as refused:
        return refused.code


@pytest.mark.django_db(transaction=True)
def test_another_web_process_sees_a_disabled_platform_within_the_cache_life(make_platform, web_process):
    platform, secret = make_platform("videoshare")
    assert _post(web_process, platform, secret, sample_event("evt-1")) == 202  # cached there

    Platform.objects.filter(pk=platform.pk).update(enabled=False)  # no signal reaches that process
    disabled_at = time.monotonic()
    counter = iter(range(2, 10_000))
    poll(
        lambda: _post(web_process, platform, secret, sample_event(f"evt-{next(counter)}")) == 401,
        timeout=CACHE_SECONDS + 10,
        interval=0.2,
        message="the other process to refuse the disabled platform",
    )
    # Within the cache life (and the time one request takes on a loaded machine).
    assert time.monotonic() - disabled_at < CACHE_SECONDS + 2


@pytest.mark.django_db(transaction=True)
def test_another_web_process_stops_taking_a_retired_secret_within_the_cache_life(make_platform, web_process):
    platform, old = make_platform("videoshare")
    new = platform_rotate_secret(platform=platform)
    assert _post(web_process, platform, old, sample_event("evt-1")) == 202  # cached there, two secrets

    platform_retire_previous_secret(platform=platform)
    retired_at = time.monotonic()
    counter = iter(range(2, 10_000))
    poll(
        lambda: _post(web_process, platform, old, sample_event(f"evt-{next(counter)}")) == 401,
        timeout=CACHE_SECONDS + 10,
        interval=0.2,
        message="the other process to refuse the retired secret",
    )
    assert time.monotonic() - retired_at < CACHE_SECONDS + 2
    assert _post(web_process, platform, new, sample_event("evt-new")) == 202
