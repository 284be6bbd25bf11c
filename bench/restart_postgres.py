"""PostgreSQL restarted under load (`make fault-restart`): every answer is a success or a 503 problem with
Retry-After, none is a 500, no write is half-applied, and service returns by itself. Prints the counts; exits
non-zero on any violation.

The production server (serve.py: granian, production settings, 2 workers) serves a small seeded database; 8
clients send a mix of reads and writes (GET a student's courses, PATCH to enroll, DELETE to drop) for 14 s; 4 s
in, PostgreSQL is restarted with `pg_ctlcluster … restart` (as root, on this kind of machine). Afterwards every
student's history must chain to its current associations (each event starts where the previous one ended, the last
one is now), and the last 3 s must be all successes.
"""

import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from common import ensure_database, production_env, small_school  # noqa: E402
from over_http import start_server  # noqa: E402

DATABASE_URL = os.environ.get("FAULT_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/enrollments_faults")
SECONDS, RESTART_AT, CLIENTS, PORT = 14, 4, 8, 8790


def setup() -> dict:
    token = small_school(DATABASE_URL, students=200, courses=20, seed=5, username="fault")
    from courses.models import Course
    from students.models import Student

    return {
        "token": token,
        "students": list(Student.objects.values_list("id", flat=True)[:40]),
        "courses": list(Course.objects.values_list("id", flat=True)),
    }


def request(method: str, path: str, token: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{PORT}{path}", data=data, method=method)
    req.add_header("Authorization", f"Token {token}")
    if data:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as response:
            return response.status, {name.lower(): value for name, value in response.headers.items()}
    except urllib.error.HTTPError as error:
        return error.code, {name.lower(): value for name, value in error.headers.items()}
    except OSError:
        return 0, {}  # no answer at all


def main() -> int:
    ensure_database(DATABASE_URL)
    fixtures = setup()
    env = {**production_env(DATABASE_URL), "WEB_CONCURRENCY": "2", "PORT": str(PORT)}
    env["DJANGO_THROTTLE_USER"] = "1000000/minute"
    server = start_server(env)
    results: list[tuple[float, str, int, dict]] = []
    lock, started = threading.Lock(), time.monotonic()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while (now := time.monotonic() - started) < SECONDS:
            student, course = rng.choice(fixtures["students"]), rng.choice(fixtures["courses"])
            method, path, body = rng.choice(
                [
                    ("GET", f"/api/v1/students/{student}/courses", None),
                    ("PATCH", f"/api/v1/students/{student}/courses", {"course_ids": [course], "waitlist": True}),
                    ("DELETE", f"/api/v1/students/{student}/courses/{course}", None),
                ]
            )
            status, headers = request(method, path, fixtures["token"], body)
            with lock:
                results.append((now, method, status, headers))

    try:
        for _ in range(100):
            if request("GET", "/healthz", "")[0] == 200:
                break
            time.sleep(0.1)
        started = time.monotonic()
        threads = [threading.Thread(target=client, args=(seed,)) for seed in range(CLIENTS)]
        for thread in threads:
            thread.start()
        time.sleep(RESTART_AT)
        cluster = sorted(os.listdir("/etc/postgresql"))[0]
        restart = time.monotonic()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", cluster, "main", "restart"], check=True)
        print(f"PostgreSQL {cluster} restarted at {RESTART_AT} s, in {time.monotonic() - restart:.1f} s", flush=True)
        for thread in threads:
            thread.join()
    finally:
        server.terminate()
        server.wait(timeout=30)

    statuses = Counter(status for _, _, status, _ in results)
    print(f"answers: {sum(statuses.values())}; by status: {dict(sorted(statuses.items()))}")
    problems = []
    if statuses[500] or statuses[0]:
        problems.append(f"{statuses[500]} answers were 500 and {statuses[0]} got no answer")
    unavailable = [h for _, _, status, h in results if status == 503]
    if any("retry-after" not in h for h in unavailable):  # header names in lower case: HTTP's are case-blind
        problems.append("a 503 came without Retry-After")
    late = [status for at, _, status, _ in results if at >= SECONDS - 3]
    if not late or any(status >= 500 for status in late):
        problems.append(f"service did not return by itself: the last 3 s answered {Counter(late)}")
    problems += history_problems()
    print("\n".join(problems) if problems else "no 500, every 503 with Retry-After, history consistent, recovered")
    return 1 if problems else 0


def history_problems() -> list[str]:
    from django.db import connection

    from students.models import EnrollmentEvent, StudentCourse

    connection.close()
    last: dict[tuple[int, int], str] = {}
    broken = 0
    for event in EnrollmentEvent.objects.order_by("id").iterator():
        pair = (event.student_id, event.course_id)
        broken += event.previous_status != last.get(pair, "")
        last[pair] = event.new_status
    current = {
        (s, c): status for s, c, status in StudentCourse.objects.values_list("student_id", "course_id", "status")
    }
    broken += sum(1 for pair, status in current.items() if last.get(pair) != status)
    return (
        [f"{broken} associations whose history does not chain to their state (a half-applied write)"] if broken else []
    )


if __name__ == "__main__":
    sys.exit(main())
