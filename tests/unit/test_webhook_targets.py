"""Where a webhook may point, judged on its own: a URL the HTTP client cannot send as given is
refused, link-local and metadata addresses are refused in every mode, and an IPv6 address
that carries an IPv4 one (IPv4-mapped, 6to4, NAT64, Teredo, IPv4-compatible) is judged by the
IPv4 address it carries."""

from __future__ import annotations

import pytest

from partnerapp.services.webhook_targets import UnsafeTarget, check_url, resolve


def _resolved(url: str, allow_private: bool, dns: list[str] | None = None) -> list[str]:
    parts = check_url(url, allow_private)
    return resolve(parts, allow_private, lambda host, port: list(dns or []))


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/café",  # the HTTP client cannot encode it
        "http://127.0.0.1:8080/a b",  # refused by the HTTP client at every delivery
        "http://127.0.0.1:8080/a\tb",  # urlsplit drops the tab: not what was given
        "http://127.0.0.1:8080/in?q=é",
        "http://hôte.example/in",
        "http://127.0.0.1:8080/a\x7fb",
    ],
)
def test_a_url_that_cannot_be_sent_as_given_is_refused(url: str) -> None:
    with pytest.raises(UnsafeTarget, match="ASCII"):
        check_url(url, allow_private=True)


def test_a_percent_encoded_url_is_accepted_as_given() -> None:
    parts = check_url("http://127.0.0.1:8080/caf%C3%A9?q=a%20b", allow_private=True)
    assert (parts.path, parts.query) == ("/caf%C3%A9", "q=a%20b")


@pytest.mark.parametrize(
    "address",
    [
        "169.254.169.254",  # the cloud metadata service
        "169.254.170.2",  # the container metadata service
        "fd00:ec2::254",  # the metadata service over IPv6 (a private address otherwise)
        "100.100.100.200",  # another cloud's metadata service (shared address space)
        "169.254.10.1",
        "fe80::1",
        "::ffff:169.254.169.254",  # IPv4-mapped
        "2002:a9fe:a9fe::1",  # 6to4 of 169.254.169.254
        "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
        "::a9fe:a9fe",  # IPv4-compatible
    ],
)
@pytest.mark.parametrize("allow_private", [True, False], ids=["local", "aws"])
def test_link_local_and_metadata_addresses_are_refused_in_every_mode(
    address: str, allow_private: bool
) -> None:
    host = f"[{address}]" if ":" in address else address
    scheme = "http" if allow_private else "https"
    with pytest.raises(UnsafeTarget, match="link-local"):
        _resolved(f"{scheme}://{host}/latest/meta-data", allow_private)


@pytest.mark.parametrize("allow_private", [True, False], ids=["local", "aws"])
def test_a_name_that_resolves_to_the_metadata_service_is_refused_in_every_mode(allow_private: bool) -> None:
    scheme = "http" if allow_private else "https"
    with pytest.raises(UnsafeTarget, match="link-local"):
        _resolved(f"{scheme}://hooks.agency.example/in", allow_private, ["93.184.216.34", "169.254.169.254"])


@pytest.mark.parametrize(
    "address",
    [
        "2002:a00:1::1",  # 6to4 of 10.0.0.1
        "2002:7f00:1::1",  # 6to4 of 127.0.0.1
        "64:ff9b::a00:1",  # NAT64 of 10.0.0.1
        "64:ff9b:1::a00:1",  # the local-use NAT64 prefix: never a public destination
        "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo, client 10.0.0.1
        "::a00:1",  # IPv4-compatible 10.0.0.1
        "::ffff:10.0.0.1",
        "::ffff:100.64.0.1",
    ],
)
def test_outside_local_mode_an_ipv6_address_carrying_a_private_ipv4_is_refused(address: str) -> None:
    with pytest.raises(UnsafeTarget, match="private"):
        _resolved(f"https://[{address}]/in", allow_private=False)
    with pytest.raises(UnsafeTarget, match="private"):
        _resolved("https://hooks.agency.example/in", False, [address])


@pytest.mark.parametrize(
    "address",
    ["93.184.216.34", "2002:5db8:d822::1", "64:ff9b::5db8:d822", "::ffff:93.184.216.34", "2606:4700::1111"],
)
def test_outside_local_mode_a_public_address_in_any_form_is_accepted(address: str) -> None:
    assert _resolved("https://hooks.agency.example/in", False, [address]) == [address]


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "::1", "::ffff:192.168.1.2", "2002:a00:1::1"])
def test_in_local_mode_loopback_and_private_addresses_are_still_allowed(address: str) -> None:
    assert _resolved("http://hooks.agency.example/in", True, [address]) == [address]
