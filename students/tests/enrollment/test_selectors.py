"""The hand-written course-item SQL in ``students.selectors`` gives exactly what the ORM would."""

from datetime import timedelta

import pytest
from django.utils import timezone

from courses.tests.factories import CourseFactory
from students.enrollment import selectors
from students.enrollment.errors import AssociationNotFound, StudentNotFound
from students.models import EnrollmentStatus, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


def orm_course_items(student_id: int, statuses: tuple[str, ...]) -> list[dict]:
    """The reference: the same items, read through the ORM one row at a time."""
    items = []
    for row in (
        StudentCourse.objects.filter(student_id=student_id, status__in=statuses)
        .select_related("course")
        .order_by("course__code")
    ):
        position = None
        if row.status == EnrollmentStatus.WAITLISTED:
            position = StudentCourse.objects.filter(
                course_id=row.course_id,
                status=EnrollmentStatus.WAITLISTED,
                waitlist_ticket__lte=row.waitlist_ticket,
            ).count()
        items.append(
            {
                "id": row.course_id,
                "code": row.course.code,
                "title": row.course.title,
                "description": row.course.description,
                "enrolled_at": row.enrolled_at,
                "begin_date": row.begin_date,
                "end_date": row.end_date,
                "status": row.status,
                "waitlist_position": position,
            }
        )
    return items


@pytest.fixture
def student_in_every_status() -> int:
    """A student with courses in each status, waiting third in one course and first in another."""
    student = StudentFactory()
    moment = timezone.now() - timedelta(days=3, microseconds=123)
    for status in (EnrollmentStatus.ENROLLED, EnrollmentStatus.DROPPED, EnrollmentStatus.COMPLETED):
        for _ in range(2):
            StudentCourseFactory(student=student, status=status, enrolled_at=moment)
    crowded, quiet = CourseFactory(), CourseFactory()
    for ticket, other in enumerate(StudentFactory.create_batch(2), start=1):
        StudentCourseFactory(student=other, course=crowded, status=EnrollmentStatus.WAITLISTED, waitlist_ticket=ticket)
    StudentCourseFactory(student=student, course=crowded, status=EnrollmentStatus.WAITLISTED, waitlist_ticket=5)
    StudentCourseFactory(student=student, course=quiet, status=EnrollmentStatus.WAITLISTED, waitlist_ticket=9)
    return student.id


@pytest.mark.parametrize("status", list(selectors.STATUS_FILTERS))
def test_student_courses_equal_the_orm_answer_for_each_status_filter(student_in_every_status, status):
    expected = orm_course_items(student_in_every_status, selectors.STATUS_FILTERS[status])

    assert selectors.student_courses(student_id=student_in_every_status, status=status) == expected
    assert expected, "the fixture has rows in every status"


def test_waitlist_positions_count_the_tickets_at_or_below_the_students_own(student_in_every_status):
    items = selectors.student_courses(student_id=student_in_every_status, status="waitlisted")

    assert sorted(item["waitlist_position"] for item in items) == [1, 3]


def test_course_items_carry_aware_datetimes(student_in_every_status):
    items = selectors.student_courses(student_id=student_in_every_status, status="all")

    assert all(timezone.is_aware(item["enrolled_at"]) for item in items)


def test_student_course_equals_the_matching_item_of_every_status(student_in_every_status):
    every = orm_course_items(student_in_every_status, selectors.STATUS_FILTERS["all"])

    for item in every:
        assert selectors.student_course(student_id=student_in_every_status, course_id=item["id"]) == item


def test_student_course_of_a_course_never_taken_is_not_found(student_in_every_status):
    with pytest.raises(AssociationNotFound):
        selectors.student_course(student_id=student_in_every_status, course_id=CourseFactory().id)


def test_student_courses_of_a_missing_student_is_not_found():
    with pytest.raises(StudentNotFound):
        selectors.student_courses(student_id=987_654)


def test_student_courses_of_a_student_without_courses_is_empty():
    assert selectors.student_courses(student_id=StudentFactory().id) == []
