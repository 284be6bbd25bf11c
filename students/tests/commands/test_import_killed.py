"""``import_enrollments`` killed with SIGKILL in the middle of writing leaves nothing of the file behind, and the
same command then succeeds: the whole file is one transaction, on SQLite and PostgreSQL (a real subprocess).

The file has ``IMPORT_KILL_ROWS`` rows (default 100,000, which CI runs; the closing note of the issue that added
this reports a run with 500,000).
"""

import os
import signal
import subprocess
import sys
import time
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from courses.models import Course
from students.models import EnrollmentEvent, Student, StudentCourse

pytestmark = pytest.mark.django_db(transaction=True)  # on SQLite and PostgreSQL: both CI passes run it
ROOT = Path(__file__).resolve().parents[3]
ROWS = int(os.environ.get("IMPORT_KILL_ROWS", "100000"))
COURSES = 5


def database_url() -> str:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


WRITTEN_BYTES = 1024 * 1024  # SQLite: the import's pages spilled to the write-ahead log before it commits


def wal_size() -> int:
    wal = Path(f"{settings.DATABASES['default']['NAME']}-wal")
    return wal.stat().st_size if wal.exists() else 0


def writing(pid: int, wal_before: int) -> bool:
    """Whether the import is writing rows: on PostgreSQL it holds a row lock on the associations' table (taken by
    its first insert); on SQLite it holds the write lock and its uncommitted pages have begun to fill the
    write-ahead log (the lock alone is taken when its transaction begins, before any row is written)."""
    if connection.vendor == "sqlite":
        import sqlite3

        probe = sqlite3.connect(settings.DATABASES["default"]["NAME"], timeout=0)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return False
        except sqlite3.OperationalError:  # "database is locked": a writer holds it
            return wal_size() > wal_before + WRITTEN_BYTES
        finally:
            probe.close()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_locks WHERE relation = 'student_courses'::regclass "
            "AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0


def run_import(path: Path) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_LOG_LEVEL": "ERROR"}
    return subprocess.Popen(
        [sys.executable, "manage.py", "import_enrollments", str(path)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_import_killed_while_writing_applies_nothing_and_the_same_command_then_succeeds(tmp_path):
    students = ROWS // COURSES
    call_command("seed_demo", students=students, courses=COURSES, per_student=0, seed=3, stdout=StringIO())
    emails = Student.objects.order_by("id").values_list("email", flat=True)
    codes = list(Course.objects.order_by("code").values_list("code", flat=True))
    path = tmp_path / "district.csv"
    with path.open("w") as out:
        out.write("student_email,course_code\n")
        out.writelines(f"{email},{code}\n" for email in emails.iterator() for code in codes)
    if connection.vendor == "postgresql":
        connection.close()  # the probe opens its own connection; this one must hold no snapshot

    wal_before = wal_size() if connection.vendor == "sqlite" else 0
    importer = run_import(path)
    deadline = time.monotonic() + 300
    while not writing(importer.pid, wal_before):
        assert importer.poll() is None, f"the import ended before it was killed: {importer.communicate()}"
        assert time.monotonic() < deadline, "the import never started writing"
        time.sleep(0.05)
    os.kill(importer.pid, signal.SIGKILL)
    importer.wait(timeout=30)
    assert importer.returncode == -signal.SIGKILL

    assert StudentCourse.objects.count() == 0
    assert EnrollmentEvent.objects.count() == 0

    again = run_import(path)
    out, err = again.communicate(timeout=900)
    assert again.returncode == 0, err
    assert f"{ROWS} rows: added {ROWS}" in out
    assert StudentCourse.objects.count() == ROWS
    assert EnrollmentEvent.objects.count() == ROWS
