"""gunicorn settings, read from the environment (`make serve` uses this file)."""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
# One thread per worker: a request is mostly Python CPU, so more threads in a process only queue for the GIL (on
# the benchmark, 4 threads doubled the p99 at the same throughput). Scale with WEB_CONCURRENCY instead.
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 20
# No keep-alive by default: the TLS proxy in front opens the connections, and a kept-alive connection is tied to
# one worker, so a few busy clients can leave one worker idle while the other queues their requests.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "0"))
# Workers are forked from a master that has already loaded Django, so a worker recycled after max_requests is
# serving again in milliseconds instead of re-importing everything while the others take its load.
preload_app = True
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = 500
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for stdout
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
wsgi_app = "config.wsgi:application"
