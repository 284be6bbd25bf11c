"""Every admin page at district scale: server time, HTML size and queries (`make bench-admin`).

Uses the benchmark's district database (BENCH_DATABASE_URL, seeded by `make bench`: 100,000 students, 5,000 courses,
1,000,000 associations), a superuser, Django's test client, and the second of two requests of each page (the first
warms caches). Prints a Markdown table; the targets are under 300 ms, under 300 KB, and a number of queries that
does not grow with the data (tests assert the bounds: students/tests/admin/test_admin_queries.py).
"""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/enrollments_bench"
TARGET_MS, TARGET_KB = 300, 300


def main() -> None:
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "ERROR")
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from courses.models import Course
    from students.models import Student
    from teachers.models import Teacher

    if Student.objects.count() < 50_000:
        sys.exit("The district data set is not there: run `make bench` once first (it seeds it).")
    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_staff": True, "is_superuser": True})
    client = Client(HTTP_HOST="localhost")
    client.force_login(user)
    student = Student.objects.filter(email__endswith="@demo.school.example").order_by("id").first()
    course = Course.objects.order_by("id").first()
    students = list(Student.objects.order_by("id").values_list("id", flat=True)[:20])
    teacher = Teacher.objects.order_by("id").first()
    pages = {
        "student list": "/admin/students/student/",
        "student list, searched": "/admin/students/student/?q=garcia",
        "student list, one course": f"/admin/students/student/?course={course.id}",
        "student page (course picker)": f"/admin/students/student/{student.id}/change/",
        "course list": "/admin/courses/course/",
        "course page": f"/admin/courses/course/{course.id}/change/",
        "course page, students page 2": f"/admin/courses/course/{course.id}/change/?students_page=2",
        "enrollment events": "/admin/students/enrollmentevent/",
        "enrollment events, one student": f"/admin/students/enrollmentevent/?student__id__exact={student.id}",
        "student autocomplete": "/admin/autocomplete/?app_label=students&model_name=studentcourse&field_name=student"
        "&term=gar",
        "teacher list": "/admin/teachers/teacher/",
        "teacher page": f"/admin/teachers/teacher/{teacher.id}/change/",
        "school list": "/admin/schools/org/",
        "academic session list": "/admin/schools/academicsession/",
        "catalog course list": "/admin/courses/catalogcourse/",
    }
    print("| page | server ms (median of 3) | HTML KB | queries | within targets |\n| --- | ---: | ---: | ---: | --- |")
    failures = 0
    for name, url in pages.items():
        client.get(url)
        timings, size, queries = [], 0, 0
        for _ in range(3):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
            size, queries = len(response.content) / 1024, len(captured)
            assert response.status_code == 200, (name, response.status_code)
        ms = statistics.median(timings)
        ok = ms < TARGET_MS and size < TARGET_KB
        failures += not ok
        print(f"| {name} | {ms:.0f} | {size:.0f} | {queries} | {'yes' if ok else '**no**'} |")
    bulk = {"action": "associate_courses", "_selected_action": students}
    started = time.perf_counter()
    response = client.post("/admin/students/student/", bulk)
    ms = (time.perf_counter() - started) * 1000
    print(
        f"| bulk association page (20 students) | {ms:.0f} | {len(response.content) / 1024:.0f} | | "
        f"{'yes' if ms < TARGET_MS and len(response.content) / 1024 < TARGET_KB else '**no**'} |"
    )


if __name__ == "__main__":
    main()
