"""In production a webhook goes to public hosts only: every non-global address is refused, an IPv6 address carrying
an IPv4 one by the IPv4 address inside, and a refusal never says what a name resolved to (issue #22, finding 4)."""

import socket
from http import HTTPStatus

import pytest

from webhooks import targets
from webhooks.errors import UnsafeTarget

NOT_PUBLIC = [
    "127.0.0.1",
    "10.1.2.3",
    "169.254.169.254",
    "100.64.0.1",  # shared address space (carrier-grade NAT)
    "192.0.0.8",  # IETF protocol assignments
    "192.88.99.1",  # the retired 6to4 relay anycast
    "198.18.0.1",  # benchmarking
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "0.0.0.0",
    "::",
    "::1",
    "fe80::1%2",
    "fec0::1",  # site-local
    "fc00::1",
    "ff02::1",  # multicast
    "2001:db8::1",  # documentation
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b:1::1",  # local-use NAT64
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2002:a00:1::",  # 6to4 of 10.0.0.1
    "::127.0.0.1",  # IPv4-compatible (deprecated)
    "::8.8.8.8",
    "::ffff:127.0.0.1",  # IPv4-mapped
    "::ffff:169.254.169.254",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
]
PUBLIC = ["8.8.8.8", "93.184.216.34", "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::", "::ffff:8.8.8.8"]


@pytest.fixture
def resolving_to(monkeypatch, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    def resolve(*addresses: str) -> None:
        infos = [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, 80)) for a in addresses
        ]
        monkeypatch.setattr(socket, "getaddrinfo", lambda *args, **kwargs: infos)

    return resolve


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_a_host_resolving_to_a_non_public_address_is_refused_without_saying_it(resolving_to, address):
    resolving_to(address)
    with pytest.raises(UnsafeTarget) as refusal:
        targets.check("https://hooks.example.org/in")
    assert address.split("%")[0] not in refusal.value.detail
    assert "hooks.example.org" in refusal.value.detail


@pytest.mark.parametrize("address", PUBLIC)
def test_a_host_resolving_to_a_public_address_is_accepted(resolving_to, address):
    resolving_to(address)
    targets.check("https://hooks.example.org/in")


def test_one_non_public_address_among_public_ones_refuses_the_host(resolving_to):
    resolving_to("8.8.8.8", "10.0.0.7")
    with pytest.raises(UnsafeTarget):
        targets.check("https://hooks.example.org/in")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["http://[64:ff9b::a9fe:a9fe]/", "http://[::127.0.0.1]/", "http://[2002:7f00:1::]/", "http://[fec0::1]/"]
)
def test_staff_cannot_subscribe_an_ipv6_literal_carrying_a_private_address(admin_client, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = admin_client.post(
        "/admin/webhooks/subscription/add/", {"url": url, "description": "", "is_active": "on"}
    )
    assert response.status_code == HTTPStatus.OK  # the form again, with the refusal
    assert "public hosts only" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["http://224.0.0.1/", "http://239.255.255.250:1900/", "http://2130706433/"])
def test_the_api_refuses_multicast_and_numeric_forms_of_loopback(api_client, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = api_client.post("/api/v1/webhooks", {"url": url}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
