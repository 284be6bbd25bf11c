"""The association API's benchmark: in-process and over HTTP, against the floor, at 1,000 and at district scale.

    python bench/run.py                 # district: 100,000 students, 5,000 courses, 1,000,000 associations
    python bench/run.py --scale quick   # a small version that runs in well under a minute (CI)

Seeds PostgreSQL (``DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/enrollments_bench``) once and
reuses it. Prints a table and writes ``bench/results/<scale>.json`` and ``.md``. Speed is judged by reading these
numbers on a known machine, never by a test that times itself.
"""

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bulk_import import import_timings
from bundle_import import bundle_timings
from bundle_import import markdown as bundle_markdown
from common import DEFAULT_URL, ROOT, baseline_token, ensure_database, production_env
from over_http import markdown_of_baseline, over_http, shared_cache_url, versus_baseline

RESULTS = ROOT / "bench" / "results"
SCALES = {
    # students, courses, courses per student, in-process samples, seconds of HTTP load per scenario
    "district": {
        **{"students": 100_000, "courses": 5_000, "per_student": 10, "schools": 20, "teachers": 4_000},
        **{"samples": 2000, "seconds": 10},
    },
    "quick": {"students": 2_000, "courses": 1_100, "per_student": 5, "samples": 100, "seconds": 1},
    "small": {"students": 200, "courses": 1_100, "per_student": 5, "samples": 2000, "seconds": 2},
}


