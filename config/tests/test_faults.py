"""Faults, for real: the database goes away under the running production server (serve.py), and comes back.

The server reaches PostgreSQL through a TCP proxy that the test cuts and restores. (PostgreSQL only: on SQLite there
is no connection to lose; the PostgreSQL run is the proof.)
"""

import contextlib
import os
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from config.tests.servers import free_port, wait_until
from conftest import token_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


class Proxy:
    """Forwards a local port to PostgreSQL until stopped; stopping drops every connection through it."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target, self.port, self.sockets, self.listener = target, 0, [], None

    def start(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.port = self.listener.getsockname()[1]
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        for sock in [self.listener, *self.sockets]:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.sockets = []

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self.sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass


def get(url: str, token: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"Token {token}"} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite has no connection to lose")
def test_a_lost_database_gives_503_problems_and_the_server_recovers_by_itself():
    token = token_for(User.objects.create_superuser("ops", "ops@school.example", "pw-pw-pw-pw"))
    settings = connection.settings_dict
    proxy = Proxy((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    proxy.start()
    server_port = free_port()
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "fault-test-" * 6,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres://{settings['USER']}@127.0.0.1:{proxy.port}/{settings['NAME']}",
        "DB_CONNECT_TIMEOUT": "2",
        "WEB_CONCURRENCY": "1",
        "PORT": str(server_port),
    }
    server = subprocess.Popen(
        [sys.executable, "serve.py"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{server_port}"
    try:
        assert wait_until(lambda: _up(base)), "the server did not start"
        assert get(f"{base}/api/v1/students/", token)[0] == HTTPStatus.OK

        proxy.stop()
        status, _, _ = get(f"{base}/healthz")
        assert status == HTTPStatus.SERVICE_UNAVAILABLE
        status, content_type, body = get(f"{base}/api/v1/students/", token)
        assert (status, content_type) == (HTTPStatus.SERVICE_UNAVAILABLE, "application/problem+json")
        assert b"service_unavailable" in body
        assert b"Traceback" not in body

        proxy.start()
        assert wait_until(lambda: get(f"{base}/healthz")[0] == HTTPStatus.OK), "no recovery"
        assert get(f"{base}/api/v1/students/", token)[0] == HTTPStatus.OK
    finally:
        server.terminate()
        server.wait(timeout=20)
        proxy.stop()


def _up(base: str) -> bool:
    try:
        return get(f"{base}/healthz")[0] == HTTPStatus.OK
    except OSError:
        return False
