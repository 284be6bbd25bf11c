"""OneRoster at district scale: the rostering service's reads (in-process, through the whole stack: the bearer token,
throttling, the filter, the count and the page; p50 of 20 after 3 warm-ups), then ``export_oneroster`` of the whole
district and a dry-run ``import_oneroster`` of that bundle, each in a child process (wall time, peak memory).

    python bench/oneroster.py            # the benchmark's district database (seeded as make bench seeds it)
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from common import DEFAULT_URL, ROOT, child, ensure_database, production_env

SEED = ["--students", "100000", "--courses", "5000", "--per-student", "10", "--schools", "20", "--teachers", "4000"]
SEED += ["--seed", "1"]
SAMPLES, WARM_UPS = 20, 3


def run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    outcome = child(args, env)
    if "error" in outcome:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{outcome['error']}")
    return outcome["seconds"], outcome["peak_mb"], outcome["summary"]


def reads(env: dict[str, str]) -> list[tuple[str, float, int]]:
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from oauth2_provider.models import AccessToken, get_application_model

    from courses.models import Course
    from oneroster.auth import CORE, ROSTER
    from students.models import Student

    setup_test_environment()
    Application = get_application_model()
    application = Application.objects.create(
        name="bench", client_type="confidential", authorization_grant_type="client-credentials"
    )
    token = "bench-" + os.urandom(16).hex()
    AccessToken.objects.create(
        application=application,
        token=token,
        scope=f"{CORE} {ROSTER}",
        expires=timezone.now() + timezone.timedelta(hours=1),
    )
    student = Student.objects.filter(email__startswith="fifty").first() or Student.objects.order_by("id").first()
    course = Course.objects.order_by("id").first()
    from django.db.models import Max

    from students.models import StudentCourse

    latest = StudentCourse.objects.aggregate(at=Max("status_changed_at"))["at"]  # a delta sync after the last change
    since = latest.strftime("%Y-%m-%dT%H:%M:%S.%fZ")  # nothing changed since: the index answers
    paths = [
        "users?limit=100",
        "users?limit=100&offset=99900",
        "users?filter=familyName='Smith' AND givenName~'an'&limit=100",
        "users?sort=familyName&limit=100",
        "enrollments?limit=100",
        "enrollments?limit=1000",
        f"enrollments?filter=dateLastModified>'{since}'",
        f"classes/{course.sourced_id}/students?limit=100",
        f"students/{student.sourced_id}/classes",
    ]
    client, results = Client(HTTP_AUTHORIZATION=f"Bearer {token}"), []
    try:
        for path in paths:
            url = f"/ims/oneroster/rostering/v1p2/{path}"
            for _ in range(WARM_UPS):
                client.get(url)
            timings = []
            for _ in range(SAMPLES):
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            results.append((path, statistics.median(timings), int(response["X-Total-Count"])))
    finally:
        application.delete()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    args = parser.parse_args()
    env = production_env(args.database_url)
    ensure_database(args.database_url)
    run(["migrate", "--noinput"], env)
    run(["seed_demo", *SEED], env)
    print(f"OneRoster reads at district scale ({args.database_url.rsplit('/', 1)[1]}), p50 of {SAMPLES}:")
    for path, ms, total in reads(dict(env)):
        print(f"  {ms:8.2f} ms  {path}  (X-Total-Count {total:,})")
    with tempfile.TemporaryDirectory() as folder:
        bundle = str(Path(folder) / "district.zip")
        seconds, peak, said = run(["export_oneroster", bundle], env)
        size = Path(bundle).stat().st_size / 1e6
        print(f"export_oneroster (bulk): {seconds:.1f} s, peak {peak:.0f} MB, {size:.1f} MB zip — {said}")
        seconds, peak, said = run(["import_oneroster", bundle, "--dry-run"], env)
        print(f"import_oneroster of it, dry run: {seconds:.1f} s, peak {peak:.0f} MB — {said}")


if __name__ == "__main__":
    main()
