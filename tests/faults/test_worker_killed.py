"""A worker SIGKILLed in the middle of work: the work is taken back within about a minute and
done once more, never by two workers at once, with no duplicate results.

Leases are shortened (4 s, a heartbeat every second) so the test runs in seconds; production
defaults are a 45 s lease, a 10 s heartbeat and a 15 s sweep. The test process plays beat: it
runs the sweeps while it polls.
"""

from __future__ import annotations

import hashlib
import time

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.checks import media
from tests.checks.loopback import Answer, VendorServer
from tests.ingestion.helpers import make_png, post_signed, sample_event
from tests.kit.media import Route
from tests.kit.worker import poll
from triage.evidence.models import CheckResult, CheckRun, CheckState, DetectorConfig, Verdict
from triage.evidence.registry import check_for_kind
from triage.evidence.services import checks_expire_stale
from triage.evidence.tasks import check_run_task
from triage.intake.fetch import submissions_sweep
from triage.models import MediaItem, Submission, SubmissionMedia, SubmissionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

LEASE = 4
SHORT_LEASES = {
    "CLAIM_HEARTBEAT_SECONDS": 1,
    "CLAIM_LEASE_SECONDS": LEASE,
    "CHECK_CLAIM_LEASE_SECONDS": LEASE,
    "SUBMISSION_CLAIM_LEASE_SECONDS": LEASE,
}
RECOVERY_DEADLINE = 60  # "about a minute", with the production settings


@pytest.fixture
def short_leases(settings):
    for name, value in SHORT_LEASES.items():
        setattr(settings, name, value)


def _renewed_past_the_lease(read_stamp, first):
    """The claim's stamp moved on for longer than a lease: a live worker's heartbeat renews it."""
    stamp = read_stamp()
    return stamp is not None and (stamp - first).total_seconds() > LEASE


def test_a_check_whose_worker_is_killed_is_run_again_once(private_workers, short_leases):
    with VendorServer() as vendor:
        # The first call hangs (the worker is killed while it waits); the second answers.
        vendor.script("/score", Answer(200, {"score": 0.9}, delay=60), Answer(200, {"score": 0.9}))
        DetectorConfig.objects.create(
            name="slowvendor", adapter="generic_json", base_url=f"{vendor.url}/score", allow_private=True
        )
        data = media.jpeg_bytes(seed=77)
        sha = hashlib.sha256(data).hexdigest()
        item = MediaItem.objects.create(
            sha256=sha,
            media_type="image",
            mime_type="image/jpeg",
            size_bytes=len(data),
            file=default_storage.save(f"media/{sha[:2]}/{sha}", ContentFile(data)),
        )
        kind = "detector:slowvendor"
        result = CheckResult.objects.create(media_item=item, kind=kind, version=check_for_kind(kind).version)
        run = CheckRun.objects.create(media_item=item)
        run.results.set([result])
        private_workers.start("doomed", **SHORT_LEASES)

        check_run_task.delay(result.pk)
        poll(lambda: vendor.seen("/score"), message="the doomed worker to call the vendor")
        first_stamp = CheckResult.objects.get(pk=result.pk).started_at
        poll(
            lambda: _renewed_past_the_lease(
                lambda: CheckResult.objects.get(pk=result.pk).started_at, first_stamp
            ),
            message="the heartbeat to renew the claim",
        )
        assert checks_expire_stale() == 0  # a live worker's claim is never taken back

        private_workers.kill("doomed")
        killed_at = time.monotonic()
        private_workers.start("survivor", **SHORT_LEASES)

        def redone():
            checks_expire_stale()  # what beat does every CLAIM_SWEEP_SECONDS
            return CheckResult.objects.get(pk=result.pk).state == CheckState.DONE

        poll(redone, timeout=RECOVERY_DEADLINE, interval=0.5, message="the check to be run again")
        recovered_in = time.monotonic() - killed_at

        done = CheckResult.objects.get(pk=result.pk)
        assert (done.attempts, done.score) == (2, 0.9)
        assert len(vendor.seen("/score")) == 2  # once by each worker, never a third time
        poll(lambda: Verdict.objects.filter(run=run).exists(), message="the verdict")
        assert Verdict.objects.filter(media_item=item).count() == 1
        assert recovered_in < RECOVERY_DEADLINE


def test_a_submission_whose_worker_is_killed_mid_fetch_is_fetched_again_once(
    client, make_platform, media_server, private_workers, short_leases
):
    platform, secret = make_platform("videoshare")
    png = make_png(color=(1, 2, 3))
    # The first fetch gets a first byte and then nothing (the worker is killed while it waits).
    url = media_server.add("/slow.png", png, content_type="image/png", hang=True)
    private_workers.start("doomed", **SHORT_LEASES)

    answer = post_signed(client, platform, secret, sample_event("evt-kill", media_url=url)).json()
    poll(lambda: media_server.hits["/slow.png"], message="the doomed worker to start the fetch")
    submission_id = answer["submission_id"]
    first_stamp = poll(lambda: Submission.objects.get(pk=submission_id).claimed_at, message="the claim")
    poll(
        lambda: _renewed_past_the_lease(
            lambda: Submission.objects.get(pk=submission_id).claimed_at, first_stamp
        ),
        message="the heartbeat to renew the claim",
    )
    assert submissions_sweep() == 0  # a live worker's claim is never taken back

    private_workers.kill("doomed")
    killed_at = time.monotonic()
    media_server.routes["/slow.png"] = Route(body=png, content_type="image/png")
    private_workers.start("survivor", **SHORT_LEASES)

    def processed():
        submissions_sweep()  # what beat does every CLAIM_SWEEP_SECONDS
        return Submission.objects.get(pk=submission_id).state == SubmissionState.PROCESSED

    poll(processed, timeout=RECOVERY_DEADLINE, interval=0.5, message="the submission to be fetched again")
    recovered_in = time.monotonic() - killed_at

    assert Submission.objects.get(pk=submission_id).attempts == 2
    assert media_server.hits["/slow.png"] == 2
    assert MediaItem.objects.count() == 1
    assert SubmissionMedia.objects.filter(submission_id=submission_id).count() == 1
    assert recovered_in < RECOVERY_DEADLINE
