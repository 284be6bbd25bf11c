"""Reads of students, their courses and enrollment history, shared by the API, the admin and the commands."""

import datetime as dt
from collections.abc import Collection
from typing import Any

from django.db import connection
from django.db.models import QuerySet

from config.raw_sql import fetch_all
from courses.models import Course
from students.enrollment.errors import AssociationNotFound, StudentNotFound
from students.models import EnrollmentEvent, EnrollmentStatus, Student, StudentCourse

STATUS_FILTERS = {
    **{status.value: (status.value,) for status in EnrollmentStatus},
    "all": tuple(EnrollmentStatus.values),
}

# GET …/students/{id}/courses is the API's hottest read, so its rows come from one hand-written statement: building
# and compiling the equivalent queryset cost the request more than the database spends answering it. The SQL is
# plain enough for SQLite and PostgreSQL alike; students/tests/enrollment/test_selectors.py holds it equal to the
# ORM's answer. A waitlisted row's position is how many of the course's waitlisted tickets are at or below its own
# (computed only for waitlisted rows).
_COURSE_ITEMS_SQL = """
    SELECT c.id, c.code, c.title, c.description, sc.enrolled_at, sc.begin_date, sc.end_date, sc.status,
           CASE WHEN sc.status = %s THEN (
               SELECT COUNT(*) FROM student_courses ahead
               WHERE ahead.course_id = sc.course_id AND ahead.status = %s
                 AND ahead.waitlist_ticket <= sc.waitlist_ticket
           ) END
    FROM student_courses sc JOIN courses c ON c.id = sc.course_id
    WHERE sc.student_id = %s AND {condition}
    ORDER BY c.code
"""
_COURSE_ITEMS_BY_STATUS = {
    name: _COURSE_ITEMS_SQL.format(condition=f"sc.status IN ({', '.join(['%s'] * len(statuses))})")
    for name, statuses in STATUS_FILTERS.items()
}
_ONE_COURSE_ITEM = _COURSE_ITEMS_SQL.format(condition="sc.course_id = %s")
# A scope of some schools (``scoping``) sees an association when it sees both its student and its course.
_IN_SCHOOLS = (
    "sc.student_id IN (SELECT id FROM students WHERE school_id IN ({schools})) AND c.school_id IN ({schools}) AND "
)
_ACTIVE_ON = "sc.begin_date <= %s AND (sc.end_date IS NULL OR sc.end_date > %s) AND "  # dates.active_on


# The model field of each column of _COURSE_ITEMS_SQL: values are converted as the ORM converts them (the
# computed waitlist position is an integer on every backend).
_COURSE_ITEM_FIELDS = (
    *(Course._meta.get_field(name) for name in ("id", "code", "title", "description")),
    *(StudentCourse._meta.get_field(name) for name in ("enrolled_at", "begin_date", "end_date", "status")),
    None,
)


def _course_items(sql: str, params: list) -> list[dict[str, Any]]:
    rows = fetch_all(
        sql, [EnrollmentStatus.WAITLISTED, EnrollmentStatus.WAITLISTED, *params], fields=_COURSE_ITEM_FIELDS
    )
    return [
        {
            "id": course_id,
            "code": code,
            "title": title,
            "description": description,
            "enrolled_at": enrolled_at,
            "begin_date": begin_date,
            "end_date": end_date,
            "status": status,
            "waitlist_position": position,
        }
        for course_id, code, title, description, enrolled_at, begin_date, end_date, status, position in rows
    ]


def student_courses(
    *,
    student_id: int,
    status: str = "enrolled",
    active_on: dt.date | None = None,
    schools: Collection[int] | None = None,
) -> list[dict[str, Any]]:
    """The student's courses in ``status`` (``all`` for every status) ordered by code, as plain dicts ready to
    render: one query (two when there are none). With ``active_on``, only those the student takes on that day
    (``dates.active_on``). With ``schools`` (a scope's), only a student of these schools, in their courses. Raises
    ``StudentNotFound`` when there is no such student (in these schools).
    """
    sql, params = _COURSE_ITEMS_BY_STATUS[status], [student_id, *STATUS_FILTERS[status]]
    if active_on is not None:
        day = connection.ops.adapt_datefield_value(active_on)
        sql, params = _where(sql, _ACTIVE_ON, [day, day], params)
    if schools is not None:
        sql, params = _in_schools(sql, params, schools)
    items = _course_items(sql, params) if sql else []
    if not items and not _students(schools).filter(id=student_id).exists():
        raise StudentNotFound(f"No student has the id {student_id}.")
    return items


def student_course(*, student_id: int, course_id: int, schools: Collection[int] | None = None) -> dict[str, Any]:
    """One association of the student, whatever its status, shaped like an item of ``student_courses`` (with
    ``schools``, only when the scope sees both its student and its course)."""
    sql, params = _ONE_COURSE_ITEM, [student_id, course_id]
    if schools is not None:
        sql, params = _in_schools(sql, params, schools)
    for item in _course_items(sql, params) if sql else []:
        return item
    raise AssociationNotFound(f"Student {student_id} has never been associated with course {course_id}.")


def _where(sql: str, condition: str, condition_params: list, params: list) -> tuple[str, list]:
    """``sql`` (of ``_COURSE_ITEMS_SQL``) with ``condition`` first in its WHERE clause."""
    return sql.replace("WHERE sc.student_id = %s AND ", f"WHERE {condition}sc.student_id = %s AND "), [
        *condition_params,
        *params,
    ]


def _in_schools(sql: str, params: list, schools: Collection[int]) -> tuple[str, list]:
    """``sql`` narrowed to associations of the schools' students in the schools' courses ("" for no school)."""
    if not schools:
        return "", params
    marks = ", ".join(["%s"] * len(schools))
    return _where(sql, _IN_SCHOOLS.format(schools=marks), [*schools, *schools], params)


def _students(schools: Collection[int] | None) -> QuerySet[Student]:
    return Student.objects.all() if schools is None else Student.objects.filter(school_id__in=schools)


def course_students(*, course_id: int) -> QuerySet[Student]:
    """The students enrolled in the course, ordered by name."""
    return Student.objects.filter(
        student_courses__course_id=course_id, student_courses__status=EnrollmentStatus.ENROLLED
    )


def enrollment_history(*, student_id: int | None = None, course_id: int | None = None) -> QuerySet[EnrollmentEvent]:
    """Events of a student or a course (or both), newest first."""
    events = EnrollmentEvent.objects.all()
    if student_id is not None:
        events = events.filter(student_id=student_id)
    if course_id is not None:
        events = events.filter(course_id=course_id)
    return events.select_related("course").order_by("-created_at", "-id")
