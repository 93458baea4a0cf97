"""The outbound module against real loopback servers: caps, timeouts, redirects, retries, hashing."""

import hashlib
import io

import pytest

from integrations.http import (
    OutboundError,
    OutboundTimeout,
    ResponseTooLarge,
    outbound_download,
    outbound_request,
)
from tests.ingestion.helpers import make_png, make_wav


def test_a_download_is_hashed_and_sniffed_from_its_bytes(media_server):
    png = make_png()
    url = media_server.add("/clip.mp3", png, content_type="audio/mpeg")
    dest = io.BytesIO()
    result = outbound_download(url, dest_file=dest, allow_private=True)
    assert result.sha256 == hashlib.sha256(png).hexdigest()
    assert result.size_bytes == len(png) == len(dest.getvalue())
    assert (result.sniffed_mime_type, result.sniffed_media_type) == ("image/png", "image")
    assert result.declared_content_type == "audio/mpeg"


def test_a_body_announced_over_the_cap_is_refused_before_reading(media_server):
    url = media_server.add("/big.wav", make_wav(), content_type="audio/wav")
    with pytest.raises(ResponseTooLarge) as refused:
        outbound_download(url, dest_file=io.BytesIO(), allow_private=True, max_bytes=1000)
    assert refused.value.permanent


def test_a_body_that_grows_past_the_cap_is_cut_off(media_server):
    wav = make_wav(seconds=2)
    # No Content-Length to refuse up front: the cap must hold while streaming.
    url = media_server.add("/unsized.wav", wav, content_type="audio/wav", declared_length=-1)
    with pytest.raises(ResponseTooLarge):
        outbound_request("GET", url, allow_private=True, max_bytes=len(wav) - 1)


def test_a_server_that_stops_sending_times_out_as_a_transient_error(media_server):
    url = media_server.add("/slow.wav", make_wav(), content_type="audio/wav", hang=True)
    with pytest.raises(OutboundTimeout) as timed_out:
        outbound_download(url, dest_file=io.BytesIO(), allow_private=True, read_timeout=0.5)
    assert not timed_out.value.permanent


def test_redirects_are_followed_up_to_the_limit(media_server):
    media_server.add("/final", b"done", content_type="text/plain")
    media_server.add("/hop2", status=302, location="/final")
    url = media_server.add("/hop1", status=301, location=media_server.url("/hop2"))
    response = outbound_request("GET", url, allow_private=True)
    assert (response.status, response.body) == (200, b"done")
    assert response.url.endswith("/final")
    with pytest.raises(OutboundError, match="more than 1 redirects") as refused:
        outbound_request("GET", url, allow_private=True, max_redirects=1)
    assert refused.value.permanent


def test_5xx_is_retried_and_then_succeeds(media_server):
    url = media_server.add("/flaky", b"ok", content_type="text/plain", fail_first=1)
    response = outbound_request("GET", url, allow_private=True, retries=1)
    assert response.status == 200
    assert media_server.hits["/flaky"] == 2


def test_statuses_map_to_permanent_and_transient_errors(media_server):
    missing = media_server.url("/nothing-here")
    flaky = media_server.add("/down", b"", fail_first=99)
    with pytest.raises(OutboundError) as not_found:
        outbound_download(missing, dest_file=io.BytesIO(), allow_private=True)
    assert (not_found.value.status, not_found.value.permanent) == (404, True)
    with pytest.raises(OutboundError) as unavailable:
        outbound_download(flaky, dest_file=io.BytesIO(), allow_private=True)
    assert (unavailable.value.status, unavailable.value.permanent) == (503, False)
    answer = outbound_request("GET", flaky, allow_private=True)
    assert answer.status == 503
    with pytest.raises(OutboundError):
        answer.raise_for_status()


def test_a_refused_connection_is_transient():
    with pytest.raises(OutboundError) as refused:
        outbound_request("GET", "http://127.0.0.1:9/", allow_private=True, connect_timeout=1)
    assert not refused.value.permanent
