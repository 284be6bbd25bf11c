"""Rows written by the bulk loaders (seed_demo, import_enrollments) read back through the API exactly as the ORM
reads them, on SQLite and PostgreSQL: the loaders store values as Django does, and the hand-written read path
converts them with the backend's own converters.
"""

import re
from http import HTTPStatus
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from courses.models import Course
from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent, Student, StudentCourse
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

MAKE_RUN_DEMO = ("--students", "60", "--courses", "15", "--per-student", "3", "--seed", "1")


def seed_like_make_run() -> None:
    call_command("seed_demo", *MAKE_RUN_DEMO, stdout=StringIO())


def stored_text(table: str, column: str, row_id: int) -> str:
    """The value as the database holds it, cast to text: what a raw loader wrote, before any conversion."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CAST({column} AS TEXT) FROM {table} WHERE id = %s", [row_id])
        return cursor.fetchone()[0]


def shape(text: str) -> str:
    """The form of a stored timestamp: separators and zone, without the digits or the fraction (PostgreSQL's text
    drops the fraction's trailing zeros)."""
    return re.sub(r"\d+", "9", re.sub(r"\.\d+", "", text))


def test_every_demo_students_courses_read_through_the_api_as_the_orm_reads_them(api_client):
    seed_like_make_run()
    for student_id in Student.objects.values_list("id", flat=True):
        response = api_client.get(f"/api/v1/students/{student_id}/courses?status=all")
        assert response.status_code == HTTPStatus.OK
        expected = {row.course_id: row.enrolled_at for row in StudentCourse.objects.filter(student_id=student_id)}
        assert {item["id"]: item["enrolled_at"] for item in response.data} == expected


def test_a_demo_student_can_be_enrolled_through_the_api_and_its_answer_lists_the_loaded_rows(api_client):
    seed_like_make_run()
    student = Student.objects.order_by("id").first()
    new_course = Course.objects.exclude(student_courses__student=student).order_by("id").first()
    response = api_client.patch(
        f"/api/v1/students/{student.id}/courses", {"course_ids": [new_course.id]}, format="json"
    )
    assert response.status_code == HTTPStatus.OK
    assert len(response.data) == 4


def test_the_demo_history_students_and_courses_read_through_the_api(api_client):
    seed_like_make_run()
    student = Student.objects.order_by("id").first()
    history = api_client.get(f"/api/v1/students/{student.id}/courses/history")
    detail = api_client.get(f"/api/v1/students/{student.id}")
    courses = api_client.get("/api/v1/courses/?page_size=500")
    assert (history.status_code, detail.status_code, courses.status_code) == (HTTPStatus.OK,) * 3
    assert history.data["count"] == 3
    assert detail.data["created_at"] == student.created_at.isoformat().replace("+00:00", "Z")
    assert courses.data["count"] == 15


def test_the_seed_stores_timestamps_in_the_form_the_orm_stores_them():
    seed_like_make_run()
    by_orm = StudentCourse.objects.create(student=StudentFactory(), course=CourseFactory())
    seeded = StudentCourse.objects.exclude(id=by_orm.id).first()
    event = EnrollmentEvent.objects.first()
    orm_form = shape(stored_text("student_courses", "enrolled_at", by_orm.id))
    assert shape(stored_text("student_courses", "enrolled_at", seeded.id)) == orm_form
    assert shape(stored_text("enrollment_events", "created_at", event.id)) == orm_form
    assert shape(stored_text("students", "created_at", seeded.student_id)) == orm_form


@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite stores timestamps as text")
def test_a_timestamp_stored_with_an_offset_by_an_older_loader_still_reads(api_client):
    row = StudentCourse.objects.create(student=StudentFactory(), course=CourseFactory())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE student_courses SET enrolled_at = '2026-11-24 21:26:42.187731+00:00'")
    response = api_client.get(f"/api/v1/students/{row.student_id}/courses")
    assert response.status_code == HTTPStatus.OK
    assert response.json()[0]["enrolled_at"] == "2026-11-24T21:26:42.187731Z"


def test_rows_imported_from_csv_read_through_the_api(api_client, tmp_path):
    seed_like_make_run()
    student = Student.objects.order_by("id").first()
    path = tmp_path / "rows.csv"
    codes = Course.objects.exclude(student_courses__student=student).values_list("code", flat=True)[:2]
    path.write_text("student_email,course_code\n" + "".join(f"{student.email},{code}\n" for code in codes))
    call_command("import_enrollments", str(path), stdout=StringIO())
    response = api_client.get(f"/api/v1/students/{student.id}/courses")
    assert response.status_code == HTTPStatus.OK
    assert {item["code"] for item in response.data} >= set(codes)
    assert len(response.data) == 5
