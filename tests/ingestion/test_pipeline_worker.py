"""The whole path with a real broker and a real Celery worker: webhook → task → stored media → case."""

import pytest

from tests.ingestion.helpers import get_status_signed, make_png, make_wav, post_signed, sample_event
from tests.kit.worker import poll
from triage.models import Case, MediaItem, Submission, SubmissionState

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def _settled(submission_id):
    submission = Submission.objects.get(pk=submission_id)
    return submission if submission.state in (SubmissionState.PROCESSED, SubmissionState.FAILED) else None


def test_a_reported_audio_is_fetched_by_the_worker_and_the_platform_sees_it(
    client, make_platform, media_server, celery_worker_process
):
    platform, secret = make_platform("videoshare")
    url = media_server.add("/speech.wav", make_wav(), content_type="audio/wav")

    answer = post_signed(client, platform, secret, sample_event("evt-1", media_url=url)).json()
    submission = poll(
        lambda: _settled(answer["submission_id"]), message="the worker to process the submission"
    )

    assert submission.state == SubmissionState.PROCESSED
    status = get_status_signed(client, platform, secret, "evt-1").json()
    assert status["state"] == "processed"
    assert status["media"][0]["media_type"] == "audio"
    assert status["media"][0]["sha256"] == MediaItem.objects.get().sha256
    assert status["case_id"] == answer["case_id"]


def test_reuploads_on_two_platforms_become_one_case_through_the_worker(
    client, make_platform, media_server, celery_worker_process
):
    videoshare, vs_secret = make_platform("videoshare")
    chirp, chirp_secret = make_platform("chirp")
    png = make_png(color=(9, 99, 199))
    reports = [
        (videoshare, vs_secret, "v1", 700),
        (videoshare, vs_secret, "v2", 70),
        (chirp, chirp_secret, "c1", 7),
    ]
    answers = []
    for platform, secret, content_id, views in reports:
        url = media_server.add(f"/{content_id}.png", png, content_type="image/png")
        event = sample_event(
            content_id, content_id=content_id, media_url=url, views=views, media_type="image"
        )
        answers.append(post_signed(client, platform, secret, event).json())
    for answer in answers:
        poll(
            lambda answer=answer: _settled(answer["submission_id"]), message="each submission to be processed"
        )

    live = Case.objects.get(media_item__isnull=False, merged_into__isnull=True)
    assert (live.submission_count, live.total_views) == (3, 777)
    assert {Submission.objects.get(pk=a["submission_id"]).platform.slug for a in answers} == {
        "videoshare",
        "chirp",
    }


def test_a_platform_without_private_fetches_gets_a_recorded_refusal_through_the_worker(
    client, make_platform, media_server, celery_worker_process
):
    platform, secret = make_platform("outsider", allow_private_fetch=False)
    url = media_server.add("/a.wav", make_wav(), content_type="audio/wav")

    answer = post_signed(client, platform, secret, sample_event(media_url=url)).json()
    submission = poll(lambda: _settled(answer["submission_id"]), message="the refusal to be recorded")

    assert submission.state == SubmissionState.FAILED
    assert "loopback address" in submission.error
    assert media_server.hits["/a.wav"] == 0
