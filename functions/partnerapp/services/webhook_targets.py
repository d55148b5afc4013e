"""Where a webhook may point: https only, and never at loopback, link-local, private or other
non-public addresses (the metadata service, the VPC, localhost), outside local mode.

Checked when an endpoint is registered and again at every delivery, on the addresses the
name resolves to then (DNS can change), and the delivery connects to the very address that
was checked, so a second lookup cannot swap in an internal one.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

MAX_URL_LENGTH = 2048

Resolver = Callable[[str, int], list[str]]


class UnsafeTarget(ValueError):
    """The URL or the addresses it resolves to are not allowed; the message says why."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str, allow_private: bool) -> SplitResult:
    """The parsed URL, or UnsafeTarget naming what is wrong with it."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeTarget(f"Must be at most {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeTarget("Not a valid URL.") from None
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise UnsafeTarget("Must be an https:// URL.")
    if not parts.hostname:
        raise UnsafeTarget("Must name a host.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("Must not carry a user name or password.")
    if parts.fragment:
        raise UnsafeTarget("Must not have a #fragment.")
    if port == 0:
        raise UnsafeTarget("Not a valid port.")
    host = parts.hostname.lower()
    if not allow_private and (host == "localhost" or host.endswith((".localhost", ".local", ".internal"))):
        raise UnsafeTarget("Must be a public host, not a local or internal name.")
    return parts


def default_port(parts: SplitResult) -> int:
    return parts.port or (443 if parts.scheme == "https" else 80)


def resolve(parts: SplitResult, allow_private: bool, resolver: Resolver = system_resolver) -> list[str]:
    """The addresses to connect to; UnsafeTarget if the host does not resolve, or resolves to
    any address that is not public (one bad answer is enough: DNS answers rotate)."""
    host = parts.hostname or ""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        try:
            addresses = resolver(host, default_port(parts))
        except (OSError, UnicodeError):
            raise UnsafeTarget("The host name does not resolve.") from None
    if not addresses:
        raise UnsafeTarget("The host name does not resolve.")
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise UnsafeTarget("Must not point at a loopback, link-local or private address.")
    return addresses


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)
