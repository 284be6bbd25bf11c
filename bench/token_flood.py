"""Wrong secrets flooding /oauth/token must not slow the API (`make bench-token-flood`; CI runs it).

Each wrong secret for a real client costs a PBKDF2 check (about a quarter of a second of CPU). The production server
(serve.py: granian, production settings, 2 workers, request rates in Redis when it answers) serves a small seeded
database, behind Debian's nginx with deploy/nginx/enrollments.conf as production runs it, and also reached directly;
for each, one API client reads a student's courses, one request after another, for ``SECONDS``: first alone (idle),
then while four connections (wrk) post wrong secrets for a registered client to /oauth/token as fast as they are
answered. Prints both latency distributions and what the flood was answered; fails unless, behind the proxy, the
API's p99 under the flood stays within ``--max-ratio`` (2) times its idle p99 with the guesses slowed to nginx's rate,
and unless, without the proxy, the application refused the flood with 429 and Retry-After itself. wrk runs at the
lowest CPU priority (nice 19): a real flood's sender is another machine, and what it spends is not the server's.
"""

import argparse
import base64
import http.client
import json
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import ensure_database, production_env, small_school  # noqa: E402
from over_http import shared_cache_url, start_server  # noqa: E402

DATABASE_URL = os.environ.get("FLOOD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/enrollments_flood")
PORT, SECONDS, FLOODERS = 8794, 10, 4
MAX_PACED = 10 + 20 + 10  # nginx answers 10 at once, holds 20, and lets 20 a minute through (the flood lasts ~13 s)
FLOOD_SCRIPT = """
wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Authorization"] = "Basic {credentials}"
done = function(summary, latency, requests)
  io.write(string.format("REQUESTS %d\\n", summary.requests))
end
"""


def setup() -> dict:
    token = small_school(DATABASE_URL, students=50, courses=10, seed=3, username="flood")
    from oneroster.auth import CORE
    from oneroster.clients import register_client
    from students.models import Student

    application, _ = register_client(name="Flooded vendor", scopes=[CORE])
    return {
        "token": token,
        "student": Student.objects.order_by("id").values_list("id", flat=True).first(),
        "client_id": application.client_id,
    }


@dataclass(frozen=True)
class Target:
    """Where requests go: the application itself, or nginx in front of it (HTTPS, its own certificate)."""

    name: str
    port: int
    cert: Path | None = None

    def connection(self) -> http.client.HTTPConnection:
        if self.cert is None:
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        context = ssl.create_default_context(cafile=str(self.cert))
        return http.client.HTTPSConnection("localhost", self.port, timeout=30, context=context)

    def url(self, path: str) -> str:
        return f"{'https' if self.cert else 'http'}://localhost:{self.port}{path}"


def api_latencies(target: Target, token: str, student: int, seconds: float) -> list[float]:
    """One client, one request after another on a kept-alive connection: each GET's time in ms."""
    connection = target.connection()
    headers = {"Authorization": f"Token {token}"}
    timings, end = [], time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.perf_counter()
        connection.request("GET", f"/api/v1/students/{student}/courses", headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"the API answered {response.status} during the benchmark")
        timings.append((time.perf_counter() - started) * 1000)
    connection.close()
    return timings


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def flood(target: Target, client_id: str, seconds: float, answers: dict) -> None:
    credentials = base64.b64encode(f"{client_id}:a-wrong-secret".encode()).decode()
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(FLOOD_SCRIPT.format(credentials=credentials))
    command = [
        "nice",
        "-n",
        "19",
        "wrk",
        "-t1",
        f"-c{FLOODERS}",
        f"-d{seconds}s",
        "-s",
        script.name,
        target.url("/oauth/token"),
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    os.unlink(script.name)
    found = re.search(r"REQUESTS (\d+)", output)
    answers["requests"] = int(found[1]) if found else 0
    refused = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    answers["not_2xx"] = int(refused[1]) if refused else 0


def one_more_wrong_secret(target: Target, client_id: str) -> dict:
    """After the flood: how one more wrong secret is answered."""
    credentials = base64.b64encode(f"{client_id}:a-wrong-secret".encode()).decode()
    connection = target.connection()
    connection.request(
        "POST",
        "/oauth/token",
        body="grant_type=client_credentials",
        headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    return {"status": response.status, "retry_after": response.getheader("Retry-After")}


def summary(timings: list[float]) -> dict:
    return {
        "requests": len(timings),
        "p50_ms": round(percentile(timings, 0.5), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
    }


def measure(target: Target, fixtures: dict, seconds: float, flush) -> dict:
    flush()  # no request counts left from an earlier phase
    api_latencies(target, fixtures["token"], fixtures["student"], 2)  # warm up
    idle = api_latencies(target, fixtures["token"], fixtures["student"], seconds)
    answers: dict = {}
    flooding = threading.Thread(target=flood, args=(target, fixtures["client_id"], seconds + 2, answers))
    flooding.start()
    time.sleep(1)
    flooded = api_latencies(target, fixtures["token"], fixtures["student"], seconds)
    flooding.join()
    answers["then_one_more"] = one_more_wrong_secret(target, fixtures["client_id"])
    result = {"idle": summary(idle), "under_flood": summary(flooded), "flood": answers}
    result["p99_ratio"] = round(result["under_flood"]["p99_ms"] / result["idle"]["p99_ms"], 2)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=SECONDS)
    parser.add_argument("--max-ratio", type=float, default=2.0)
    args = parser.parse_args()
    ensure_database(DATABASE_URL)
    fixtures = setup()
    from config.tests.servers import Nginx, require_nginx

    require_nginx()
    env = {**production_env(DATABASE_URL), "WEB_CONCURRENCY": "2", "PORT": str(PORT)}
    env.update({"DJANGO_THROTTLE_USER": "1000000/minute", "DJANGO_TRUSTED_PROXIES": "127.0.0.1"})
    flush = lambda: None  # noqa: E731
    if cache_url := shared_cache_url():
        import redis

        env["CACHE_URL"] = cache_url
        flush = redis.Redis.from_url(cache_url).flushdb
    server = start_server(env)
    work = Path(tempfile.mkdtemp(prefix="token-flood-"))
    nginx = None
    try:
        nginx = Nginx(work, app_port=PORT, static_root=ROOT / "staticfiles")
        report = {
            "behind nginx (production)": measure(
                Target("nginx", nginx.https_port, nginx.cert), fixtures, args.seconds, flush
            ),
            "the application alone": measure(Target("direct", PORT), fixtures, args.seconds, flush),
            "cache": "redis" if cache_url else "process memory",
        }
    finally:
        if nginx:
            nginx.stop()
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    print(json.dumps(report, indent=2))
    problems = []
    behind = report["behind nginx (production)"]
    if behind["p99_ratio"] > args.max_ratio:
        problems.append(
            f"behind nginx the API's p99 under the flood is {behind['p99_ratio']} x idle (at most {args.max_ratio})"
        )
    paced = behind["flood"]["requests"]
    if paced > MAX_PACED:
        problems.append(f"behind nginx {paced} wrong secrets were answered; the rate and burst allow {MAX_PACED}")
    after = report["the application alone"]["flood"]["then_one_more"]
    if after["status"] != 429 or not after["retry_after"]:
        problems.append(f"without nginx a wrong secret after the flood was answered {after}, not 429 + Retry-After")
    alone = report["the application alone"]["p99_ratio"]
    print(
        "\n".join(problems)
        if problems
        else f"the API's p99 under the flood: {behind['p99_ratio']} x idle behind nginx ({paced} guesses answered), "
        f"{alone} x idle without it (refused with 429)"
    )
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
