"""Subscription URLs: http(s) only; no private, loopback or link-local target in production."""

import pytest

from notify.domain.urls import UrlRefused, check_url, is_public, origin
from notify.worker.targets import refuse_private_target

PUBLIC = ["93.184.216.34"]


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "file:///etc/passwd",
        "gopher://example.com",
        "example.com/hook",
        "https:///x",
    ],
)
def test_only_http_and_https_urls_with_a_host(url: str) -> None:
    with pytest.raises(UrlRefused):
        check_url(url, resolved=PUBLIC, allow_private=True)


def test_credentials_in_the_url_are_refused() -> None:
    with pytest.raises(UrlRefused, match="credentials"):
        check_url("https://user:pw@example.com/hook", resolved=PUBLIC, allow_private=True)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.0.0.5",
        "172.16.3.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "::1",
        "fe80::1",
        "fd12::1",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
    ],
)
def test_production_refuses_private_loopback_and_link_local_targets(address: str) -> None:
    assert not is_public(address)
    with pytest.raises(UrlRefused, match="non-public"):
        check_url("https://hooks.example.com/anxin", resolved=[address], allow_private=False)


def test_production_refuses_a_host_when_any_of_its_addresses_is_private() -> None:
    with pytest.raises(UrlRefused):
        check_url("https://hooks.example.com/x", resolved=[*PUBLIC, "10.0.0.1"], allow_private=False)


def test_production_refuses_a_host_that_does_not_resolve() -> None:
    with pytest.raises(UrlRefused, match="does not resolve"):
        check_url("https://nowhere.invalid/x", resolved=[], allow_private=False)


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700:4700::1111"])
def test_production_accepts_public_targets(address: str) -> None:
    check_url("https://hooks.example.com/anxin", resolved=[address], allow_private=False)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9000/hook", "http://localhost/hook", "http://10.0.0.5/x"])
def test_development_allows_local_targets(url: str) -> None:
    check_url(url, resolved=[], allow_private=True)


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:9/hook", "http://[::1]/hook", "http://169.254.169.254/latest", "http://10.1.1.1/"],
)
async def test_at_send_time_production_refuses_a_private_literal_address(url: str) -> None:
    with pytest.raises(UrlRefused, match="non-public"):
        await refuse_private_target(url)


def test_origin_keeps_scheme_host_and_port_only() -> None:
    assert origin("https://hooks.example.com/a/b?token=x") == "https://hooks.example.com"
    assert origin("http://127.0.0.1:18080/ok/x-1#frag") == "http://127.0.0.1:18080"
    assert origin("https://[2001:db8::1]:8443/p") == "https://[2001:db8::1]:8443"
