"""The dashboard warns loudly on every page while no detector is configured (issue 11)."""

import pytest

from tests.dashboard.conftest import login

pytestmark = pytest.mark.django_db


def test_every_page_warns_while_no_detector_is_configured(client, alice):
    login(client, alice)

    page = client.get("/")

    assert page.status_code == 200
    assert b'class="banner-no-detector" role="alert"' in page.content
    assert b"No detector is configured" in page.content


def test_the_warning_goes_once_a_detector_is_enabled(client, alice):
    from triage.evidence.models import DetectorConfig

    detector = DetectorConfig.objects.create(
        name="vendor", adapter="generic_json", base_url="https://detector.example/score"
    )
    login(client, alice)

    assert b"banner-no-detector" not in client.get("/").content

    detector.enabled = False
    detector.save(update_fields=["enabled"])
    assert b"banner-no-detector" in client.get("/").content


def test_the_login_page_says_nothing_to_strangers(client):
    assert b"banner-no-detector" not in client.get("/accounts/login/").content
