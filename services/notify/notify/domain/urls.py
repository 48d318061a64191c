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
        ip = ipaddress.ip_address(address)
        if (
            ip.is_private
            or ip.is_loopback
            or ip.is_link_local
            or ip.is_multicast
            or ip.is_reserved
            or ip.is_unspecified
        ):
            raise UrlRefused(f"the host {parts.hostname!r} resolves to a non-public address ({address})")
