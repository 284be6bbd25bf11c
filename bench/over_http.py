"""Load over HTTP with wrk: the production server at a fixed concurrency, and ours against the plain DRF app."""

import json
import os
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

from common import ROOT, production_env

WRK_SCRIPT = """
wrk.method = "{method}"
wrk.body = {body}
wrk.headers["Authorization"] = "Token {token}"
wrk.headers["Content-Type"] = "application/json"
done = function(summary, latency, requests)
  io.write(string.format("RESULT %d %d %d %d %.3f %.3f\\n", summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.duration, latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"""


def shared_cache_url() -> str | None:
    """Production counts request rates in Redis, shared by the workers: the HTTP run does too when Redis answers."""
    url = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except Exception:  # no Redis here: the workers count in their own memory
        return None
    return url


def start_server(env: dict[str, str]) -> subprocess.Popen:
    """The production server (serve.py) with this environment, its output discarded, once it answers (or after
    20 s, when the benchmark's first request tells why)."""
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "serve.py")],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{env['PORT']}/healthz", timeout=1)
            break
        except urllib.error.HTTPError:  # it answers (a 503 while the database is away)
            break
        except OSError:
            time.sleep(0.1)
    return server


def over_http(
    fixtures: dict, database_url: str, workers: int, concurrency: int, seconds: int, cache_url: str | None
) -> dict:
    """The production server with production settings and ``--workers``; wrk in another process at a fixed
    concurrency."""
    port = 8765 + secrets.randbelow(1000)
    env = {**production_env(database_url), "WEB_CONCURRENCY": str(workers), "PORT": str(port)}
    if cache_url:
        env["CACHE_URL"] = cache_url
    server = start_server(env)
    base = f"http://127.0.0.1:{port}"
    try:
        ids, writer = fixtures["course_ids"], fixtures["writer"]
        scenarios = {
            "GET courses (5)": ("GET", f"/api/v1/students/{fixtures['five']}/courses", None),
            "GET courses (50)": ("GET", f"/api/v1/students/{fixtures['fifty']}/courses", None),
            "POST one course (repeat: already enrolled)": (
                "POST",
                f"/api/v1/students/{writer}/courses",
                {"course_id": ids[0]},
            ),
            "PATCH 100 courses (repeat)": ("PATCH", f"/api/v1/students/{writer}/courses", {"course_ids": ids[:100]}),
            "PUT 100 courses (repeat)": ("PUT", f"/api/v1/students/{writer}/courses", {"course_ids": ids[:100]}),
            "GET course students (page 1)": ("GET", f"/api/v1/courses/{ids[0]}/students", None),
        }
        load = {"threads": 2, "connections": concurrency, "seconds": seconds}
        return {
            name: wrk(base, method, path, body, fixtures["token"], **load)
            for name, (method, path, body) in scenarios.items()
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


BASELINE_LOAD = {"threads": 2, "connections": 4}  # the yardstick: wrk -t2 -c4 (-d10s at district scale)


def wrk(
    base: str, method: str, path: str, body: dict | None, token: str, *, threads: int, connections: int, seconds: float
) -> dict:
    """One wrk run; its requests a second, latency percentiles and errors."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT.format(method=method, token=token, body=json.dumps(json.dumps(body)) if body else "nil")
        )
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "-s", script.name, base + path]
    output = subprocess.run(command, capture_output=True, text=True, check=False).stdout
    os.unlink(script.name)
    match = re.search(r"RESULT (\d+) (\d+) (\d+) (\d+) ([\d.]+) ([\d.]+)", output)
    if not match:
        return {"error": output.strip()[-300:]}
    requests, status_errors, socket_errors, duration_us, p50, p99 = match.groups()
    return {
        "p50_ms": float(p50),
        "p99_ms": float(p99),
        "rps": round(int(requests) / (int(duration_us) / 1e6), 1),
        "errors": int(status_errors) + int(socket_errors),
        "requests": int(requests),
    }


def wait_until_up(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            time.sleep(0.1)


def versus_baseline(fixtures: dict, database_url: str, cache_url: str | None, seconds: int) -> dict:
    """Ours (serve.py, production settings, throttling on at a per-minute rate), the plain DRF app
    (bench/baseline.py) and ours again on gunicorn (gthread, 2 threads, keep-alive): ONE worker process each, the
    same load, one after the other: GET 50 courses and PATCH 100 ids that are all there."""
    ids, student = fixtures["course_ids"], fixtures["fifty"]
    patched = fixtures["hundred"]
    scenarios = {
        "GET 50 courses": ("GET", f"/api/v1/students/{student}/courses", None),
        "PATCH 100 ids (all already there)": (
            "PATCH",
            f"/api/v1/students/{patched}/courses",
            {"course_ids": ids[:100]},
        ),
    }
    port = 9765 + secrets.randbelow(200)
    ours_env = {**production_env(database_url), "DJANGO_THROTTLE_USER": "1000000/minute"}
    if cache_url:
        ours_env["CACHE_URL"] = cache_url

    def started(command: list[str], env: dict[str, str], at: int) -> tuple[subprocess.Popen, str]:
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        return subprocess.Popen(command, cwd=ROOT, env=env, **quiet), f"http://127.0.0.1:{at}"

    gunicorn = [sys.executable, "-m", "gunicorn", "-w", "1", "--bind"]
    threaded = ["-k", "gthread", "--threads", "2", "--keep-alive", "5", "config.wsgi:application"]
    servers = {
        "plain DRF": started(
            [*gunicorn, f"127.0.0.1:{port + 1}", "-k", "sync", "bench.baseline:application"],
            {**os.environ, "DATABASE_URL": database_url},
            port + 1,
        ),
        "ours": started(
            [sys.executable, str(ROOT / "serve.py")], {**ours_env, "WEB_CONCURRENCY": "1", "PORT": str(port)}, port
        ),
        # The same application on gunicorn at its best for this load (threads, keep-alive): the server choice.
        "ours on gunicorn": started(
            [*gunicorn, f"127.0.0.1:{port + 2}", *threaded],
            ours_env,
            port + 2,
        ),
    }
    try:
        for _, base in servers.values():
            wait_until_up(f"{base}/api/v1/students/{student}/courses")
        results = {}
        for name, (method, path, body) in scenarios.items():
            row = {}
            for who, (_, base) in servers.items():
                token = fixtures["baseline_token" if who == "plain DRF" else "token"]
                wrk(base, method, path, body, token, threads=1, connections=1, seconds=1)  # warm up
                row[who] = wrk(base, method, path, body, token, **{**BASELINE_LOAD, "seconds": seconds})
            if all("rps" in measured for measured in row.values()):
                row["ratio"] = round(row["ours"]["rps"] / row["plain DRF"]["rps"], 2)
                row["granian vs gunicorn"] = round(row["ours"]["rps"] / row["ours on gunicorn"]["rps"], 2)
            results[name] = row
        return results
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=30)


def markdown_of_baseline(report: dict) -> str:
    lines = [
        f"Against a tuned plain DRF app (bench/baseline.py), one worker each, wrk -t{BASELINE_LOAD['threads']} "
        f"-c{BASELINE_LOAD['connections']} -d{max(report['seconds'], 2)}s, in this run:",
        "",
        "| scenario | plain DRF req/s | ours req/s | ratio | ours p50 ms | plain p50 ms "
        "| ours on gunicorn req/s | granian / gunicorn |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, row in report["baseline"].items():
        ours, plain, other = row["ours"], row["plain DRF"], row["ours on gunicorn"]
        lines.append(
            f"| {name} | {plain.get('rps', plain.get('error'))} | {ours.get('rps', ours.get('error'))} "
            f"| {row.get('ratio', '')} | {ours.get('p50_ms', '')} | {plain.get('p50_ms', '')} "
            f"| {other.get('rps', other.get('error'))} | {row.get('granian vs gunicorn', '')} |"
        )
    return "\n".join(lines)
