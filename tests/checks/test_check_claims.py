"""Running one check: claim before work, failures recorded, transient errors retried, stale claims swept."""

import hashlib
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError
from django.utils import timezone

from triage.evidence import registry
from triage.evidence.base import Check, CheckError
from triage.evidence.models import CheckResult, CheckRun, CheckState, Verdict
from triage.evidence.services import (
    MAX_ATTEMPTS,
    check_result_claim,
    check_result_execute,
    check_run_fuse,
    checks_expire_stale,
)
from triage.models import MediaItem

from . import media

pytestmark = pytest.mark.django_db


class ExplodingCheck(Check):
    kind = "explodes"

    def _run(self, media):
        raise ZeroDivisionError("a bug in a check")


class FlakyCheck(Check):
    kind = "flaky"

    def _run(self, media):
        raise CheckError("vendor HTTP 503", transient=True)


@pytest.fixture
def registered(monkeypatch):
    monkeypatch.setitem(registry.CHECKS, "explodes", ("Explodes", f"{__name__}.ExplodingCheck"))
    monkeypatch.setitem(registry.CHECKS, "flaky", ("Flaky", f"{__name__}.FlakyCheck"))


@pytest.fixture
def photo_item():
    data = media.jpeg_bytes(seed=21)
    sha = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(f"media/{sha[:2]}/{sha}", ContentFile(data))
    return MediaItem.objects.create(
        sha256=sha, media_type="image", mime_type="image/jpeg", size_bytes=len(data), file=stored
    )


def test_a_result_is_claimed_once(photo_item):
    result = CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")

    assert check_result_claim(check_result_id=result.pk) is True
    assert check_result_claim(check_result_id=result.pk) is False


def test_one_result_per_media_kind_and_version(photo_item):
    CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")

    with pytest.raises(IntegrityError):
        CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")


def test_a_finished_result_is_not_run_again(photo_item):
    result = CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")
    assert check_result_execute(check_result_id=result.pk).state == CheckState.DONE
    before = CheckResult.objects.get(pk=result.pk)

    assert check_result_execute(check_result_id=result.pk).state == CheckState.DONE
    assert CheckResult.objects.get(pk=result.pk).attempts == before.attempts == 1


def test_a_check_that_raises_is_recorded_failed(photo_item, registered):
    result = CheckResult.objects.create(media_item=photo_item, kind="explodes", version="1")

    outcome = check_result_execute(check_result_id=result.pk)

    result.refresh_from_db()
    assert outcome.state == result.state == CheckState.FAILED
    assert result.error == "ZeroDivisionError: a bug in a check"
    assert result.finished_at is not None


def test_a_transient_error_releases_the_claim_with_backoff_then_fails_after_the_last_attempt(
    photo_item, registered
):
    result = CheckResult.objects.create(media_item=photo_item, kind="flaky", version="1")
    delays = []
    for _ in range(MAX_ATTEMPTS - 1):
        outcome = check_result_execute(check_result_id=result.pk)
        assert outcome.state == CheckState.PENDING
        delays.append(outcome.retry_in)

    final = check_result_execute(check_result_id=result.pk)

    assert delays == sorted(delays) and delays[0] < delays[-1]
    assert final.state == CheckState.FAILED
    assert CheckResult.objects.get(pk=result.pk).error == "vendor HTTP 503"


def test_a_claim_whose_worker_vanished_is_run_again_once(photo_item, monkeypatch):
    from triage.evidence import tasks

    sent = []
    monkeypatch.setattr(tasks.check_run_task, "delay", lambda pk: sent.append(pk))
    stuck = CheckResult.objects.create(
        media_item=photo_item,
        kind="c2pa",
        version="1",
        state=CheckState.RUNNING,
        attempts=1,
        started_at=timezone.now() - timedelta(minutes=2),
    )

    assert checks_expire_stale() == 1
    assert checks_expire_stale() == 0  # back to pending, sent once

    assert sent == [stuck.pk]
    assert CheckResult.objects.get(pk=stuck.pk).state == CheckState.PENDING
    assert check_result_execute(check_result_id=stuck.pk).state == CheckState.DONE


def test_a_claim_renewed_by_its_heartbeat_is_not_taken_back(photo_item, settings):
    settings.CHECK_CLAIM_LEASE_SECONDS = 45
    live = CheckResult.objects.create(
        media_item=photo_item,
        kind="c2pa",
        version="1",
        state=CheckState.RUNNING,
        attempts=1,
        started_at=timezone.now() - timedelta(seconds=10),  # its last heartbeat
    )

    assert checks_expire_stale() == 0
    assert not check_result_claim(check_result_id=live.pk)


def test_a_claim_whose_worker_vanished_twice_is_timed_out_and_the_verdict_goes_on(photo_item):
    stuck = CheckResult.objects.create(
        media_item=photo_item,
        kind="detector:hive",
        version="1",
        state=CheckState.RUNNING,
        attempts=2,
        started_at=timezone.now() - timedelta(hours=1),
    )
    done = CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")
    check_result_execute(check_result_id=done.pk)
    run = CheckRun.objects.create(media_item=photo_item)
    run.results.set([stuck, done])
    assert check_run_fuse(run_id=run.pk) is None  # still waiting on the stuck check

    assert checks_expire_stale() == 1

    verdict = Verdict.objects.get(run=run)
    assert verdict.failed_checks == ["detector:hive"]
    assert CheckResult.objects.get(pk=stuck.pk).error.startswith("timed out")


def test_fusion_happens_once(photo_item):
    result = CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")
    check_result_execute(check_result_id=result.pk)
    run = CheckRun.objects.create(media_item=photo_item)
    run.results.set([result])

    first = check_run_fuse(run_id=run.pk)
    second = check_run_fuse(run_id=run.pk)

    assert first.pk == second.pk
    assert Verdict.objects.filter(media_item=photo_item).count() == 1


def test_a_pending_check_whose_task_was_lost_is_sent_again_once(photo_item, monkeypatch):
    from triage.evidence import tasks

    sent = []
    monkeypatch.setattr(tasks.check_run_task, "delay", lambda pk: sent.append(pk))
    lost = CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")
    CheckResult.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(hours=1))
    run = CheckRun.objects.create(media_item=photo_item)
    run.results.set([lost])

    checks_expire_stale()
    checks_expire_stale()

    assert sent == [lost.pk]


def test_media_on_a_storage_without_local_paths_is_checked_from_a_temporary_copy(photo_item):
    from django.core.files.storage import InMemoryStorage

    from triage.evidence.base import media_file_for_item

    remote = InMemoryStorage(location="/srv/object-store")  # nothing of it is on this disk
    data = default_storage.open(photo_item.file.name).read()
    remote.save(photo_item.file.name, ContentFile(data))
    photo_item.file.storage = remote

    with media_file_for_item(photo_item) as media_file:
        copy = media_file.path
        assert copy.read_bytes() == data
        assert media_file.sha256 == photo_item.sha256
    assert not copy.exists()


def test_a_run_left_unfused_by_a_dying_task_is_fused_by_the_sweep(photo_item):
    result = CheckResult.objects.create(media_item=photo_item, kind="c2pa", version="1")
    check_result_execute(check_result_id=result.pk)
    run = CheckRun.objects.create(media_item=photo_item)
    run.results.set([result])
    CheckRun.objects.filter(pk=run.pk).update(created_at=timezone.now() - timedelta(hours=1))

    checks_expire_stale()

    assert Verdict.objects.get(run=run).label == "no_signal"
