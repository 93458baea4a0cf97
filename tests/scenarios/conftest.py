import pytest

from tests.kit.media import MediaServer

from .detector import DetectorVendor


@pytest.fixture
def media_server():
    server = MediaServer()
    yield server
    server.close()


@pytest.fixture
def detector_vendor(db):
    """A trusted loopback detector (its vote counts double: one high score is "likely synthetic")."""
    from triage.evidence.models import DetectorConfig

    vendor = DetectorVendor()
    DetectorConfig.objects.create(
        name="loopback-voice", adapter="generic_json", base_url=vendor.url, allow_private=True,
        trusted=True, threshold=0.5, timeout_seconds=10,
    )  # fmt: skip
    yield vendor
    vendor.close()
