"""Detector vendors over HTTP, against real servers on loopback: good, slow, 429, 500, garbage."""

from datetime import timedelta

import pytest
from django.utils import timezone

from integrations.detectors.check import DetectorCheck
from triage.evidence.base import CheckError
from triage.evidence.models import DetectorConfig

from . import media
from .loopback import Answer, VendorServer

pytestmark = pytest.mark.django_db

HIVE_PATH = "/api/v2/task/sync"


def hive_answer(ai_score: float, source: str = "midjourney") -> dict:
    """The shape of docs.thehive.ai's AI-generated image detection example."""
    return {
        "id": "task-1",
        "status": [
            {
                "status": {"code": "0", "message": "SUCCESS"},
                "response": {
                    "input": {"media": {"type": "PHOTO", "mimetype": "image/jpeg"}},
                    "output": [
                        {
                            "time": 0,
                            "classes": [
                                {"class": "ai_generated", "score": ai_score},
                                {"class": "not_ai_generated", "score": 1 - ai_score},
                                {"class": source, "score": ai_score * 0.9},
                                {"class": "none", "score": 0.01},
                                {"class": "deepfake", "score": 0.02},
                            ],
                        }
                    ],
                },
            }
        ],
    }


@pytest.fixture
def vendor():
    with VendorServer() as server:
        yield server


@pytest.fixture
def photo(media_file):
    return media_file(media.jpeg_bytes(), "rally.jpg")


def configure(name, adapter, url, **extra):
    return DetectorConfig.objects.create(
        name=name,
        adapter=adapter,
        base_url=url,
        allow_private=True,
        timeout_seconds=extra.pop("timeout", 5),
        **extra,
    )


def test_hive_answer_becomes_a_score_with_the_likely_source(vendor, photo, monkeypatch):
    monkeypatch.setenv("DETECTOR_HIVE_API_KEY", "hive-secret")
    configure("hive", "hive", vendor.url)
    vendor.script(HIVE_PATH, Answer(200, hive_answer(0.97)))

    result = DetectorCheck(name="hive").run(photo)

    assert result.kind == "detector:hive"
    assert result.score == pytest.approx(0.97)
    assert result.label == "ai_generated"
    assert result.evidence["likely_source"] == "midjourney"
    [request] = vendor.seen(HIVE_PATH)
    assert request.headers["authorization"] == "Token hive-secret"
    assert b'name="media"; filename="rally.jpg"' in request.body
    assert photo.path.read_bytes() in request.body


def test_reality_defender_uploads_to_the_signed_url_and_polls_until_analyzed(vendor, photo, monkeypatch):
    monkeypatch.setenv("RD_KEY", "rd-secret")
    configure("rd", "reality_defender", vendor.url, api_key_env="RD_KEY", options={"poll_interval": 0.05})
    vendor.script(
        "/api/files/aws-presigned",
        Answer(200, {"code": "ok", "errno": 0, "mediaId": "m-1", "requestId": "r-1",
                     "response": {"signedUrl": f"{vendor.url}/upload/r-1?X-Amz-Signature=abc"}}),
    )  # fmt: skip
    vendor.script("/upload/r-1", Answer(200, b""))
    vendor.script(
        "/api/media/users/r-1",
        Answer(200, {"resultsSummary": {"status": "ANALYZING", "metadata": {}}, "models": []}),
        Answer(200, {"resultsSummary": {"status": "FAKE", "metadata": {"finalScore": 92.5}},
                     "models": [{"name": "rd-img-ensemble", "status": "FAKE", "finalScore": 92.5},
                                {"name": "rd-audio", "status": "NOT_APPLICABLE", "finalScore": None}]}),
    )  # fmt: skip

    result = DetectorCheck(name="rd").run(photo)

    assert result.score == pytest.approx(0.925)
    assert result.label == "artificial"
    assert result.evidence["models"] == [{"name": "rd-img-ensemble", "status": "FAKE"}]
    assert vendor.seen("/api/files/aws-presigned")[0].headers["x-api-key"] == "rd-secret"
    [upload] = vendor.seen("/upload/r-1")
    assert upload.method == "PUT" and upload.body == photo.path.read_bytes()
    assert "x-api-key" not in upload.headers  # the key never goes to the storage host
    assert len(vendor.seen("/api/media/users/r-1")) == 2


def test_generic_json_adapter_reads_a_nested_score_field(vendor, photo):
    configure(
        "own-model", "generic_json", f"{vendor.url}/v1/score", options={"score_field": "result.synthetic"}
    )
    vendor.script("/v1/score", Answer(200, {"result": {"synthetic": 0.31}, "label": "real"}))

    result = DetectorCheck(name="own-model").run(photo)

    assert result.score == pytest.approx(0.31)
    assert result.label == "real"
    assert b'name="sha256"' in vendor.seen("/v1/score")[0].body


