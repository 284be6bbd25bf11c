"""Where a webhook may be sent, and sending it there.

Outside debugging (``WEBHOOKS_ALLOW_PRIVATE_TARGETS`` false, the production default) a target must resolve only to
public unicast addresses (``is_public``): loopback, private, link-local, site-local, shared, multicast, reserved and
documentation ones are refused, and so is an IPv6 address that carries an IPv4 one (mapped, compatible, 6to4,
Teredo, NAT64) unless the IPv4 address inside is itself public, so that a subscription cannot make the server probe
its own network. A refusal never says what a name resolved to. The address checked is the address connected to
(the connection is pinned to it), so a name that resolves differently a moment later (DNS rebinding) gains nothing.
Redirects are not followed.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

from webhooks.errors import UnsafeTarget

MAX_ANSWER_BYTES = 64 * 1024


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


@dataclass(frozen=True)
class Answer:
    status_code: int | None
    latency_ms: int
    error: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


NAT64 = ipaddress.ip_network("64:ff9b::/96")  # RFC 6052: the well-known prefix, the IPv4 address in the last 32 bits
LOCAL_NAT64 = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use
# IANA's special-purpose blocks that Python's ``is_global`` does not refuse in every version: protocol assignments
# (192.0.0.0/24, some of which it calls global) and the retired 6to4 relay anycast.
SPECIAL = (ipaddress.ip_network("192.0.0.0/24"), ipaddress.ip_network("192.88.99.0/24"))
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")  # deprecated ::a.b.c.d (RFC 4291): refused, like Teredo


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one carries to an IPv4 host (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(text: str) -> bool:
    """Whether deliveries may go to this address: a global unicast one; for an IPv6 address carrying an IPv4 one,
    whether that IPv4 address is."""
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        if (inner := _embedded_ipv4(address)) is not None:
            return is_public(str(inner))
        if address.is_site_local or address.teredo is not None or address in LOCAL_NAT64 or address in IPV4_COMPATIBLE:
            return False
    elif any(address in block for block in SPECIAL):
        return False
    return address.is_global and not (address.is_multicast or address.is_reserved or address.is_unspecified)


def check(url: str) -> None:
    """Raises ``UnsafeTarget`` for a URL deliveries may not go to. Outside production any http(s) URL will do
    (its host need not resolve yet); in production its host must resolve, to public addresses only."""
    _parts(url)
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS:
        resolve(url)


def _parts(url: str):
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as error:
        raise UnsafeTarget("A webhook URL must be an http or https URL with a host.") from error
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UnsafeTarget("A webhook URL must be an http or https URL with a host.")
    return parts


def resolve(url: str) -> Target:
    """The URL's target and the address to connect to; raises ``UnsafeTarget`` for a URL we must not call."""
    parts = _parts(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError) as error:
        raise UnsafeTarget(f"The host {parts.hostname!r} cannot be resolved.") from error
    addresses = [info[4][0] for info in infos]
    if not settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS and not all(is_public(address) for address in addresses):
        raise UnsafeTarget(f"The host {parts.hostname!r} is not a public address; webhooks go to public hosts only.")
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, parts.hostname, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float) -> None:
        super().__init__(target.host, target.port, timeout=timeout, context=ssl.create_default_context())
        self._address = target.address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POSTs ``body`` to ``url``; any failure (refused target, network, timeout) is an answer without a status."""
    started = time.perf_counter()
    elapsed = lambda: round((time.perf_counter() - started) * 1000)  # noqa: E731
    try:
        target = resolve(url)
        kind = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
        connection = kind(target, timeout=settings.WEBHOOKS_TIMEOUT_SECONDS)
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(MAX_ANSWER_BYTES)
            return Answer(status_code=response.status, latency_ms=elapsed())
        finally:
            connection.close()
    except UnsafeTarget as error:
        return Answer(status_code=None, latency_ms=elapsed(), error=error.detail)
    except (OSError, http.client.HTTPException) as error:
        return Answer(status_code=None, latency_ms=elapsed(), error=f"{type(error).__name__}: {error}"[:500])
