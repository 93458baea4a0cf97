"""Processing is published off the request, in batches under load; a worker fans a batch out."""

import queue

import pytest

from tests.ingestion.helpers import make_wav, post_signed, sample_event
from tests.kit.worker import poll
from triage.intake import publisher
from triage.models import Submission, SubmissionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _processed(submission_id: int) -> bool:
    return Submission.objects.get(pk=submission_id).state == SubmissionState.PROCESSED


def test_ids_that_queue_up_together_leave_as_one_batch():
    ids = queue.SimpleQueue()
    for submission_id in (1, 2, 3):
        ids.put(submission_id)
    assert publisher._take(ids, ids.get(), linger=0.01) == [1, 2, 3]
    ids.put(4)
    assert publisher._take(ids, ids.get(), linger=0) == [4]


def test_a_batch_is_fanned_out_by_the_worker_and_each_submission_processed(
    client, make_platform, media_server, celery_worker_process
):
    platform, secret = make_platform("videoshare")
    url = media_server.add("/a.wav", make_wav(), content_type="audio/wav")
    ids = [
        post_signed(
            client, platform, secret, sample_event(f"evt-{n}", content_id=f"post-{n}", media_url=url)
        ).json()["submission_id"]
        for n in range(3)
    ]
    # Published by the webhook already; publishing them again as one batch is harmless (tasks
    # claim before work) and exercises the batch message whatever the timing was.
    publisher.submissions_publish(submission_ids=ids)

    for submission_id in ids:
        poll(
            lambda submission_id=submission_id: _processed(submission_id), message="each submission processed"
        )
    assert media_server.hits["/a.wav"] == 3
