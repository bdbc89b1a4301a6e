"""Which addresses a fetch may reach: public ones, plus hosts the operator trusts.

A URL given to ``POST /api/v1/articles`` or found in a feed with ``--fetch`` is someone else's
choice, so the fetcher must not become a way into this machine's network (SSRF). The host is
resolved here, once; every address it resolves to must be global (not loopback, private,
link-local, multicast, reserved, unspecified, shared or an IPv4 address mapped into IPv6), and the
connection goes to the address that was checked, so a second DNS answer cannot swap it. Numeric
forms (``2130706433``, ``0x7f000001``, ``127.1``, ``[::1]``) resolve to what they mean and are
checked the same way. ``ANIGRAPH_FETCH_ALLOW`` lists host names, addresses or networks (CIDR)
that may be fetched even though they are not public, for feeds on one's own network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from dataclasses import dataclass

from anigraph.errors import IngestError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (numeric forms included), by the system resolver."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


@dataclass(frozen=True, slots=True)
class AllowList:
    """Hosts and networks the operator trusts although they are not public."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()

    @classmethod
    def parse(cls, value: str) -> AllowList:
        hosts: set[str] = set()
        networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for item in (p.strip() for p in value.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item.strip("[]"), strict=False))
            except ValueError:
                hosts.add(item.casefold().rstrip("."))
        return cls(frozenset(hosts), tuple(networks))

    def allows(self, host: str, address: IPAddress) -> bool:
        return host.casefold().rstrip(".") in self.hosts or any(address in n for n in self.networks)


def _why_not_public(address: IPAddress) -> str | None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        reason = _why_not_public(address.ipv4_mapped)
        return f"IPv4-mapped {reason}" if reason else None
    for attr, what in (
        ("is_loopback", "loopback"),
        ("is_unspecified", "unspecified"),
        ("is_link_local", "link-local"),
        ("is_multicast", "multicast"),
        ("is_private", "private"),
        ("is_reserved", "reserved"),
    ):
        if getattr(address, attr):
            return what
    return None if address.is_global else "non-public"


def checked_address(
    url: str, host: str, port: int, *, allow: AllowList, resolve: Resolver = system_resolver
) -> str:
    """The address to connect to for ``host``; IngestError when any address it has is not public."""
    if not host:
        raise IngestError(url, "the link has no host")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as e:
        raise IngestError(url, f"cannot resolve host {host!r} ({e})") from e
    if not addresses:
        raise IngestError(url, f"host {host!r} resolves to no address")
    parsed: list[IPAddress] = []
    for raw in addresses:
        try:
            parsed.append(ipaddress.ip_address(raw.split("%", 1)[0]))
        except ValueError as e:
            raise IngestError(url, f"host {host!r} resolved to an unreadable address {raw!r}") from e
    for address in parsed:
        reason = _why_not_public(address)
        if reason and not allow.allows(host, address):
            raise IngestError(
                url,
                f"refused: {host!r} resolves to a non-public address ({reason}: {address}); "
                "add it to ANIGRAPH_FETCH_ALLOW to fetch from your own network",
            )
    return str(parsed[0])