def test_a_slow_vendor_times_out_as_a_transient_error(vendor, photo):
    configure("slow", "generic_json", f"{vendor.url}/score", timeout=0.3)
    vendor.script("/score", Answer(200, {"score": 0.5}, delay=2))

    with pytest.raises(CheckError) as caught:
        DetectorCheck(name="slow").run(photo)

    assert caught.value.transient is True


def test_429_is_retried_after_the_vendors_retry_after_and_does_not_trip_the_breaker(vendor, photo):
    config = configure("busy", "generic_json", f"{vendor.url}/score", failure_threshold=1)
    vendor.script("/score", Answer(429, {"error": "slow down"}, headers={"Retry-After": "7"}))

    with pytest.raises(CheckError) as caught:
        DetectorCheck(name="busy").run(photo)

    assert (caught.value.transient, caught.value.retry_after) == (True, 7.0)
    config.refresh_from_db()
    assert config.consecutive_failures == 0 and config.circuit_open_until is None


def test_a_500_is_transient(vendor, photo):
    configure("flaky", "generic_json", f"{vendor.url}/score")
    vendor.script("/score", Answer(500, b"internal error"))

    with pytest.raises(CheckError) as caught:
        DetectorCheck(name="flaky").run(photo)

    assert caught.value.transient is True
    assert "HTTP 500" in caught.value.message


@pytest.mark.parametrize(
    "adapter, path, body",
    [
        ("generic_json", "/score", b"<html>not json</html>"),
        ("generic_json", "/score", {"probability": 0.4}),
        ("generic_json", "/score", {"score": 7000}),
        (
            "hive",
            HIVE_PATH,
            {"status": [{"status": {"code": "0"}, "response": {"output": [{"classes": []}]}}]},
        ),
        ("hive", HIVE_PATH, {"status": []}),
    ],
)
def test_garbage_answers_are_permanent_errors(vendor, photo, monkeypatch, adapter, path, body):
    monkeypatch.setenv("DETECTOR_GARBLED_API_KEY", "k")
    configure("garbled", adapter, vendor.url + ("/score" if adapter == "generic_json" else ""))
    vendor.script(path, Answer(200, body))

    with pytest.raises(CheckError) as caught:
        DetectorCheck(name="garbled").run(photo)

    assert caught.value.transient is False


def test_the_circuit_opens_after_repeated_failures_and_stops_calling_the_vendor(vendor, photo):
    config = configure(
        "down", "generic_json", f"{vendor.url}/score", failure_threshold=2, cooldown_seconds=600
    )
    vendor.script("/score", Answer(503, b"down"))

    for _ in range(2):
        with pytest.raises(CheckError):
            DetectorCheck(name="down").run(photo)
    with pytest.raises(CheckError) as caught:
        DetectorCheck(name="down").run(photo)

    assert "circuit open" in caught.value.message
    assert len(vendor.seen("/score")) == 2
    config.refresh_from_db()
    assert config.circuit_open_until > timezone.now()
    assert "HTTP 503" in config.last_error


def test_after_the_cooldown_one_success_closes_the_circuit(vendor, photo):
    configure("recovering", "generic_json", f"{vendor.url}/score", failure_threshold=1)
    DetectorConfig.objects.filter(name="recovering").update(
        consecutive_failures=3, circuit_open_until=timezone.now() - timedelta(seconds=1)
    )
    vendor.script("/score", Answer(200, {"score": 0.2}))

    assert DetectorCheck(name="recovering").run(photo).score == pytest.approx(0.2)
    config = DetectorConfig.objects.get(name="recovering")
    assert (config.consecutive_failures, config.circuit_open_until) == (0, None)


def test_a_vendor_key_must_be_in_the_environment(vendor, photo, monkeypatch):
    monkeypatch.delenv("DETECTOR_HIVE_PROD_API_KEY", raising=False)
    configure("hive-prod", "hive", vendor.url)

    with pytest.raises(CheckError, match="DETECTOR_HIVE_PROD_API_KEY is not set"):
        DetectorCheck(name="hive-prod").run(photo)


def test_loopback_is_refused_unless_the_detector_allows_private_addresses(vendor, photo):
    DetectorConfig.objects.create(name="sneaky", adapter="generic_json", base_url=f"{vendor.url}/score")

    with pytest.raises(CheckError, match="refused"):
        DetectorCheck(name="sneaky").run(photo)
    assert vendor.requests == []
