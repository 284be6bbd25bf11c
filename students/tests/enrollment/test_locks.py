"""The row locks a change takes on PostgreSQL: the courses it touches, never their term (every course of a term
shares its row, so a lock on it would queue every writer of the term behind one another)."""

import psycopg
import pytest
from django.db import connection, transaction

from courses.tests.factories import CourseFactory
from students.enrollment.state import lock_courses

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite takes no row locks: writers serialize"),
]


def locked_elsewhere(table: str, row_id: int) -> bool:
    """Whether another connection finds the row locked (it asks without waiting)."""
    db = connection.settings_dict
    place = {"host": db["HOST"], "port": db["PORT"] or 5432, "user": db["USER"], "password": db["PASSWORD"]}
    with psycopg.connect(dbname=db["NAME"], autocommit=True, **place) as other:
        try:
            other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [row_id])
        except psycopg.errors.LockNotAvailable:
            return True
    return False


def test_locking_a_course_locks_its_row_and_leaves_its_term_free():
    course = CourseFactory()
    with transaction.atomic():
        locked = lock_courses(course_ids=[course.id])
        assert locked_elsewhere("courses", course.id)
        assert not locked_elsewhere("academic_sessions", course.term_id)
    assert locked.terms == {course.id: (course.term.start_date, course.term.end_date)}
