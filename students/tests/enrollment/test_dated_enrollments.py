"""Each association has its own begin and end date, written by every change as ``students.enrollment.dates`` says,
and "active on a day" means the same in the API, OneRoster and the change feed."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses.tests.factories import CourseFactory
from schools.tests.factories import TermFactory
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db

COMMAND = Actor(channel=Channel.COMMAND)
DAY = dt.timedelta(days=1)


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def coming_course():
    """A course of one seat in a term that starts in a month."""
    return CourseFactory(term=TermFactory(coming=True), capacity=1)


def enroll(student, course, *, waitlist: bool = False) -> None:
    services.change_courses(student_id=student.id, enroll=[course.id], actor=COMMAND, waitlist=waitlist)


def dates(student, course) -> tuple:
    row = StudentCourse.objects.get(student=student, course=course)
    return row.status, row.begin_date, row.end_date


def test_enrolling_in_a_course_going_on_begins_today(course, today):
    student = StudentFactory()
    enroll(student, course)
    assert dates(student, course) == ("enrolled", today, None)


def test_enrolling_in_a_coming_terms_course_begins_on_its_first_day_and_takes_its_seat_now(coming_course):
    first, second = StudentFactory(), StudentFactory()
    enroll(first, coming_course)
    enroll(second, coming_course, waitlist=True)

    assert dates(first, coming_course) == ("enrolled", coming_course.term.start_date, None)
    assert dates(second, coming_course) == ("waitlisted", None, None)


def test_dropping_makes_today_the_last_day(course, today):
    student = StudentFactory()
    enroll(student, course)
    services.drop(student_id=student.id, course_id=course.id, actor=COMMAND)
    assert dates(student, course) == ("dropped", today, today + DAY)


def test_dropping_before_a_coming_term_begins_leaves_an_empty_span(coming_course):
    student = StudentFactory()
    enroll(student, coming_course)
    services.drop(student_id=student.id, course_id=coming_course.id, actor=COMMAND)
    start = coming_course.term.start_date
    assert dates(student, coming_course) == ("dropped", start, start)


def test_completing_makes_today_the_last_day(course, today):
    student = StudentFactory()
    enroll(student, course)
    services.change_status(student_id=student.id, course_id=course.id, status="completed", actor=COMMAND)
    assert dates(student, course) == ("completed", today, today + DAY)


def test_a_promotion_from_the_waitlist_begins_the_association(today):
    course = CourseFactory(capacity=1)
    holder, waiting = StudentFactory(), StudentFactory()
    enroll(holder, course)
    enroll(waiting, course, waitlist=True)
    services.drop(student_id=holder.id, course_id=course.id, actor=COMMAND)
    assert dates(waiting, course) == ("enrolled", today, None)


def test_enrolling_again_after_a_drop_begins_again_without_an_end(course, today):
    student = StudentFactory()
    StudentCourseFactory(
        student=student, course=course, status="dropped", begin_date=today - 60 * DAY, end_date=today - 30 * DAY
    )
    enroll(student, course)
    assert dates(student, course) == ("enrolled", today, None)


def test_joining_the_waitlist_again_after_a_drop_clears_both_dates(today):
    course = CourseFactory(capacity=1)
    student = StudentFactory()
    StudentCourseFactory(
        student=student, course=course, status="dropped", begin_date=today - 60 * DAY, end_date=today - 30 * DAY
    )
    StudentCourseFactory(course=course)  # the seat is taken
    enroll(student, course, waitlist=True)
    assert dates(student, course) == ("waitlisted", None, None)


def test_one_change_dates_each_course_by_its_own_term_in_one_update_per_status(
    course, coming_course, today, django_assert_num_queries
):
    ended = CourseFactory(term=TermFactory(start_date=today - 200 * DAY, end_date=today - 80 * DAY))
    going_on = CourseFactory.create_batch(2)
    student = StudentFactory()
    for again in (course, coming_course):
        StudentCourseFactory(student=student, course=again, status="dropped", begin_date=None, end_date=None)
    for leaving in [*going_on, ended]:
        StudentCourseFactory(student=student, course=leaving, begin_date=today - 100 * DAY, end_date=None)

    with django_assert_num_queries(queries_of_a_change()):
        services.change_courses(
            student_id=student.id,
            enroll=[course.id, coming_course.id],
            drop=[c.id for c in [*going_on, ended]],
            actor=COMMAND,
        )

    assert dates(student, course) == ("enrolled", today, None)
    assert dates(student, coming_course) == ("enrolled", coming_course.term.start_date, None)
    assert dates(student, ended) == ("dropped", today - 100 * DAY, ended.term.end_date)
    assert [dates(student, c) for c in going_on] == [("dropped", today - 100 * DAY, today + DAY)] * 2


def queries_of_a_change() -> int:
    """What ``change_courses`` costs enrolling again in one course (with a capacity) and dropping another, both
    of one term."""
    student, again, leaving = StudentFactory(), CourseFactory(capacity=5), CourseFactory()
    StudentCourseFactory(student=student, course=again, status="dropped")
    StudentCourseFactory(student=student, course=leaving)
    with CaptureQueriesContext(connection) as queries:
        services.change_courses(student_id=student.id, enroll=[again.id], drop=[leaving.id], actor=COMMAND)
    return len(queries)


# One meaning of "active on a day" across channels --------------------------------------------------------------


@pytest.fixture
def a_students_year(today):
    """A student with a course dropped last month, one going on, one completed, one to come, one waitlisted."""
    student = StudentFactory()
    earlier = today - 60 * DAY
    StudentCourseFactory(student=student, status="dropped", begin_date=earlier, end_date=today - 30 * DAY)
    StudentCourseFactory(student=student, status="enrolled", begin_date=earlier)
    StudentCourseFactory(student=student, status="completed", begin_date=earlier, end_date=today + DAY)
    StudentCourseFactory(student=student, status="enrolled", begin_date=today + 30 * DAY)
    StudentCourseFactory(student=student, status="waitlisted", begin_date=None, waitlist_ticket=1)
    return student


def active_in_the_api(api_client, student, day) -> set[str]:
    response = api_client.get(f"/api/v1/students/{student.id}/courses?active_on={day.isoformat()}")
    assert response.status_code == HTTPStatus.OK
    return {item["code"] for item in response.json()}


def test_the_api_lists_the_courses_taken_on_a_day_whatever_their_status(api_client, a_students_year, today):
    by_status = {
        (row.status, row.begin_date): row.course.code
        for row in StudentCourse.objects.filter(student=a_students_year).select_related("course")
    }
    going_on = by_status["enrolled", today - 60 * DAY]
    completed = by_status["completed", today - 60 * DAY]
    coming = by_status["enrolled", today + 30 * DAY]
    dropped = by_status["dropped", today - 60 * DAY]

    assert active_in_the_api(api_client, a_students_year, today) == {going_on, completed}
    assert active_in_the_api(api_client, a_students_year, today + DAY) == {going_on}
    assert active_in_the_api(api_client, a_students_year, today + 30 * DAY) == {going_on, coming}
    assert active_in_the_api(api_client, a_students_year, today - 45 * DAY) == {going_on, completed, dropped}


def test_active_on_with_a_status_lists_only_that_status(api_client, a_students_year, today):
    response = api_client.get(f"/api/v1/students/{a_students_year.id}/courses?active_on={today}&status=completed")
    assert [item["status"] for item in response.json()] == ["completed"]


def test_an_active_on_that_is_no_date_is_refused(api_client, a_students_year):
    response = api_client.get(f"/api/v1/students/{a_students_year.id}/courses?active_on=2026-13-01")
    assert response.status_code == HTTPStatus.BAD_REQUEST
