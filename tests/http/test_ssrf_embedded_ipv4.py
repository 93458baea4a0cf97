"""IPv6 forms that carry an IPv4 address inside them are judged by the IPv4 address they carry.

NAT64 (64:ff9b::/96 and the local-use 64:ff9b:1::/48), 6to4 (2002::/16), Teredo (2001::/32),
IPv4-mapped (::ffff:0:0/96) and IPv4-compatible (::/96) addresses can all route to the IPv4 host
they embed, so the guard must see through them to loopback, private and metadata addresses.
"""

import ipaddress

import pytest

from integrations.http import BlockedAddressError, address_refusal, outbound_request


def teredo(server: str, client: str) -> str:
    # 2001:0000:<server v4>:<flags>:<port ^ ffff>:<client v4 ^ ffffffff>
    value = (0x20010000 << 96) | (int(ipaddress.IPv4Address(server)) << 64) | (0xFFFF << 32)
    value |= int(ipaddress.IPv4Address(client)) ^ 0xFFFFFFFF
    return str(ipaddress.IPv6Address(value))


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("64:ff9b::127.0.0.1", "a loopback address"),
        ("64:ff9b::10.0.0.1", "a private address"),
        ("64:ff9b::169.254.169.254", "a cloud metadata address"),
        ("64:ff9b:1:7f00:0:1::", "a loopback address"),  # 127.0.0.1 in the local-use /48 layout
        ("64:ff9b:1:a9fe:a9:fe00::", "a cloud metadata address"),  # 169.254.169.254 likewise
        ("2002:7f00:1::", "a loopback address"),
        ("2002:a9fe:a9fe::1", "a cloud metadata address"),
        ("2002:c0a8:101::", "a private address"),
        (teredo("1.1.1.1", "127.0.0.1"), "a loopback address"),
        (teredo("169.254.169.254", "1.1.1.1"), "a cloud metadata address"),
        ("::127.0.0.1", "a loopback address"),
        ("::169.254.169.254", "a cloud metadata address"),
        ("::ffff:169.254.169.254", "a cloud metadata address"),
        ("::ffff:10.1.1.1", "a private address"),
    ],
)
def test_ipv6_forms_of_internal_ipv4_addresses_are_refused(address, reason):
    refusal = address_refusal(ipaddress.ip_address(address), allow_private=False)
    assert refusal is not None and refusal.startswith(reason), refusal


@pytest.mark.parametrize(
    "address",
    ["64:ff9b::169.254.169.254", "2002:a9fe:a9fe::", "::169.254.169.254", "64:ff9b:1:a9fe:a9:fe00::"],
)
def test_embedded_metadata_addresses_are_refused_even_with_private_fetches_allowed(address):
    assert address_refusal(ipaddress.ip_address(address), allow_private=True).startswith(
        "a cloud metadata address"
    )


@pytest.mark.parametrize("address", ["64:ff9b::93.184.216.34", "2002:5db8:d822::1"])
def test_nat64_and_6to4_forms_of_public_addresses_are_not_internal(address):
    refusal = address_refusal(ipaddress.ip_address(address), allow_private=False)
    assert refusal is None or "private" not in refusal and "loopback" not in refusal


@pytest.mark.parametrize(
    "url",
    [
        "http://[64:ff9b::7f00:1]/a.mp3",
        "http://[2002:a9fe:a9fe::]/latest/meta-data/",
        "http://[::127.0.0.1]/",
    ],
)
def test_outbound_requests_to_such_literals_are_refused_before_connecting(url):
    with pytest.raises(BlockedAddressError):
        outbound_request("GET", url)
