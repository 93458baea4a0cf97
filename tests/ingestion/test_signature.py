"""Only a request signed with one of the platform's active secrets, within five minutes, gets in."""

import json
import time

import pytest

from integrations.platforms.models import Platform
from integrations.platforms.services import platform_retire_previous_secret, platform_rotate_secret
from integrations.platforms.signing import signature_compute
from tests.ingestion.helpers import post_signed, sample_event

pytestmark = pytest.mark.django_db


def test_a_correctly_signed_event_is_accepted(client, platform_with_secret):
    platform, secret = platform_with_secret
    assert post_signed(client, platform, secret, sample_event()).status_code == 202


def test_a_signature_made_with_another_secret_is_refused(client, platform_with_secret):
    platform, _secret = platform_with_secret
    response = post_signed(client, platform, "whsec_not-the-secret", sample_event())
    assert response.status_code == 401
    assert response.json() == {"detail": "Unknown platform, or a bad or stale signature."}


def test_a_signature_over_a_different_body_is_refused(client, platform_with_secret):
    platform, secret = platform_with_secret
    body = json.dumps(sample_event()).encode()
    ts = str(int(time.time()))
    signature = signature_compute(secret=secret, timestamp=ts, body=body)
    tampered = body.replace(b"1200", b"9999")
    response = client.post(
        f"/webhooks/{platform.slug}/", data=tampered, content_type="application/json",
        HTTP_X_MORATORIUM_TIMESTAMP=ts, HTTP_X_MORATORIUM_SIGNATURE=signature,
    )  # fmt: skip
    assert response.status_code == 401


@pytest.mark.parametrize("skew", [-301, 301, -3600])
def test_a_timestamp_more_than_five_minutes_off_is_refused(client, platform_with_secret, skew):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, sample_event(), timestamp=int(time.time()) + skew)
    assert response.status_code == 401


def test_a_timestamp_within_five_minutes_is_accepted(client, platform_with_secret):
    platform, secret = platform_with_secret
    response = post_signed(client, platform, secret, sample_event(), timestamp=int(time.time()) - 290)
    assert response.status_code == 202


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"HTTP_X_MORATORIUM_TIMESTAMP": "1"},
        {"HTTP_X_MORATORIUM_TIMESTAMP": "soon", "HTTP_X_MORATORIUM_SIGNATURE": "v1=00"},
        {"HTTP_X_MORATORIUM_TIMESTAMP": "١٢٣", "HTTP_X_MORATORIUM_SIGNATURE": "v1=00"},
        {"HTTP_X_MORATORIUM_TIMESTAMP": "9" * 40, "HTTP_X_MORATORIUM_SIGNATURE": "v1=00"},
        {"HTTP_X_MORATORIUM_TIMESTAMP": str(int(time.time())), "HTTP_X_MORATORIUM_SIGNATURE": "sha1=abc"},
    ],
)
def test_missing_or_malformed_signature_headers_are_refused(client, platform_with_secret, headers):
    platform, _secret = platform_with_secret
    response = client.post(
        f"/webhooks/{platform.slug}/",
        data=json.dumps(sample_event()),
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 401


def test_during_a_rotation_both_secrets_verify_until_the_old_one_is_retired(client, platform_with_secret):
    platform, old_secret = platform_with_secret
    new_secret = platform_rotate_secret(platform=platform)
    platform = Platform.objects.get(pk=platform.pk)
    assert new_secret != old_secret
    assert post_signed(client, platform, old_secret, sample_event("evt-old")).status_code == 202
    assert (
        post_signed(client, platform, new_secret, sample_event("evt-new", content_id="p2")).status_code == 202
    )

    platform_retire_previous_secret(platform=platform)
    platform = Platform.objects.get(pk=platform.pk)
    assert (
        post_signed(client, platform, old_secret, sample_event("evt-3", content_id="p3")).status_code == 401
    )
    assert (
        post_signed(client, platform, new_secret, sample_event("evt-4", content_id="p4")).status_code == 202
    )


def test_secrets_are_not_stored_in_the_clear(platform_with_secret):
    platform, secret = platform_with_secret
    stored = Platform.objects.values_list("signing_secret_encrypted", flat=True).get(pk=platform.pk)
    assert secret not in stored
    assert platform.signing_secrets() == [secret]
