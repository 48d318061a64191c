"""Which webhook URLs a subscription may use (no server-side request forgery in production)."""

import ipaddress
from urllib.parse import urlsplit


class UrlRefused(ValueError):
    pass


def check_url(url: str, *, resolved: list[str], allow_private: bool) -> None:
    """``resolved`` holds the addresses the host resolves to; private ones are refused in production."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise UrlRefused("the URL must start with http:// or https://")
    if not parts.hostname:
        raise UrlRefused("the URL has no host")
    if parts.username or parts.password:
        raise UrlRefused("credentials in the URL are not accepted; authenticate with the signature instead")
    if allow_private:
        return
    if not resolved:
        raise UrlRefused(f"the host {parts.hostname!r} does not resolve")
    for address in resolved:
        if not is_public(address):
            raise UrlRefused(f"the host {parts.hostname!r} resolves to a non-public address ({address})")


def is_public(address: str) -> bool:
    """A globally routable unicast address; IPv4-mapped IPv6 is judged as the IPv4 it maps."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast
