"""Status reads are signed over the method and the path, so one captured signature reads one event.

The old form ("v1=" over "<timestamp>." and an empty body) says nothing about which event is
read: captured once, it read any event of that platform for five minutes. It is still accepted
while WEBHOOK_STATUS_LEGACY_SIGNATURES is on (the deprecation period), and refused after.
"""

import time

import pytest

from integrations.platforms.signing import request_signature_compute, signature_compute
from tests.ingestion.helpers import (
    get_status_signed,
    post_signed,
    sample_event,
    status_path,
    status_sign_headers,
)

pytestmark = pytest.mark.django_db


def legacy_headers(secret: str) -> dict[str, str]:
    ts = str(int(time.time()))
    return {
        "HTTP_X_MORATORIUM_TIMESTAMP": ts,
        "HTTP_X_MORATORIUM_SIGNATURE": signature_compute(secret=secret, timestamp=ts, body=b""),
    }


@pytest.fixture
def two_events(client, platform_with_secret):
    platform, secret = platform_with_secret
    for event_id in ("evt-mine", "evt-other"):
        assert (
            post_signed(client, platform, secret, sample_event(event_id, content_id=event_id)).status_code
            == 202
        )
    return platform, secret


def test_a_status_read_signed_over_method_and_path_is_answered(client, two_events):
    platform, secret = two_events
    response = get_status_signed(client, platform, secret, "evt-mine")
    assert response.status_code == 200
    assert response.json()["event_id"] == "evt-mine"


def test_a_captured_signature_does_not_read_another_event(client, two_events):
    platform, secret = two_events
    captured = status_sign_headers(secret, status_path(platform, "evt-mine"))
    assert client.get(status_path(platform, "evt-mine"), **captured).status_code == 200
    replay = client.get(status_path(platform, "evt-other"), **captured)
    assert replay.status_code == 401


def test_the_signature_covers_the_method(client, two_events):
    platform, secret = two_events
    path = status_path(platform, "evt-mine")
    ts = str(int(time.time()))
    as_post = request_signature_compute(secret=secret, timestamp=ts, method="POST", path=path)
    headers = {"HTTP_X_MORATORIUM_TIMESTAMP": ts, "HTTP_X_MORATORIUM_SIGNATURE": as_post}
    assert client.get(path, **headers).status_code == 401


def test_the_old_form_still_works_during_the_deprecation_period(client, two_events, settings):
    settings.WEBHOOK_STATUS_LEGACY_SIGNATURES = True
    platform, secret = two_events
    assert client.get(status_path(platform, "evt-mine"), **legacy_headers(secret)).status_code == 200


def test_once_the_deprecation_ends_a_captured_old_form_signature_reads_nothing(client, two_events, settings):
    platform, secret = two_events
    captured = legacy_headers(secret)  # as sent for evt-mine
    settings.WEBHOOK_STATUS_LEGACY_SIGNATURES = True
    assert client.get(status_path(platform, "evt-other"), **captured).status_code == 200  # the old hole
    settings.WEBHOOK_STATUS_LEGACY_SIGNATURES = False
    assert client.get(status_path(platform, "evt-other"), **captured).status_code == 401
    assert client.get(status_path(platform, "evt-mine"), **captured).status_code == 401
    assert get_status_signed(client, platform, secret, "evt-mine").status_code == 200


def test_an_event_id_with_characters_that_need_escaping_is_signed_over_the_escaped_path(
    client, platform_with_secret
):
    platform, secret = platform_with_secret
    event_id = "udalosť 7/b?c"
    answer = post_signed(client, platform, secret, sample_event(event_id)).json()
    path = answer["status_url"].removeprefix("http://testserver")
    assert path == status_path(platform, event_id)
    assert client.get(path, **status_sign_headers(secret, path)).json()["event_id"] == event_id


def test_unknown_platform_and_bad_signature_get_the_same_answer(client, two_events):
    platform, secret = two_events
    bad = client.get(status_path(platform, "evt-mine"), **status_sign_headers("whsec_wrong", "/x"))
    ghost_path = status_path(platform, "evt-mine").replace(platform.slug, "ghost")
    ghost = client.get(ghost_path, **status_sign_headers(secret, ghost_path))
    assert bad.status_code == ghost.status_code == 401
    assert bad.json() == ghost.json()
