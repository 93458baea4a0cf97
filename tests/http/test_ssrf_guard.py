"""The SSRF guard refuses internal addresses before connecting, and checks every redirect hop."""

import ipaddress

import pytest

from integrations.http import (
    BlockedAddressError,
    OutboundError,
    address_refusal,
    outbound_request,
    resolve_checked,
)


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("169.254.10.10", "a link-local address"),
        ("fe80::1", "a link-local address"),
        ("0.0.0.0", "the unspecified address"),  # noqa: S104 - an address under test, not a bind
        ("224.0.0.1", "a multicast address"),
        ("100.64.0.1", "a non-global address"),
        ("::ffff:127.0.0.1", "a loopback address"),
        ("169.254.169.254", "a cloud metadata address"),
        ("fd00:ec2::254", "a cloud metadata address"),
    ],
)
def test_internal_addresses_are_refused(address, reason):
    assert address_refusal(ipaddress.ip_address(address), allow_private=False) == reason


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "1.1.1.1"])
def test_public_addresses_are_allowed(address):
    assert address_refusal(ipaddress.ip_address(address), allow_private=False) is None


def test_metadata_addresses_are_refused_even_for_platforms_allowed_private_fetches():
    assert (
        address_refusal(ipaddress.ip_address("169.254.169.254"), allow_private=True)
        == "a cloud metadata address"
    )
    assert address_refusal(ipaddress.ip_address("10.0.0.8"), allow_private=True) is None


def test_a_host_name_that_resolves_to_loopback_is_refused():
    with pytest.raises(BlockedAddressError, match="localhost: it resolves to a loopback address"):
        resolve_checked("localhost", 80, allow_private=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://10.0.0.1/a.mp3",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://localhost/",
    ],
)
def test_a_request_to_an_internal_address_is_refused_without_connecting(url):
    with pytest.raises(BlockedAddressError) as refused:
        outbound_request("GET", url, connect_timeout=1)
    assert refused.value.permanent


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://cdn.example/a.mp3", "gopher://x/", "http://user:pw@cdn.example/"]
)
def test_only_plain_http_and_https_urls_are_fetched(url):
    with pytest.raises(OutboundError) as refused:
        outbound_request("GET", url)
    assert refused.value.permanent


def test_a_redirect_to_the_metadata_address_is_refused_at_that_hop(media_server):
    url = media_server.add("/a.mp3", status=302, location="http://169.254.169.254/latest/meta-data/")
    with pytest.raises(BlockedAddressError, match="metadata"):
        outbound_request("GET", url, allow_private=True, connect_timeout=1)
    assert media_server.hits["/a.mp3"] == 1


def test_a_loopback_server_is_refused_unless_private_fetches_are_allowed(media_server):
    url = media_server.add("/ok", b"hello", content_type="text/plain")
    with pytest.raises(BlockedAddressError):
        outbound_request("GET", url)
    assert media_server.hits["/ok"] == 0
    assert outbound_request("GET", url, allow_private=True).body == b"hello"
