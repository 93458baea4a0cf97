"""The Celery path end to end: a stored media item → one task per check → one verdict."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from tests.kit.worker import poll
from triage.evidence.models import CheckResult, CheckRun, CheckState, DetectorConfig, Verdict
from triage.evidence.services import media_checks_enqueue
from triage.models import MediaItem
from triage.signals import media_item_stored

from . import media
from .loopback import Answer, VendorServer

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("default_signatures"),
]


# c2pa, metadata, watermark and fingerprint: every offline check an image gets (no detector enabled).
IMAGE_CHECKS = 4


def store(data: bytes, *, media_type: str, mime_type: str, name: str) -> MediaItem:
    sha = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(f"media/{sha[:2]}/{sha}", ContentFile(data))
    return MediaItem.objects.create(
        sha256=sha,
        media_type=media_type,
        mime_type=mime_type,
        size_bytes=len(data),
        file=stored,
        original_name=name,
    )


def verdict_for(item: MediaItem) -> Verdict:
    return poll(
        lambda: Verdict.objects.filter(media_item=item).first(), timeout=60, message=f"a verdict for {item}"
    )


@pytest.fixture
def vendor():
    with VendorServer() as server:
        yield server


def test_an_ai_declared_image_is_checked_in_parallel_and_fused(celery_worker_process, generator_ca):
    item = store(
        media.c2pa_sign(media.jpeg_bytes(), "image/jpeg", generator_ca),
        media_type="image",
        mime_type="image/jpeg",
        name="generated.jpg",
    )

    media_checks_enqueue(media_item_id=item.pk)
    verdict = verdict_for(item)

    assert verdict.label == "disclosed_synthetic"
    assert "ImageGen Signer" in verdict.reasons[0]
    results = {r.kind: r for r in CheckResult.objects.filter(media_item=item)}
    assert set(results) == {"c2pa", "metadata", "watermark", "fingerprint"}
    assert all(r.state == CheckState.DONE for r in results.values())
    assert results["c2pa"].label == "valid"
    assert verdict.failed_checks == []


def test_a_failing_detector_is_recorded_failed_and_the_verdict_says_so(celery_worker_process, vendor):
    DetectorConfig.objects.create(
        name="garbled", adapter="generic_json", base_url=f"{vendor.url}/score", allow_private=True
    )
    vendor.script("/score", Answer(200, b"<html>500 words of nonsense</html>"))
    item = store(
        media.png_bytes(text={"parameters": "Steps: 20, Sampler: Euler a"}),
        media_type="image",
        mime_type="image/png",
        name="00001.png",
    )

    media_checks_enqueue(media_item_id=item.pk)
    verdict = verdict_for(item)

    failed = CheckResult.objects.get(media_item=item, kind="detector:garbled")
    assert failed.state == CheckState.FAILED
    assert "not JSON" in failed.error
    assert verdict.label == "disclosed_synthetic"
    assert verdict.failed_checks == ["detector:garbled"]
    assert any("made without them: detector:garbled" in r for r in verdict.reasons)


def test_a_rate_limited_detector_is_retried_after_retry_after(celery_worker_process, vendor):
    DetectorConfig.objects.create(
        name="busy", adapter="generic_json", base_url=f"{vendor.url}/score", allow_private=True, threshold=0.5
    )
    vendor.script(
        "/score",
        Answer(429, {"error": "slow down"}, headers={"Retry-After": "1"}),
        Answer(200, {"score": 0.9}),
    )
    item = store(media.audio_bytes("wav"), media_type="audio", mime_type="audio/wav", name="robocall.wav")

    media_checks_enqueue(media_item_id=item.pk)
    verdict = verdict_for(item)

    result = CheckResult.objects.get(media_item=item, kind="detector:busy")
    assert (result.state, result.attempts, result.score) == (CheckState.DONE, 2, 0.9)
    assert len(vendor.seen("/score")) == 2
    assert verdict.label == "uncertain"  # one untrusted vote is not enough
    assert any("busy (0.90" in r for r in verdict.reasons)


def test_the_stored_signal_starts_the_checks_once_per_media_item(celery_worker_process):
    item = store(media.jpeg_bytes(seed=11), media_type="image", mime_type="image/jpeg", name="photo.jpg")

    for _ in range(3):  # the same file uploaded three times
        media_item_stored.send(sender=MediaItem, media_item_id=item.pk, case_id=1, created=False)
    verdict = verdict_for(item)

    assert verdict.label == "no_signal"
    assert CheckResult.objects.filter(media_item=item).count() == IMAGE_CHECKS  # one result per check
    assert CheckRun.objects.filter(media_item=item).count() == 1
    assert Verdict.objects.filter(media_item=item).count() == 1


def test_reenqueueing_after_the_verdict_claims_the_existing_results(celery_worker_process):
    item = store(media.jpeg_bytes(seed=12), media_type="image", mime_type="image/jpeg", name="photo.jpg")
    media_checks_enqueue(media_item_id=item.pk)
    first = verdict_for(item)

    run = media_checks_enqueue(media_item_id=item.pk)

    assert run.pk == first.run_id
    assert CheckResult.objects.filter(media_item=item).count() == IMAGE_CHECKS  # one result per check
    assert Verdict.objects.filter(media_item=item).count() == 1
