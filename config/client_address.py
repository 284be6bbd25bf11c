"""Who the client is: the socket's address, unless the request came through a proxy we were told to trust.

Anyone can send ``X-Forwarded-For`` or ``X-Forwarded-Proto``; only a proxy of ours can be believed when it does.
``DJANGO_TRUSTED_PROXIES`` names those proxies' addresses or networks (none by default). When the connection comes
from one of them, the client is the right-most ``X-Forwarded-For`` entry that is not itself a trusted proxy (each
proxy appends the address it saw; entries further left are whatever the client wrote), and ``X-Forwarded-Proto``
stands. Otherwise every forwarding header is removed before anything reads it.

``TrustedProxyMiddleware`` runs first and writes the answer into ``REMOTE_ADDR``, so that everything after it (the
request rates of DRF's throttles and OneRoster's, django-axes' lock-outs, the access log, Django's ``is_secure``)
sees one and the same client address. Hand-written with the standard library's ``ipaddress``: django-ipware guesses
among many headers by default, which is the opposite of what is needed here.
"""

import ipaddress
from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

FORWARDING_HEADERS = (
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
)
MAX_HOPS = 16  # forwarded entries looked at, from the right


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def networks(values: Iterable[str]) -> tuple[Network, ...]:
    """The trusted proxies' networks (an address is a network of one)."""
    return tuple(ipaddress.ip_network(value.strip(), strict=False) for value in values if value.strip())


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("["):  # [2001:db8::1]:443
        text = text[1:].partition("]")[0]
    elif text.count(":") == 1:  # 203.0.113.7:443
        text = text.partition(":")[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    return address.ipv4_mapped or address if isinstance(address, ipaddress.IPv6Address) else address


def _trusted(address, trusted: tuple[Network, ...]) -> bool:
    return address is not None and any(address in network for network in trusted)


def client_address(meta: dict, trusted: tuple[Network, ...]) -> str:
    """The client's address from the WSGI environ of a request whose forwarding headers may be believed only if
    ``REMOTE_ADDR`` is a trusted proxy."""
    remote = meta.get("REMOTE_ADDR", "")
    if not trusted or not _trusted(_address(remote), trusted):
        return remote
    client = remote
    for entry in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")[-MAX_HOPS:]):
        address = _address(entry)
        if address is None:
            break  # not an address: the proxy before it wrote nonsense; keep the last one we can believe
        client = str(address)
        if not _trusted(address, trusted):
            break
    return client


class TrustedProxyMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address and removes forwarding headers nobody trusted set."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.trusted = networks(settings.TRUSTED_PROXIES)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        meta = request.META
        if self.trusted and _trusted(_address(meta.get("REMOTE_ADDR", "")), self.trusted):
            meta["REMOTE_ADDR"] = client_address(meta, self.trusted)
        else:
            for header in FORWARDING_HEADERS:
                meta.pop(header, None)
        return self.get_response(request)


def request_client_address(request: HttpRequest) -> str:
    """The client's address of a request that went through the middleware (django-axes' ``CLIENT_IP_CALLABLE``)."""
    return request.META.get("REMOTE_ADDR", "")
