"""Where a webhook may point: https only, and never at loopback, private or other non-public
addresses (the VPC, localhost), outside local mode; never at link-local or metadata-service
addresses, in any mode. An IPv6 address that carries an IPv4 one (IPv4-mapped, 6to4, NAT64,
Teredo, IPv4-compatible) reaches that IPv4 address, so it is judged by it.

A URL must be sendable as given: printable ASCII, no spaces. The HTTP client cannot encode
anything else (it raised, or refused every delivery), and urlsplit silently drops tabs and
newlines, which would send a different path than the partner registered.

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

# Cloud metadata services: link-local mostly, but not all (AWS over IPv6 is a private
# address, another cloud's is in the shared address space), and private is allowed locally.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a) for a in ("169.254.169.254", "169.254.170.2", "fd00:ec2::254", "100.100.100.200")
)
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # the well-known prefix: the last 32 bits are the IPv4
LOCAL_NAT64 = ipaddress.IPv6Network("64:ff9b:1::/48")  # local use only: never a public destination
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")

IP = ipaddress.IPv4Address | ipaddress.IPv6Address

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
    if not all("!" <= c <= "~" for c in url):
        raise UnsafeTarget(
            "Must be printable ASCII without spaces: percent-encode other characters "
            "(%20, %C3%A9) and write a non-ASCII host name in its xn-- form."
        )
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
    any address a delivery must not go to (check_address)."""
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
    for address in addresses:  # one bad answer is enough: DNS answers rotate
        check_address(address, allow_private)
    return addresses


def check_address(address: str, allow_private: bool) -> None:
    """UnsafeTarget unless a delivery may connect to `address` (in local mode or not)."""
    for ip in judged(ipaddress.ip_address(address.split("%")[0])):
        if ip.is_link_local or ip in METADATA_ADDRESSES:
            raise UnsafeTarget("Must not point at a link-local or metadata-service address.")
        if not allow_private and not _public(ip):
            raise UnsafeTarget("Must not point at a loopback, private or other non-public address.")


def judged(ip: IP) -> list[IP]:
    """The addresses a packet to `ip` goes to: the IPv4 ones it carries, if any, else itself."""
    if isinstance(ip, ipaddress.IPv4Address):
        return [ip]
    if ip in LOCAL_NAT64:
        return [ip]  # where the IPv4 sits depends on the local prefix length: judged as is
    carried = [ip.ipv4_mapped, ip.sixtofour, *(ip.teredo or ())]
    if ip in NAT64 or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # not :: nor ::1
        carried.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    found = [v4 for v4 in carried if v4 is not None]
    return list(found) or [ip]


def is_public(address: str) -> bool:
    """Whether a delivery outside local mode may connect to `address`."""
    try:
        check_address(address, allow_private=False)
    except UnsafeTarget:
        return False
    return True


def _public(ip: IP) -> bool:
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)
