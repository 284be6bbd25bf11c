"""A real receiver on loopback and real worker processes (``manage.py db_worker``) against the test database."""

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from standardwebhooks import Webhook

ROOT = Path(settings.BASE_DIR)
WORKER_SETTINGS = {
    "WEBHOOKS_LEASE_SECONDS": "2",
    "WEBHOOKS_RETRY_SCHEDULE": "0.2,0.2,0.4,0.4",
    "WEBHOOKS_ALLOW_PRIVATE_TARGETS": "true",
}


@dataclass
class Delivery:
    message_id: str
    body: dict
    received_at: float
    verified: bool


@dataclass
class Receiver:
    """Records every request; ``answer(number)`` says what to answer the n-th one (from 1): a status, after an
    optional pause in seconds."""

    url: str = ""
    secret: str = ""
    deliveries: list[Delivery] = field(default_factory=list)
    requests: int = 0
    answer: Callable[[int], tuple[int, float]] = lambda number: (200, 0.0)
    arrived: threading.Event = field(default_factory=threading.Event)

    def ids(self) -> list[str]:
        return [d.message_id for d in self.deliveries]

    def wait_for(self, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len({d.message_id for d in self.deliveries if d.verified}) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(set(self.ids()))} of {count} deliveries arrived in {timeout} s")
            time.sleep(0.02)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver()
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            with lock:
                state.requests += 1
                number = state.requests
                try:
                    Webhook(state.secret).verify(body, dict(self.headers))
                    verified = True
                except Exception:
                    verified = False
                status, pause = state.answer(number)
                delivery = Delivery(self.headers["webhook-id"], json.loads(body), time.monotonic(), verified)
                if status < 300:  # recorded as received only when the answer says so
                    state.deliveries.append(delivery)
            state.arrived.set()
            time.sleep(pause)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def database_url_of_the_tests() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@dataclass
class Workers:
    processes: list[subprocess.Popen] = field(default_factory=list)

    def start(self) -> subprocess.Popen:
        env = {
            **os.environ,
            **WORKER_SETTINGS,
            "DATABASE_URL": database_url_of_the_tests(),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        process = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.05", "--no-startup-delay"],
            cwd=ROOT,
            env=env,
        )
        self.processes.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)


@pytest.fixture
def workers() -> Iterator[Workers]:
    started = Workers()
    yield started
    for process in started.processes:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
