"""Production behind Debian's nginx (deploy/nginx/enrollments.conf, as shipped): slow clients cannot tie up the
application's threads, the application sees the real client's address and HTTPS, static files come from disk, and
token floods are answered by nginx (issue #22, findings 6, 3 and 2). The first test shows the attack working
without the proxy."""

import http.client
import json
import os
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http import HTTPStatus

import pytest
from django.db import connection

from config.tests.servers import (
    ROOT,
    Nginx,
    ProductionServer,
    answers,
    database_url,
    free_port,
    production_env,
    require_nginx,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.proxy]
SLOW_CLIENTS = 8


@pytest.fixture(scope="module")
def static_root():
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_DEBUG": "false", "DJANGO_SECRET_KEY": "collect-" * 8},
        check=True,
    )
    return ROOT / "staticfiles"


@pytest.fixture
def app(tmp_path, static_root):
    port = free_port()
    env = production_env(database_url(connection.settings_dict), port, DJANGO_TRUSTED_PROXIES="127.0.0.1")
    server = ProductionServer(env, tmp_path / "app.log")
    yield server
    server.stop()


@pytest.fixture
def nginx(tmp_path, app, static_root):
    require_nginx()
    (tmp_path / "nginx").mkdir()
    proxy = Nginx(tmp_path / "nginx", app_port=app.port, static_root=static_root)
    yield proxy
    proxy.stop()


def slow_bodies(port: int, count: int, tls_cert=None) -> list[socket.socket]:
    """``count`` connections that each announce a 100 KB token request and send ten bytes of it (over HTTPS, or
    saying so: the application, trusting 127.0.0.1, would otherwise redirect them to HTTPS unread)."""
    opened = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port))
        if tls_cert:
            sock = ssl.create_default_context(cafile=str(tls_cert)).wrap_socket(sock, server_hostname="localhost")
        sock.sendall(
            b"POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            b"X-Forwarded-Proto: https\r\nContent-Length: 100000\r\n\r\ngrant_type"
        )
        opened.append(sock)
    time.sleep(0.5)  # the server has them in hand
    return opened


def https(nginx: Nginx) -> dict:
    return {"context": ssl.create_default_context(cafile=str(nginx.cert))}


def access_lines(app: ProductionServer) -> list[dict]:
    lines = [json.loads(line) for line in app.log.read_text().splitlines() if line.startswith("{")]
    return [line for line in lines if line.get("logger") == "enrollments.access"]


def test_without_the_proxy_a_few_slow_bodies_block_the_server(app):
    held = slow_bodies(app.port, SLOW_CLIENTS)
    try:
        assert answers(f"http://127.0.0.1:{app.port}/healthz", timeout=3) is None
    finally:
        for sock in held:
            sock.close()


def test_behind_nginx_slow_bodies_do_not_block_the_server(nginx):
    held = slow_bodies(nginx.https_port, SLOW_CLIENTS * 4, tls_cert=nginx.cert)
    try:
        status = answers(f"https://localhost:{nginx.https_port}/healthz", timeout=2, **https(nginx))
        assert status == HTTPStatus.OK
    finally:
        for sock in held:
            sock.close()


def test_behind_nginx_the_application_sees_the_clients_address_not_what_it_claims(nginx, app):
    client = http.client.HTTPSConnection(
        "localhost", nginx.https_port, source_address=("127.0.0.2", 0), timeout=5, **https(nginx)
    )
    client.request("GET", "/api/v1/", headers={"X-Forwarded-For": "203.0.113.66"})
    assert client.getresponse().status == HTTPStatus.UNAUTHORIZED
    (line,) = [line for line in access_lines(app) if line["path"] == "/api/v1/"]
    assert line["client"] == "127.0.0.2"


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_behind_nginx_https_is_recognised_and_plain_http_redirected(nginx):
    assert answers(f"https://localhost:{nginx.https_port}/admin/login/", **https(nginx)) == HTTPStatus.OK
    plain = urllib.request.build_opener(NoRedirect).open
    with pytest.raises(urllib.error.HTTPError) as redirect:
        plain(f"http://127.0.0.1:{nginx.http_port}/admin/login/", timeout=2)
    assert redirect.value.code == HTTPStatus.MOVED_PERMANENTLY


def test_behind_nginx_static_files_are_served_from_disk(nginx, app):
    assert answers(f"https://localhost:{nginx.https_port}/static/admin/css/base.css", **https(nginx)) == HTTPStatus.OK
    assert not [line for line in access_lines(app) if line["path"].startswith("/static/")]


def test_behind_nginx_a_token_flood_from_one_address_is_answered_by_nginx(nginx, app):
    statuses = []
    for _ in range(40):
        request = urllib.request.Request(
            f"https://localhost:{nginx.https_port}/oauth/token",
            data=b"grant_type=client_credentials&client_id=x&client_secret=y",
            method="POST",
        )
        statuses.append(answers(request, **https(nginx)))
    reached = [line for line in access_lines(app) if line["path"] == "/oauth/token"]
    assert HTTPStatus.TOO_MANY_REQUESTS in statuses
    assert len(reached) <= 12  # the burst (10) and the rate's trickle; the rest never reached Python


def chunked_token_request(port: int, tls_cert=None) -> int:
    """A token request whose body (``grant_type=client_credentials``) is sent chunked; the answer's status."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    if tls_cert:
        sock = ssl.create_default_context(cafile=str(tls_cert)).wrap_socket(sock, server_hostname="localhost")
    body = b"grant_type=client_credentials&client_id=nobody&client_secret=x"
    sock.sendall(
        b"POST /oauth/token HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        b"X-Forwarded-Proto: https\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        + f"{len(body):x}\r\n".encode()
        + body
        + b"\r\n0\r\n\r\n"
    )
    status_line = sock.makefile("rb").readline()
    sock.close()
    return int(status_line.split()[1])


def test_a_chunked_body_is_refused_by_the_application_and_read_by_nginx(nginx, app):
    assert chunked_token_request(app.port) == HTTPStatus.LENGTH_REQUIRED
    assert chunked_token_request(nginx.https_port, tls_cert=nginx.cert) == HTTPStatus.UNAUTHORIZED  # read: no client
