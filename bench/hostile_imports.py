"""Hostile imports, measured (`make bench-hostile-imports`): each file of the imports issue's table, made here, run as
an import job by the worker's own code (``jobs.run_import``) in a child process (its outcome, its report's size and
the child's peak memory); then the production server (serve.py, one worker process) while three 100 MB uploads
arrive: the API's p99 beside its p99 idle, and the server's peak memory.

    python bench/hostile_imports.py            # a database of its own (BENCH_DATABASE_URL's server)
"""

import http.client
import json
import os
import secrets
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

from common import DEFAULT_URL, ROOT, child, ensure_database, production_env, small_school
from over_http import start_server

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL) + "_hostile"
MANIFEST = "propertyName,value\noneroster.version,1.2\nfile.users,bulk\n"
USERS = "sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName,email\n"
RUN_A_JOB = """
import json
from django.db import transaction
from oneroster import jobs
with open({path!r}, "rb") as upload, transaction.atomic():
    job = jobs.submit(kind="oneroster", upload=upload, dry_run=False, options={{}}, user=None)
jobs.run_import.call(job.pk)
job.refresh_from_db()
print(json.dumps({{"status": job.status, "problems": job.report.get("problem_count", 0),
                  "report_bytes": len(json.dumps(job.report)), "first": (job.report.get("problems") or [""])[0]}}))
"""
PORT, SECONDS, UPLOAD_MB = 8796, 5, 95  # just under API_MAX_UPLOAD_BYTES (100 MiB)


def _bundle(path: Path, users, *, stored: bool = False) -> Path:
    """A bundle whose users.csv is the header and then the chunks ``users`` yields, written as they come (this
    process stays small: a child forked from it would count its memory as the child's own peak)."""
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method, compresslevel=9) as archive:
        archive.writestr("manifest.csv", MANIFEST)
        with archive.open("users.csv", "w", force_zip64=True) as entry:
            entry.write(USERS.encode())
            for chunk in users:
                entry.write(chunk)
    return path


def _repeated(chunk: bytes, total: int):
    for _ in range(total // len(chunk)):
        yield chunk


def _rows(make, count: int, per_chunk: int = 10_000):
    for start in range(0, count, per_chunk):
        yield "".join(make(i) for i in range(start, min(start + per_chunk, count))).encode()


def hostile_files(folder: Path) -> dict[str, Path]:
    commas = b"," * 1_000_000
    return {
        "50 MB of commas in users.csv": _bundle(folder / "c50.zip", _repeated(commas, 50_000_000)),
        "400 MB of commas": _bundle(folder / "c400.zip", _repeated(commas, 400_000_000)),
        "1,000,000 bad rows": _bundle(folder / "bad.zip", _rows(lambda i: f"x{i},,,,,a,b,\n", 1_000_000)),
        "300,000 rows with a 1,000-character bad sourcedId": _bundle(
            folder / "long.zip", _rows(lambda i: f"{'9' * 1000},,,,,a,b,\n", 300_000)
        ),
        "the same, 20,000 rows, each sourcedId random (no zip bomb)": _bundle(
            folder / "random.zip", _rows(lambda i: f"{secrets.token_hex(500)},,,,,a,b,\n", 20_000)
        ),
    }


def worker_runs(folder: Path) -> list[dict]:
    env = production_env(DATABASE_URL)
    results = []
    for name, path in hostile_files(folder).items():
        run = child(["shell", "-c", RUN_A_JOB.format(path=str(path))], env)
        said = json.loads(run["summary"]) if "summary" in run else {"error": run["error"][-300:]}
        results.append({"file": name, "zip_kb": round(path.stat().st_size / 1024), **run, **said})
    return results


def _descendants(pid: int) -> list[int]:
    children = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                continue
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        found.append(current := todo.pop())
        todo += children.get(current, [])
    return found


def _peak_mb(pid: int) -> float:
    """The largest peak resident set (VmHWM) among the server's processes."""
    peaks = []
    for process in _descendants(pid):
        try:
            status = Path(f"/proc/{process}/status").read_text()
        except OSError:
            continue
        peaks += [int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM")]
    return round(max(peaks), 1)


def _latencies(token: str, until: threading.Event) -> list[float]:
    connection, timings = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60), []
    while not until.is_set():
        started = time.perf_counter()
        connection.request("GET", "/api/v1/courses", headers={"Authorization": f"Token {token}"})
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def _upload(path: Path, token: str, statuses: list) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=300)
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/zip"}
    headers["Content-Length"] = str(path.stat().st_size)
    with path.open("rb") as body:
        connection.request("POST", "/api/v1/imports?dry_run=true", body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    statuses.append(response.status)


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))], 1)


def under_uploads(folder: Path, token: str) -> dict:
    row = b"00000000-0000-4000-8000-000000000000,,,,,given,family,someone@example.org\n" * 10_000
    big = _bundle(folder / "big.zip", _repeated(row, UPLOAD_MB * 1024 * 1024), stored=True)
    env = {**production_env(DATABASE_URL), "WEB_CONCURRENCY": "1", "PORT": str(PORT)}
    server = start_server(env)
    try:
        stop = threading.Event()
        threading.Timer(SECONDS, stop.set).start()
        idle = _latencies(token, stop)
        statuses: list[int] = []
        uploads = [threading.Thread(target=_upload, args=(big, token, statuses)) for _ in range(3)]
        stop, started = threading.Event(), time.perf_counter()
        for upload in uploads:
            upload.start()
        waiter = threading.Thread(target=lambda: ([u.join() for u in uploads], stop.set()))
        waiter.start()
        during = _latencies(token, stop)
        seconds = time.perf_counter() - started
        return {
            "upload_mb": round(big.stat().st_size / 1e6, 1),
            "uploads_s": round(seconds, 2),
            "statuses": statuses,
            "idle_p99_ms": p99(idle),
            "during_p99_ms": p99(during),
            "during_requests": len(during),
            "server_peak_mb": _peak_mb(server.pid),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    ensure_database(DATABASE_URL)
    token = small_school(DATABASE_URL, students=50, courses=10, seed=5, username="hostile")
    from django.db import connection

    connection.close()
    with tempfile.TemporaryDirectory() as folder:
        print("Hostile files as import jobs (the worker's code, a child process):\n")
        print("| file | zip KB | outcome | problems | report bytes | seconds | peak MB |")
        print("| --- | ---: | --- | ---: | ---: | ---: | ---: |")
        for r in worker_runs(Path(folder)):
            print(
                f"| {r['file']} | {r['zip_kb']} | {r.get('status', r.get('error'))}: {r.get('first', '')[:90]} "
                f"| {r.get('problems', '')} | {r.get('report_bytes', '')} | {r.get('seconds')} | {r.get('peak_mb')} |"
            )
        web = under_uploads(Path(folder), token)
        print(
            f"\nThree {web['upload_mb']} MB uploads at once ({web['statuses']}, {web['uploads_s']} s): GET "
            f"/api/v1/courses p99 {web['during_p99_ms']} ms ({web['during_requests']} requests) against "
            f"{web['idle_p99_ms']} ms idle; the server's peak memory {web['server_peak_mb']} MB."
        )


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
