"""Every endpoint costs the same number of queries however much data it returns: a guard against N+1 queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


def world(size: int) -> dict:
    """A student taking ``size`` courses, one of them with ``size`` students, and ``size`` events each."""
    student = StudentFactory()
    courses = CourseFactory.create_batch(size)
    for course in courses:
        StudentCourseFactory(student=student, course=course)
        EnrollmentEvent.objects.create(student=student, course=course, new_status="enrolled", channel="api")
    for other in StudentFactory.create_batch(size - 1):
        StudentCourseFactory(student=other, course=courses[0])
    return {"student": student.id, "course": courses[0].id}


READS = {
    "student list": "/api/v1/students/",
    "course list": "/api/v1/courses/",
    "student detail": "/api/v1/students/{student}/",
    "course detail": "/api/v1/courses/{course}/",
    "a student's courses": "/api/v1/students/{student}/courses",
    "a student's courses, every status": "/api/v1/students/{student}/courses?status=all",
    "a course's students": "/api/v1/courses/{course}/students",
    "a student's history": "/api/v1/students/{student}/courses/history",
    "a course's history": "/api/v1/courses/{course}/history",
    "students filtered by course": "/api/v1/students/?course={course}",
    "courses filtered by student": "/api/v1/courses/?student={student}",
}


@pytest.mark.parametrize("path", READS.values(), ids=READS.keys())
def test_a_read_costs_the_same_queries_for_1_or_20_rows(api_client, path, django_assert_max_num_queries):
    counts = []
    for size in (1, 20):
        url = path.format(**world(size))
        with CaptureQueriesContext(connection) as queries:
            assert api_client.get(url).status_code == 200
        counts.append(len(queries))
    url = path.format(**world(3))
    with django_assert_max_num_queries(4):  # token; count; page (plus an existence check on sub-resources)
        assert api_client.get(url).status_code == 200
    assert counts[0] == counts[1], counts
