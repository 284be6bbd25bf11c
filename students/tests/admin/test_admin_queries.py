"""Every admin page costs the same number of queries however much data there is (bench/admin_pages.py measures
the pages' times and sizes at district scale; this holds their queries)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory
from teachers.tests.factories import AssignmentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

PAGES = {
    "student list": ("/admin/students/student/", 6),  # and the school filter's choices
    "student list, searched": ("/admin/students/student/?q=a", 6),
    "student list, one course": ("/admin/students/student/?course={course}", 6),
    "student page": ("/admin/students/student/{student}/change/", 7),  # and the schools to choose from
    "course list": ("/admin/courses/course/", 7),  # and the school and term filters' choices
    "course page": ("/admin/courses/course/{course}/change/", 10),  # its waitlist, schools, terms, catalog, teachers
    "course page, students page 2": ("/admin/courses/course/{course}/change/?students_page=2", 10),
    "teacher list": ("/admin/teachers/teacher/", 6),  # and the school filter's choices
    "teacher page": ("/admin/teachers/teacher/{teacher}/change/", 8),  # its assignments, each course picked
    "catalog course list": ("/admin/courses/catalogcourse/", 6),  # and the org filter's choices
    "enrollment events": ("/admin/students/enrollmentevent/", 4),
    "enrollment events, one course": ("/admin/students/enrollmentevent/?course_code={code}", 4),
    "student autocomplete": (
        "/admin/autocomplete/?app_label=students&model_name=studentcourse&field_name=student&term=a",
        4,
    ),
}


def world(size: int) -> dict:
    """``size`` courses and ``size`` * 3 students, each enrolled in two courses through the service (with events)."""
    courses = CourseFactory.create_batch(size)
    students = StudentFactory.create_batch(size * 3)
    actor = Actor(channel=Channel.COMMAND)
    services.enroll_many(changes={s.id: ([courses[0].id, courses[-1].id], ()) for s in students}, actor=actor)
    teachers = TeacherFactory.create_batch(size)
    for course in courses:
        AssignmentFactory(course=course, teacher=teachers[0])
    return {"student": students[0].id, "course": courses[0].id, "code": courses[0].code, "teacher": teachers[0].id}


@pytest.mark.parametrize(("path", "bound"), PAGES.values(), ids=PAGES.keys())
def test_an_admin_page_costs_the_same_queries_for_little_or_more_data(client, path, bound):
    client.force_login(User.objects.create_superuser("bound", "bound@school.example", "a-long-test-password"))
    counts = []
    for size in (2, 30):
        url = path.format(**world(size))
        client.get(url)  # the first request also fills process-wide caches (content types)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= bound