def setup_django(database_url: str) -> None:
    os.environ.update(production_env(database_url))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(scale: dict) -> dict:
    """Seeds the scale's data once (reused later) and returns the fixtures the scenarios use."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from accounts import tokens
    from courses.models import Course
    from students.enrollment import services
    from students.enrollment.writing import Actor
    from students.models import Channel, Student, StudentCourse

    call_command("migrate", verbosity=0)
    expected = scale["students"] * scale["per_student"]
    if StudentCourse.objects.filter(student__email__endswith="@demo.school.example").count() < expected:
        started = time.perf_counter()
        call_command(
            "seed_demo",
            students=scale["students"],
            courses=scale["courses"],
            per_student=scale["per_student"],
            schools=scale.get("schools", 3),
            teachers=scale.get("teachers"),
            seed=1,
            stdout=open(os.devnull, "w"),  # noqa: SIM115
        )
        print(f"seeded {expected:,} associations in {time.perf_counter() - started:.1f} s", flush=True)
    user, _ = User.objects.get_or_create(username="bench", defaults={"is_superuser": True, "is_staff": True})
    tokens.revoke_all(user=user)
    key = tokens.create_token(user=user, name="benchmark")[1]
    course_ids = list(Course.objects.order_by("id").values_list("id", flat=True)[:1100])
    actor = Actor(channel=Channel.SYSTEM)
    fixtures = {"token": key, "baseline_token": baseline_token(user.pk), "course_ids": course_ids}
    for name, count in (("five", 5), ("fifty", 50), ("writer", 0), ("hundred", 100)):
        student, _ = Student.objects.get_or_create(
            email=f"bench-{name}@bench.example", defaults={"first_name": "Bench", "last_name": name}
        )
        services.set_courses(student_id=student.id, course_ids=course_ids[:count], actor=actor)
        fixtures[name] = student.id
    fixtures["associations"] = StudentCourse.objects.count()
    return fixtures


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def summarize(timings: list[float], queries: int, errors: int, floor_p50: float | None = None) -> dict:
    p50 = percentile(timings, 0.5) * 1000
    return {
        "p50_ms": round(p50, 3),
        "p99_ms": round(percentile(timings, 0.99) * 1000, 3),
        "rps": round(len(timings) / sum(timings), 1),
        "queries": queries,
        "errors": errors,
        "x_floor": round(p50 / floor_p50, 2) if floor_p50 else None,
    }


def in_process(fixtures: dict, samples: int, only: tuple[str, ...] = ()) -> dict:
    """Each scenario through the whole Django/DRF stack (middleware, token auth, rendering), no network."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_AUTHORIZATION=f"Token {fixtures['token']}")
    ids, writer = fixtures["course_ids"], fixtures["writer"]
    url = f"/api/v1/students/{writer}/courses"
    floor = floor_timings(fixtures["fifty"], samples)
    floor_p50 = percentile(floor, 0.5) * 1000

    def json_request(method: str, path: str, body: dict | None = None):
        kwargs = {"data": json.dumps(body), "content_type": "application/json"} if body is not None else {}
        return getattr(client, method)(path, **kwargs)

    scenarios = {
        "GET courses (5)": (lambda: None, lambda: json_request("get", f"/api/v1/students/{fixtures['five']}/courses")),
        "GET courses (50)": (
            lambda: None,
            lambda: json_request("get", f"/api/v1/students/{fixtures['fifty']}/courses"),
        ),
        "POST one course": (
            lambda: json_request("put", url, {"course_ids": []}),
            lambda: json_request("post", url, {"course_id": ids[0]}),
        ),
        "PATCH 100 courses": (
            lambda: json_request("put", url, {"course_ids": []}),
            lambda: json_request("patch", url, {"course_ids": ids[:100]}),
        ),
        "PUT 100 courses": (
            lambda: json_request("put", url, {"course_ids": ids[100:200]}),
            lambda: json_request("put", url, {"course_ids": ids[:100]}),
        ),
        "PATCH 1,000 courses": (
            lambda: json_request("put", url, {"course_ids": []}),
            lambda: json_request("patch", url, {"course_ids": ids[:1000]}),
        ),
        "GET course students (page 1)": (
            lambda: None,
            lambda: json_request("get", f"/api/v1/courses/{ids[0]}/students"),
        ),
    }
    results = {"floor: raw SQL + orjson (50)": summarize(floor, 1, 0)}
    for name, (reset, request) in scenarios.items():
        if only and name not in only:
            continue
        count = samples if "1,000" not in name else max(samples // 20, 20)
        if name.startswith(("PATCH", "PUT", "POST")):
            count = max(count // 4, 20)
        for _ in range(min(count, 50)):  # warm up
            reset()
            request()
        timings, errors = [], 0
        for _ in range(count):
            reset()
            started = time.perf_counter()
            response = request()
            timings.append(time.perf_counter() - started)
            errors += response.status_code >= 400
        reset()
        with CaptureQueriesContext(connection) as captured:
            request()
        results[name] = summarize(timings, len(captured), errors, floor_p50 if name == "GET courses (50)" else None)
    return results


def floor_timings(student_id: int, samples: int) -> list[float]:
    """The same rows as GET …/courses, fetched with one raw query and encoded with orjson: the cost floor."""
    import orjson
    from django.db import connection

    sql = (
        "SELECT c.id, c.code, c.title, c.description, sc.enrolled_at, sc.begin_date, sc.end_date, sc.status "
        "FROM student_courses sc "
        "JOIN courses c ON c.id = sc.course_id WHERE sc.student_id = %s AND sc.status = 'enrolled' ORDER BY c.code"
    )
    columns = ("id", "code", "title", "description", "enrolled_at", "begin_date", "end_date", "status")
    timings = []
    with connection.cursor() as cursor:
        for _ in range(samples + 50):
            started = time.perf_counter()
            cursor.execute(sql, [student_id])
            orjson.dumps([dict(zip(columns, row, strict=True)) for row in cursor.fetchall()], option=orjson.OPT_UTC_Z)
            timings.append(time.perf_counter() - started)
    return timings[50:]


def small_scale_get(python: str) -> dict:
    """The 5-course GET in-process on a separate database holding 1,000 associations (a child process)."""
    small_url = os.environ.get("BENCH_SMALL_DATABASE_URL", DEFAULT_URL + "_small")
    output = subprocess.run(
        [python, __file__, "--scale", "small", "--only-get", "--database-url", small_url],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def machine() -> str:
    cpu = (
        next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.machine(),
        )
        if Path("/proc/cpuinfo").exists()
        else platform.machine()
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0].split()[0]
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, PostgreSQL {postgres}"


NO_WRK = "wrk is not installed (apt-get install -y wrk): the HTTP scenarios were skipped, the rest ran."


def markdown(report: dict) -> str:
    lines = [
        f"# Benchmark: {report['scale']} ({report['associations']:,} associations)",
        "",
        f"{report['machine']}; {report['when']}. In-process: the test client, cache in process memory. HTTP: "
        f"serve.py (granian), {report['workers']} workers, cache {report['http_cache']}, wrk at concurrency "
        f"{report['concurrency']} for {report['seconds']} s per scenario.",
        "",
        "| scenario | where | p50 ms | p99 ms | req/s | queries | errors | x floor |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for where in ("in_process", "http"):
        for name, row in report[where].items():
            if "error" in row:
                lines.append(f"| {name} | {where} | {row['error']} | | | | | |")
                continue
            lines.append(
                f"| {name} | {where.replace('_', '-')} | {row['p50_ms']} | {row['p99_ms']} | {row['rps']} "
                f"| {row.get('queries', '')} | {row['errors']} | {row.get('x_floor') or ''} |"
            )
    if report.get("baseline"):
        lines += ["", markdown_of_baseline(report)]
    if report.get("http_skipped"):
        lines += ["", report["http_skipped"]]
    if report.get("import"):
        sync = report["import"]
        lines += [
            "",
            f"import_enrollments of a {sync['rows']:,}-row file (a child process, on a copy of this database):",
            "",
            "| run | seconds | peak memory MB | summary |",
            "| --- | ---: | ---: | --- |",
        ]
        for name in ("none exist", "all exist"):
            run = sync[name]
            lines.append(
                f"| {name} | {run.get('seconds', run.get('error'))} | {run.get('peak_mb', '')} "
                f"| {run.get('summary', '')} |"
            )
    if report.get("bundle"):
        lines += ["", bundle_markdown(report["bundle"]).rstrip("\n")]
    if report.get("growth"):
        g = report["growth"]
        lines += [
            "",
            f"GET courses (5) in-process p50: {g['small_p50_ms']} ms at {g['small_associations']:,} "
            f"associations, {g['large_p50_ms']} ms at {g['large_associations']:,}: x {g['ratio']}.",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=SCALES, default="district")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL"))
    parser.add_argument("--only-get", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only-baseline", action="store_true", help="Only the comparison with the plain DRF app (and gunicorn)."
    )
    args = parser.parse_args()
    scale = SCALES[args.scale]
    args.database_url = args.database_url or (
        DEFAULT_URL if args.scale == "district" else f"{DEFAULT_URL}_{args.scale}"
    )

    ensure_database(args.database_url)
    setup_django(args.database_url)
    fixtures = seed(scale)
    if args.only_get:
        results = in_process(fixtures, scale["samples"], only=("GET courses (5)",))
        print(json.dumps({"p50_ms": results["GET courses (5)"]["p50_ms"], "associations": fixtures["associations"]}))
        return

    if args.only_baseline:
        from django.db import connection

        connection.close()
        seconds = max(scale["seconds"], 2)
        report = {
            "seconds": seconds,
            "baseline": versus_baseline(fixtures, args.database_url, shared_cache_url(), seconds),
        }
        print(markdown_of_baseline(report))
        return

    report = {
        "scale": args.scale,
        "associations": fixtures["associations"],
        "machine": machine(),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "workers": args.workers,
        "concurrency": args.concurrency,
        "seconds": scale["seconds"],
        "in_process": in_process(fixtures, scale["samples"]),
    }
    from django.db import connection

    connection.close()
    cache_url = shared_cache_url()
    report["http_cache"] = cache_url.split("://")[0] if cache_url else "in process memory (no Redis)"
    if shutil.which("wrk"):
        report["http"] = over_http(
            fixtures, args.database_url, args.workers, args.concurrency, scale["seconds"], cache_url
        )
        report["baseline"] = versus_baseline(fixtures, args.database_url, cache_url, max(scale["seconds"], 2))
    else:
        report["http"] = {}
        report["http_skipped"] = NO_WRK
        print(NO_WRK, flush=True)
    report["import"] = import_timings(args.database_url, production_env(args.database_url), scale["per_student"])
    report["bundle"] = bundle_timings(args.database_url)
    if args.scale == "district":
        small = small_scale_get(sys.executable)
        large = report["in_process"]["GET courses (5)"]["p50_ms"]
        report["growth"] = {
            "small_associations": small["associations"],
            "small_p50_ms": small["p50_ms"],
            "large_associations": fixtures["associations"],
            "large_p50_ms": large,
            "ratio": round(large / small["p50_ms"], 2),
        }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.scale}.json").write_text(json.dumps(report, indent=2) + "\n")
    table = markdown(report)
    (RESULTS / f"{args.scale}.md").write_text(table)
    print(table)


if __name__ == "__main__":
    main()
