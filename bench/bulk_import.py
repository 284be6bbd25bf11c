"""The nightly sync's benchmark: ``import_enrollments`` of a file as large as the seeded data's associations.

On a copy of the benchmark's database (``CREATE DATABASE … TEMPLATE``, dropped afterwards), the same file is imported
twice by ``manage.py import_enrollments`` in a child process: first when none of its rows exist yet (every
demo student gets as many new courses as it has), then again when all of them do. Prints and returns each run's wall
time and the child's peak memory (its maximum resident set size, from ``wait4``).
"""

import os
import tempfile
from pathlib import Path

import psycopg
from common import child

ROOT = Path(__file__).resolve().parent.parent

# Each demo student, ``per_student`` courses it is not associated with yet (the file's rows: email, course code).
NEW_PAIRS = """
COPY (
    SELECT s.email, c.code
    FROM (SELECT id, email FROM students WHERE email LIKE '%@demo.school.example') s
    CROSS JOIN LATERAL (
        SELECT c.code FROM courses c
        WHERE c.id >= (s.id * 7919) % {spread} AND NOT EXISTS (
            SELECT 1 FROM student_courses sc WHERE sc.student_id = s.id AND sc.course_id = c.id
        )
        ORDER BY c.id LIMIT {per_student}
    ) c
    ORDER BY s.id, c.code
) TO STDOUT WITH (FORMAT csv)
"""


def _admin_url(database_url: str) -> str:
    return database_url.rsplit("/", 1)[0] + "/postgres"


def _run_import(env: dict[str, str], path: str) -> dict:
    """One ``import_enrollments`` in a child process: its wall time, peak memory and summary line."""
    run = child(["import_enrollments", path], env)
    return {**run, "error": run["error"][-300:]} if "error" in run else run


def import_timings(database_url: str, env: dict[str, str], per_student: int) -> dict:
    """Both imports on a copy of ``database_url``'s database; the copy is dropped afterwards."""
    source = database_url.rsplit("/", 1)[1]
    copy_name = f"{source}_import"
    copy_url = database_url.rsplit("/", 1)[0] + "/" + copy_name
    with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
        admin.execute(f'CREATE DATABASE "{copy_name}" TEMPLATE "{source}"')
    file = tempfile.NamedTemporaryFile("wb", suffix=".csv", delete=False)  # noqa: SIM115
    try:
        with file:
            file.write(b"student_email,course_code\n")
            with psycopg.connect(copy_url) as conn, conn.cursor() as cursor:
                courses = cursor.execute("SELECT count(*) FROM courses").fetchone()[0]
                sql = NEW_PAIRS.format(spread=max(courses - 2 * per_student, 1), per_student=per_student)
                with cursor.copy(sql) as copy:
                    for chunk in copy:
                        file.write(chunk)
        rows = sum(1 for _ in open(file.name, "rb")) - 1  # noqa: SIM115
        child_env = {**env, "DATABASE_URL": copy_url}
        results = {"rows": rows}
        results["none exist"] = _run_import(child_env, file.name)
        results["all exist"] = _run_import(child_env, file.name)
        return results
    finally:
        os.unlink(file.name)
        with psycopg.connect(_admin_url(database_url), autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{copy_name}"')
