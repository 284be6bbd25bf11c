"""The production HTTP server: granian in WSGI mode, its settings read from the environment (`make serve`).

Chosen over gunicorn by measurement (README, "Performance"): granian parses HTTP and keeps connections alive in
native code, so a worker spends its Python time on the application. Each worker runs ``WEB_THREADS`` threads (2 by
default): while one waits for PostgreSQL or Redis another runs Python, which on the benchmark gave about 15 % more
requests a second than one thread, and more threads nothing more. Scale with ``WEB_CONCURRENCY`` (processes).

    python serve.py                     # HOST, PORT, WEB_CONCURRENCY, WEB_THREADS, WEB_WORKER_LIFETIME
"""

import multiprocessing
import os

from granian import Granian
from granian.constants import Interfaces


def server() -> Granian:
    lifetime = int(os.environ.get("WEB_WORKER_LIFETIME", "0"))
    return Granian(
        "config.wsgi:application",
        interface=Interfaces.WSGI,
        address=os.environ.get("HOST", "127.0.0.1"),
        port=int(os.environ.get("PORT", "8000")),
        workers=int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count())),
        blocking_threads=int(os.environ.get("WEB_THREADS", "2")),
        websockets=False,
        respawn_failed_workers=True,  # a worker that dies is replaced
        workers_lifetime=lifetime or None,  # seconds before a worker is replaced by a fresh one (0: never)
        workers_kill_timeout=int(os.environ.get("WEB_KILL_TIMEOUT", "20")),  # graceful stop, then killed
        log_level=os.environ.get("WEB_LOG_LEVEL", "warning"),  # requests are logged by the application
        log_access=False,
    )


if __name__ == "__main__":
    server().serve()
