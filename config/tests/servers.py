"""Real processes for deployment tests and benchmarks: the production server (serve.py) and Debian's nginx started
with ``deploy/nginx/enrollments.conf`` itself (only its names, ports and paths replaced), on loopback.

Without nginx the proxy tests are skipped, except in CI (``CI=true``), where a missing nginx fails.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "nginx" / "enrollments.conf"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url(settings_dict: dict) -> str:
    """The URL of the database a test runs on, for a server process to use it too."""
    if settings_dict["ENGINE"].endswith("sqlite_backend"):
        return f"sqlite:///{settings_dict['NAME']}"
    user, host, port = settings_dict["USER"], settings_dict["HOST"] or "127.0.0.1", settings_dict["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def production_env(database: str, port: int, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "deployment-test-" * 5,
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": database,
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "DJANGO_LOG_FORMAT": "json",
        **extra,
    }


def answers(url: str, timeout: float = 1, **kwargs) -> int | None:
    """The status ``url`` answers within ``timeout``, or ``None``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout, **kwargs) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def wait_until(predicate, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


class ProductionServer:
    """serve.py (granian) with production settings; its log lines (JSON) in ``log``."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.port, self.log = int(env["PORT"]), log
        self.process = subprocess.Popen(
            [sys.executable, "serve.py"], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT
        )
        if not wait_until(lambda: answers(f"http://127.0.0.1:{self.port}/healthz") is not None):
            self.stop()
            raise RuntimeError(f"serve.py did not start:\n{log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def require_nginx() -> None:
    if not os.path.exists(NGINX):
        message = "nginx is not installed (apt-get install -y nginx)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the proxy tests.")
        pytest.skip(message)


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    cert, key = folder / "cert.pem", folder / "key.pem"
    request = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
    subprocess.run(
        ["openssl", *request, "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", key, "-out", cert],
        check=True,
        capture_output=True,
    )
    return cert, key


class Nginx:
    """Debian's nginx running ``deploy/nginx/enrollments.conf`` in ``folder``: HTTPS on ``https_port``, plain HTTP
    on ``http_port``, in front of the application on ``app_port``, static files from ``static_root``."""

    def __init__(self, folder: Path, *, app_port: int, static_root: Path) -> None:
        self.folder, self.https_port, self.http_port = folder, free_port(), free_port()
        self.cert, key = self_signed_certificate(folder)
        site = SITE.read_text()
        for original, replacement in {
            "127.0.0.1:8000": f"127.0.0.1:{app_port}",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen [::]:80;": "",
            "/etc/ssl/certs/enrollments.example.org.pem": str(self.cert),
            "/etc/ssl/private/enrollments.example.org.key": str(key),
            "/srv/enrollments/staticfiles/": f"{static_root}/",
        }.items():
            assert original in site, f"deploy/nginx/enrollments.conf no longer has {original!r}"
            site = site.replace(original, replacement)
        (folder / "enrollments.conf").write_text(site)
        temp = folder / "temp"
        temp.mkdir()
        (folder / "nginx.conf").write_text(
            f"""
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {folder}/enrollments.conf;
}}
"""
        )
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", "daemon off; user root;"],
            stdout=subprocess.DEVNULL,
            stderr=(folder / "stderr.log").open("wb"),
        )
        if not wait_until(lambda: answers(f"http://127.0.0.1:{self.http_port}/healthz") is not None):
            self.stop()
            raise RuntimeError(f"nginx did not start: {(folder / 'stderr.log').read_text()}")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)
