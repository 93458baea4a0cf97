"""The sweeper re-enqueues only what is overdue: pending past its due time, or claimed by a dead worker."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.ingestion.helpers import post_signed, sample_event
from triage.intake.fetch import submission_claim, submissions_sweep
from triage.models import Submission, SubmissionState

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(client, platform_with_secret):
    platform, secret = platform_with_secret
    answer = post_signed(client, platform, secret, sample_event("evt-1")).json()
    return Submission.objects.get(pk=answer["submission_id"])


def test_a_fresh_submission_is_left_to_its_own_task(submission):
    assert submissions_sweep(overdue_seconds=60) == 0


def test_an_overdue_pending_submission_is_re_enqueued_once_per_interval(submission):
    Submission.objects.filter(pk=submission.pk).update(due_at=timezone.now() - timedelta(minutes=5))
    assert submissions_sweep(overdue_seconds=60) == 1
    assert submissions_sweep(overdue_seconds=60) == 0  # its due time moved on


def test_a_claim_older_than_the_lease_is_taken_over(submission, settings):
    settings.SUBMISSION_CLAIM_LEASE_SECONDS = 60
    assert submission_claim(submission_id=submission.pk)
    assert not submission_claim(submission_id=submission.pk)  # a live claim is respected
    Submission.objects.filter(pk=submission.pk).update(claimed_at=timezone.now() - timedelta(minutes=2))
    assert submissions_sweep(overdue_seconds=60) == 1
    assert submission_claim(submission_id=submission.pk)
    assert Submission.objects.get(pk=submission.pk).state == SubmissionState.PROCESSING
