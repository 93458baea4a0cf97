"""The claim heartbeat (config/leases.py): it renews a live claim, and notices a takeover."""

from datetime import timedelta

import pytest
from django.utils import timezone

from config.leases import lease_heartbeat
from tests.ingestion.helpers import post_signed, sample_event
from tests.kit.media import make_platform, platform_with_secret  # noqa: F401 - fixtures
from tests.kit.worker import poll
from triage.models import Submission

pytestmark = pytest.mark.django_db(transaction=True)  # the heartbeat thread has its own connection


@pytest.fixture
def claimed(client, platform_with_secret, settings):  # noqa: F811
    settings.CLAIM_HEARTBEAT_SECONDS = 0.2
    platform, secret = platform_with_secret
    submission_id = post_signed(client, platform, secret, sample_event("evt-lease")).json()["submission_id"]
    stamp = timezone.now() - timedelta(seconds=30)
    Submission.objects.filter(pk=submission_id).update(state="processing", claimed_at=stamp)
    return submission_id, stamp


def test_a_live_claim_is_renewed_while_the_work_runs(claimed):
    submission_id, stamp = claimed
    with lease_heartbeat(Submission.objects, pk=submission_id, field="claimed_at", token=stamp) as lease:
        poll(
            lambda: Submission.objects.get(pk=submission_id).claimed_at > stamp,
            timeout=10,
            message="a renewal",
        )
    assert not lease.lost.is_set()
    assert Submission.objects.get(pk=submission_id).claimed_at == lease.token


def test_a_claim_taken_over_is_not_renewed_and_its_owner_learns_it(claimed):
    submission_id, stamp = claimed
    theirs = timezone.now()
    with lease_heartbeat(Submission.objects, pk=submission_id, field="claimed_at", token=stamp) as lease:
        Submission.objects.filter(pk=submission_id).update(claimed_at=theirs)  # another worker took it
        poll(lease.lost.is_set, timeout=10, message="the owner to learn it lost the claim")
    assert Submission.objects.get(pk=submission_id).claimed_at == theirs  # never renewed over theirs
