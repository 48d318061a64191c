"""Which webhook URLs a subscription may use: no server-side request forgery, in any mode.

Only public addresses are reached, except those an operator allows explicitly (the local stack
allows loopback for its test receivers); production also requires https.
"""

import ipaddress
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


class UrlRefused(ValueError):
    pass


@dataclass(frozen=True)
class Allowlist:
    """Non-public targets an operator allows: host names (exact) and networks."""

    hosts: frozenset[str] = frozenset()
    networks: tuple[IpNetwork, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, hosts: str, cidrs: str) -> "Allowlist":
        """Comma-separated host names and CIDRs (``127.0.0.0/8,::1/128``); ValueError if malformed."""
        return cls(
            hosts=frozenset(h.strip().lower() for h in hosts.split(",") if h.strip()),
            networks=tuple(ipaddress.ip_network(c.strip()) for c in cidrs.split(",") if c.strip()),
        )

    def permits(self, host: str, address: str) -> bool:
        if host.lower() in self.hosts:
            return True
        ip = _unmapped(address)
        return any(ip.version == net.version and ip in net for net in self.networks)


NOTHING_ALLOWED = Allowlist()


def check_url(
    url: str,
    *,
    resolved: list[str],
    allow_private: bool = False,
    allowed: Allowlist = NOTHING_ALLOWED,
    require_https: bool = False,
) -> None:
    """``resolved`` holds the addresses the host resolves to; each must be public or allowed.

    ``allow_private`` skips the address check altogether; the services never set it.
    """
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UrlRefused("the URL must start with http:// or https://")
    if require_https and parts.scheme != "https":
        raise UrlRefused("production mode sends webhooks over https only: use an https:// URL")
    if not parts.hostname:
        raise UrlRefused("the URL has no host")
    if parts.username or parts.password:
        raise UrlRefused("credentials in the URL are not accepted; authenticate with the signature instead")
    if allow_private:
        return
    if not resolved:
        raise UrlRefused(f"the host {parts.hostname!r} does not resolve")
    for address in resolved:
        if not (is_public(address) or allowed.permits(parts.hostname, address)):
            raise UrlRefused(f"the host {parts.hostname!r} resolves to a non-public address ({address})")


def _unmapped(address: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public(address: str) -> bool:
    """A globally routable unicast address; IPv4-mapped IPv6 is judged as the IPv4 it maps."""
    ip = _unmapped(address)
    return ip.is_global and not ip.is_multicast


def origin(url: str) -> str:
    """``scheme://host[:port]`` of a URL, for logs: a path or query may hold the subscriber's tokens."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{parts.port}" if parts.port else "")
