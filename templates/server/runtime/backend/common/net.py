"""IP addresses written out as the broker does (Erlang's inet:ntoa)."""

from __future__ import annotations

import ipaddress


def ntoa(text: str) -> str:
    """The canonical text of an IPv4 or IPv6 address; ValueError if it is not one.
    IPv4-mapped IPv6 addresses keep their dotted tail (`::ffff:10.0.0.1`)."""
    address = ipaddress.ip_address(text.strip())
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return f"::ffff:{address.ipv4_mapped}"
    return str(address)
