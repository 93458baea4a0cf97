"""Fetching and storing a submission's media: real files from a real loopback server.

These tests run the processing service in the test process (the worker-driven path is in
test_pipeline_worker.py), so each failure mode is exercised deterministically.
"""

import hashlib

import pytest
from django.core.files.storage import default_storage

from tests.ingestion.helpers import (
    get_status_signed,
    make_png,
    make_wav,
    multipart_body,
    post_signed,
    sample_event,
)
from triage.intake.fetch import RetryLater, submission_process
from triage.models import Case, MediaFetchState, MediaItem, Submission, SubmissionState
from triage.signals import media_item_stored

pytestmark = pytest.mark.django_db


def _ingest(client, platform, secret, event) -> Submission:
    response = post_signed(client, platform, secret, event)
    assert response.status_code == 202, response.content
    return Submission.objects.get(pk=response.json()["submission_id"])


def test_a_wav_is_fetched_stored_by_hash_and_attached_to_its_case(client, platform_with_secret, media_server):
    platform, secret = platform_with_secret
    wav = make_wav()
    submission = _ingest(
        client,
        platform,
        secret,
        sample_event(media_url=media_server.add("/a.wav", wav, content_type="audio/wav")),
    )

    submission_process(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.state == SubmissionState.PROCESSED
    item = MediaItem.objects.get()
    sha = hashlib.sha256(wav).hexdigest()
    assert (item.sha256, item.media_type, item.mime_type, item.size_bytes) == (
        sha,
        "audio",
        "audio/wav",
        len(wav),
    )
    assert item.file.name == f"media/{sha[:2]}/{sha}"
    assert default_storage.open(item.file.name).read() == wav
    assert Case.objects.get(pk=submission.case_id).media_item == item


def test_the_sniffed_type_wins_over_the_header_and_the_declared_type(
    client, platform_with_secret, media_server
):
    platform, secret = platform_with_secret
    url = media_server.add("/clip.mp3", make_png(), content_type="audio/mpeg")
    submission = _ingest(client, platform, secret, sample_event(media_url=url, media_type="audio"))

    submission_process(submission_id=submission.pk)

    entry = submission.media.get()
    assert entry.state == MediaFetchState.STORED
    assert (entry.media_item.media_type, entry.media_item.mime_type) == ("image", "image/png")
    assert entry.type_mismatch == "declared audio, is image; served as audio/mpeg, is image/png"


def test_a_file_over_the_size_cap_fails_permanently_with_its_reason(
    client, platform_with_secret, media_server, settings
):
    settings.MEDIA_MAX_BYTES = 1000
    platform, secret = platform_with_secret
    submission = _ingest(
        client, platform, secret, sample_event(media_url=media_server.add("/big.wav", make_wav()))
    )

    submission_process(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.state == SubmissionState.FAILED
    assert "over the 1000-byte cap" in submission.error
    assert not MediaItem.objects.exists()
    status = get_status_signed(client, platform, secret, "evt-1").json()
    assert status["state"] == "failed"
    assert "over the 1000-byte cap" in status["media"][0]["error"]


def test_a_slow_server_is_retried_then_recorded_as_failed(
    client, platform_with_secret, media_server, settings
):
    settings.OUTBOUND_READ_TIMEOUT = 0.5
    platform, secret = platform_with_secret
    url = media_server.add("/slow.wav", make_wav(), content_type="audio/wav", hang=True)
    submission = _ingest(client, platform, secret, sample_event(media_url=url))

    with pytest.raises(RetryLater) as retry:
        submission_process(submission_id=submission.pk)
    submission.refresh_from_db()
    assert retry.value.countdown > 0
    assert submission.state == SubmissionState.PENDING
    assert submission.error.startswith("will retry")

    submission_process(submission_id=submission.pk, final_attempt=True)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.FAILED
    assert "stopped sending" in submission.error or "did not answer in time" in submission.error


def test_a_5xx_is_retried_and_the_retry_stores_the_file(client, platform_with_secret, media_server):
    platform, secret = platform_with_secret
    url = media_server.add("/flaky.wav", make_wav(), content_type="audio/wav", fail_first=1)
    submission = _ingest(client, platform, secret, sample_event(media_url=url))

    with pytest.raises(RetryLater, match="HTTP 503"):
        submission_process(submission_id=submission.pk)
    submission_process(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.state == SubmissionState.PROCESSED
    assert submission.attempts == 2
    assert submission.error == ""


def test_a_platform_without_private_fetches_cannot_make_us_fetch_loopback(
    client, make_platform, media_server
):
    platform, secret = make_platform("outsider", allow_private_fetch=False)
    url = media_server.add("/a.wav", make_wav(), content_type="audio/wav")
    submission = _ingest(client, platform, secret, sample_event(media_url=url))

    submission_process(submission_id=submission.pk)

    submission.refresh_from_db()
    assert submission.state == SubmissionState.FAILED
    assert "refused to connect to 127.0.0.1: it resolves to a loopback address" in submission.error
    assert media_server.hits["/a.wav"] == 0


def test_bytes_that_are_not_media_are_refused(client, platform_with_secret, media_server):
    platform, secret = platform_with_secret
    url = media_server.add("/a.mp3", b"<html>login required</html>", content_type="text/html")
    submission = _ingest(client, platform, secret, sample_event(media_url=url))

    submission_process(submission_id=submission.pk)

    entry = submission.media.get()
    assert entry.state == MediaFetchState.FAILED
    assert entry.error == "not a recognised audio, image or video format (served as text/html)"


def test_inline_multipart_media_is_stored_like_fetched_media(client, platform_with_secret):
    platform, secret = platform_with_secret
    wav = make_wav(frequency=880)
    event = sample_event()
    event["content"]["media"] = [{"file": "clip", "media_type": "audio"}]
    body, content_type = multipart_body(event, {"clip": ("voice.wav", wav, "audio/wav")})
    response = post_signed(client, platform, secret, body, content_type=content_type)
    assert response.status_code == 202, response.content
    submission = Submission.objects.get(pk=response.json()["submission_id"])
    staged = submission.intake["media"][0]["staged_name"]  # staged before any worker runs
    assert default_storage.exists(staged)

    submission_process(submission_id=submission.pk)

    entry = submission.media.get()
    assert entry.media_item.sha256 == hashlib.sha256(wav).hexdigest()
    assert entry.media_item.original_name == "voice.wav"
    assert not default_storage.exists(staged)


def test_a_multipart_event_must_name_parts_that_exist(client, platform_with_secret):
    platform, secret = platform_with_secret
    event = sample_event()
    event["content"]["media"] = [{"file": "missing", "media_type": "audio"}]
    body, content_type = multipart_body(event, {"clip": ("voice.wav", make_wav(), "audio/wav")})
    response = post_signed(client, platform, secret, body, content_type=content_type)
    assert response.status_code == 400
    assert "file" in response.json()["errors"]["content"]["media"]["0"]


def test_the_same_bytes_are_stored_once(client, platform_with_secret, media_server):
    platform, secret = platform_with_secret
    png = make_png(color=(1, 2, 3))
    for n in (1, 2):
        url = media_server.add(f"/copy{n}.png", png, content_type="image/png")
        submission = _ingest(
            client, platform, secret, sample_event(f"evt-{n}", content_id=f"post-{n}", media_url=url)
        )
        submission_process(submission_id=submission.pk)
    sha = hashlib.sha256(png).hexdigest()
    assert MediaItem.objects.get().sha256 == sha
    _dirs, files = default_storage.listdir(f"media/{sha[:2]}")
    assert [f for f in files if f.startswith(sha)] == [sha]


def test_storing_media_sends_media_item_stored_on_commit(
    client, platform_with_secret, media_server, django_capture_on_commit_callbacks
):
    platform, secret = platform_with_secret
    received = []

    def receiver(**kwargs):
        received.append({k: kwargs[k] for k in ("media_item_id", "case_id", "created")})

    media_item_stored.connect(receiver, weak=False)
    try:
        url = media_server.add("/a.wav", make_wav(), content_type="audio/wav")
        submission = _ingest(client, platform, secret, sample_event(media_url=url))
        with django_capture_on_commit_callbacks(execute=True):
            submission_process(submission_id=submission.pk)
    finally:
        media_item_stored.disconnect(receiver)
    submission.refresh_from_db()
    assert received == [
        {"media_item_id": MediaItem.objects.get().pk, "case_id": submission.case_id, "created": True}
    ]


def _staged_files() -> set[str]:
    return set(default_storage.listdir("incoming")[1]) if default_storage.exists("incoming") else set()


def test_a_replayed_multipart_event_leaves_no_staged_upload_behind(client, platform_with_secret):
    platform, secret = platform_with_secret
    event = sample_event()
    event["content"]["media"] = [{"file": "clip", "media_type": "audio"}]
    body, content_type = multipart_body(event, {"clip": ("voice.wav", make_wav(frequency=990), "audio/wav")})
    before = _staged_files()
    for _ in range(2):
        assert post_signed(client, platform, secret, body, content_type=content_type).status_code == 202
    staged = Submission.objects.get().intake["media"][0]["staged_name"]
    assert {f"incoming/{name}" for name in _staged_files() - before} == {staged}


def test_a_storage_failure_of_our_own_is_retried_not_left_processing(
    client, platform_with_secret, media_server, settings, tmp_path
):
    platform, secret = platform_with_secret
    url = media_server.add("/a.wav", make_wav(frequency=1200), content_type="audio/wav")
    submission = _ingest(client, platform, secret, sample_event(media_url=url))
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocked  # storing under it fails with an OSError

    with pytest.raises(RetryLater):
        submission_process(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PENDING
    assert "internal error while storing the media" in submission.error

    settings.MEDIA_ROOT = tmp_path / "media"
    submission_process(submission_id=submission.pk)
    submission.refresh_from_db()
    assert submission.state == SubmissionState.PROCESSED
