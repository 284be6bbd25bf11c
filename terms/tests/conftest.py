"""A fall and a spring term, and a fall course with students in every status and two teachers."""

import pytest

from courses.models import Course
from courses.tests.factories import CourseFactory
from schools.models import AcademicSession, SessionType
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory
from teachers.models import Assignment, Teacher

COMMAND = Actor(channel=Channel.COMMAND)


def make_term(title: str, start: str, end: str) -> AcademicSession:
    return AcademicSession.objects.create(
        title=title, type=SessionType.TERM, start_date=start, end_date=end, school_year="2027"
    )


@pytest.fixture
def fall() -> AcademicSession:
    return make_term("Fall 2026", "2026-08-17", "2027-01-15")


@pytest.fixture
def spring() -> AcademicSession:
    return make_term("Spring 2027", "2027-01-15", "2027-06-20")


@pytest.fixture
def algebra(fall) -> Course:
    """A fall course of two seats: two students enrolled, one waiting, one dropped earlier; a primary teacher and an
    aide."""
    course = CourseFactory(code="ALG1-A-FALL2026", term=fall, capacity=2)
    ada, bo, cy, di = StudentFactory.create_batch(4)
    services.change_course_students(course_id=course.id, enroll=[ada.id, di.id], actor=COMMAND)
    services.change_course_students(course_id=course.id, enroll=[bo.id, cy.id], actor=COMMAND, waitlist=True)
    services.drop(student_id=di.id, course_id=course.id, actor=COMMAND)  # bo, first waiting, takes the seat
    for email, role in (("ms.ng@school.example", "primary"), ("mr.ox@school.example", "aide")):
        teacher = Teacher.objects.create(first_name="T", last_name=email[:5], email=email, school=course.school)
        Assignment.objects.create(teacher=teacher, course=course, role=role)
    return course
