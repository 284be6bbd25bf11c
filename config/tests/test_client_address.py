"""The client's address is the socket's unless a trusted proxy forwarded the request: rates, lock-outs and logs
cannot be escaped by writing X-Forwarded-For (issue #22, finding 3)."""

import logging
from http import HTTPStatus

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config import throttling
from config.client_address import TrustedProxyMiddleware, client_address, networks
from oneroster.auth import ClientRateThrottle

pytestmark = pytest.mark.django_db
RATES = {"user": "1000/minute", "anon": "5/minute"}


@pytest.fixture
def five_a_minute(monkeypatch):
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", RATES)
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", RATES)


def statuses(client, path: str, forwarded_for: list[str], **headers) -> list[int]:
    return [client.get(path, HTTP_X_FORWARDED_FOR=ip, **headers).status_code for ip in forwarded_for]


def test_a_client_rotating_x_forwarded_for_is_limited_by_its_socket_address(anonymous_client, five_a_minute):
    answers = statuses(anonymous_client, "/api/v1/", [f"198.51.100.{n}" for n in range(8)])
    assert answers == [HTTPStatus.UNAUTHORIZED] * 5 + [HTTPStatus.TOO_MANY_REQUESTS] * 3


def test_behind_a_trusted_proxy_each_forwarded_client_has_its_own_rate(anonymous_client, five_a_minute, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    first = statuses(anonymous_client, "/api/v1/", ["198.51.100.1"] * 6)
    second = statuses(anonymous_client, "/api/v1/", ["198.51.100.2"])
    assert first == [HTTPStatus.UNAUTHORIZED] * 5 + [HTTPStatus.TOO_MANY_REQUESTS]
    assert second == [HTTPStatus.UNAUTHORIZED]


def test_a_client_cannot_name_itself_through_a_trusted_proxy(anonymous_client, five_a_minute, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    spoofed = [f"203.0.113.{n}, 198.51.100.1" for n in range(6)]  # the proxy appended what it saw
    assert statuses(anonymous_client, "/api/v1/", spoofed)[-1] == HTTPStatus.TOO_MANY_REQUESTS


def test_oneroster_counts_requests_before_authentication_by_the_socket_address(anonymous_client, monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"oneroster": "3/minute"})
    answers = statuses(anonymous_client, "/ims/oneroster/rostering/v1p2/orgs", [f"198.51.100.{n}" for n in range(4)])
    assert answers == [HTTPStatus.UNAUTHORIZED] * 3 + [HTTPStatus.TOO_MANY_REQUESTS]


def test_admin_lock_outs_are_counted_by_the_socket_address(client, superuser, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            "/admin/login/", {"username": superuser.username, "password": "wrong"}, HTTP_X_FORWARDED_FOR=f"::{n}"
        )
    locked = client.post(
        "/admin/login/",
        {"username": superuser.username, "password": "a-long-test-password"},
        HTTP_X_FORWARDED_FOR="::9",
    )
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS


def test_the_access_log_names_the_client_a_trusted_proxy_forwarded(anonymous_client, caplog, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.0/8"]
    with caplog.at_level(logging.INFO, logger="enrollments.access"):
        anonymous_client.get("/healthz", HTTP_X_FORWARDED_FOR="198.51.100.7, 127.0.0.2")
        anonymous_client.get("/healthz", HTTP_X_FORWARDED_FOR="198.51.100.8", REMOTE_ADDR="192.0.2.1")
    assert [r.client for r in caplog.records if r.name == "enrollments.access"] == ["198.51.100.7", "192.0.2.1"]


def seen_by_the_app(remote: str, trusted: list[str], **headers) -> dict:
    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)
    seen = {}

    def app(request):
        seen.update(request.META)
        return HttpResponse()

    middleware = TrustedProxyMiddleware(app)
    middleware.trusted = networks(trusted)
    middleware(request)
    return seen


def test_forwarding_headers_from_an_untrusted_peer_are_removed():
    seen = seen_by_the_app("192.0.2.1", ["10.0.0.1"], HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_FORWARDED_PROTO="https")
    assert seen["REMOTE_ADDR"] == "192.0.2.1"
    assert "HTTP_X_FORWARDED_FOR" not in seen
    assert "HTTP_X_FORWARDED_PROTO" not in seen


def test_a_trusted_proxys_forwarded_protocol_stands():
    seen = seen_by_the_app("10.0.0.1", ["10.0.0.1"], HTTP_X_FORWARDED_FOR="1.2.3.4", HTTP_X_FORWARDED_PROTO="https")
    assert (seen["REMOTE_ADDR"], seen["HTTP_X_FORWARDED_PROTO"]) == ("1.2.3.4", "https")


@pytest.mark.parametrize(
    ("remote", "forwarded", "trusted", "client"),
    [
        ("192.0.2.1", "1.2.3.4", [], "192.0.2.1"),
        ("192.0.2.1", "1.2.3.4", ["10.0.0.0/8"], "192.0.2.1"),
        ("10.0.0.1", "1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.1", "6.6.6.6, 1.2.3.4, 10.0.0.2", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.1", "1.2.3.4:5678", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.1", "[2001:db8::7]:443", ["10.0.0.0/8"], "2001:db8::7"),
        ("10.0.0.1", "::ffff:1.2.3.4", ["10.0.0.0/8"], "1.2.3.4"),
        ("10.0.0.1", "1.2.3.4, not-an-address", ["10.0.0.0/8"], "10.0.0.1"),
        ("10.0.0.1", "", ["10.0.0.0/8"], "10.0.0.1"),
        ("10.0.0.1", "10.0.0.3, 10.0.0.2", ["10.0.0.0/8"], "10.0.0.3"),
    ],
)
def test_the_client_is_the_right_most_forwarded_address_that_is_no_trusted_proxy(remote, forwarded, trusted, client):
    meta = {"REMOTE_ADDR": remote, "HTTP_X_FORWARDED_FOR": forwarded}
    assert client_address(meta, networks(trusted)) == client
