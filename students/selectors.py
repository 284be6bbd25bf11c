"""Reads of students and their courses, shared by the API, the admin and the commands."""

from typing import Any

from django.db.models import QuerySet

from students.exceptions import AssociationNotFound, StudentNotFound
from students.models import Student, StudentCourse

COURSE_ITEM_COLUMNS = ("course_id", "course__code", "course__title", "course__description", "enrolled_at")


def _course_item(row: tuple) -> dict[str, Any]:
    course_id, code, title, description, enrolled_at = row
    return {"id": course_id, "code": code, "title": title, "description": description, "enrolled_at": enrolled_at}


def student_courses(*, student_id: int) -> list[dict[str, Any]]:
    """The student's courses ordered by code, as plain dicts ready to render: one query (two if there are none).

    Raises ``StudentNotFound`` when there is no such student.
    """
    rows = (
        StudentCourse.objects.filter(student_id=student_id).order_by("course__code").values_list(*COURSE_ITEM_COLUMNS)
    )
    items = [_course_item(row) for row in rows]
    if not items and not Student.objects.filter(id=student_id).exists():
        raise StudentNotFound(f"No student has the id {student_id}.")
    return items


def student_course(*, student_id: int, course_id: int) -> dict[str, Any]:
    """One association of the student, shaped like an item of ``student_courses``."""
    row = StudentCourse.objects.filter(student_id=student_id, course_id=course_id).values_list(*COURSE_ITEM_COLUMNS)
    for found in row:
        return _course_item(found)
    raise AssociationNotFound(f"Course {course_id} is not associated with student {student_id}.")


def course_students(*, course_id: int) -> QuerySet[Student]:
    """The students who take the course, ordered by name."""
    return Student.objects.filter(student_courses__course_id=course_id)
