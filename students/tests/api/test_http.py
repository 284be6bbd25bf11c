"""The association API over real HTTP against a live server, including parallel identical requests."""

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import requests
from django.contrib.auth.models import User

from conftest import token_for
from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent, StudentCourse
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def http(live_server) -> Iterator[requests.Session]:
    user = User.objects.create_superuser("http", "http@school.example", "a-long-test-password")
    session = requests.Session()
    session.headers["Authorization"] = f"Token {token_for(user)}"
    session.base_url = f"{live_server.url}/api/v1"
    yield session
    session.close()  # ends the server's keep-alive threads, and with them their database connections


def test_every_association_endpoint_answers_over_http(http):
    student, courses = StudentFactory(), CourseFactory.create_batch(3)
    url = f"{http.base_url}/students/{student.id}/courses"
    assert http.post(url, json={"course_id": courses[0].id}).status_code == HTTPStatus.CREATED
    assert len(http.patch(url, json={"course_ids": [c.id for c in courses]}).json()) == 3
    assert [c["id"] for c in http.put(url, json={"course_ids": [courses[1].id]}).json()] == [courses[1].id]
    assert http.delete(f"{url}/{courses[1].id}").status_code == HTTPStatus.NO_CONTENT
    assert http.get(url).json() == []
    missing = http.patch(url, json={"course_ids": [999_999]})
    assert (missing.status_code, missing.headers["Content-Type"]) == (422, "application/problem+json")


def test_parallel_identical_enrollments_make_exactly_one_association(http):
    student, course = StudentFactory(), CourseFactory()
    url = f"{http.base_url}/students/{student.id}/courses"

    def enroll(_: int) -> int:
        return http.post(url, json={"course_id": course.id}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = Counter(pool.map(enroll, range(20)))

    assert statuses == {HTTPStatus.CREATED: 1, HTTPStatus.OK: 19}
    assert StudentCourse.objects.filter(student=student, course=course).count() == 1


def test_parallel_patches_of_different_courses_all_land(http):
    student, courses = StudentFactory(), CourseFactory.create_batch(12)
    url = f"{http.base_url}/students/{student.id}/courses"

    def patch(course_id: int) -> int:
        return http.patch(url, json={"course_ids": [course_id]}).status_code

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = Counter(pool.map(patch, [c.id for c in courses]))

    assert statuses == {HTTPStatus.OK: 12}
    assert StudentCourse.objects.filter(student=student).count() == 12


def race(http, course, students, waitlist: bool) -> Counter:
    def enroll(student) -> int:
        body = {"course_id": course.id, "waitlist": waitlist}
        return http.post(f"{http.base_url}/students/{student.id}/courses", json=body).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        return Counter(pool.map(enroll, students))


def test_forty_clients_racing_for_ten_seats_fill_exactly_ten(http):
    course, students = CourseFactory(capacity=10), StudentFactory.create_batch(40)
    statuses = race(http, course, students, waitlist=False)
    assert statuses == {HTTPStatus.CREATED: 10, HTTPStatus.CONFLICT: 30}
    assert StudentCourse.objects.filter(course=course, status="enrolled").count() == 10


def test_forty_clients_racing_with_the_waitlist_queue_in_the_order_they_were_served(http):
    course, students = CourseFactory(capacity=10), StudentFactory.create_batch(40)
    statuses = race(http, course, students, waitlist=True)
    assert statuses == {HTTPStatus.CREATED: 10, HTTPStatus.ACCEPTED: 30}
    waiting = list(StudentCourse.objects.filter(course=course, status="waitlisted").order_by("waitlist_ticket"))
    assert [row.waitlist_ticket for row in waiting] == list(range(1, 31))
    # The queue is the order in which the requests were served: each waitlisting event is later than the last.
    events = {e.student_id: e.id for e in EnrollmentEvent.objects.filter(course=course, new_status="waitlisted")}
    assert [events[row.student_id] for row in waiting] == sorted(events.values())


def test_parallel_drops_promote_the_waitlist_first_come_first_served(http):
    course, students = CourseFactory(capacity=10), StudentFactory.create_batch(25)
    race(http, course, students, waitlist=True)
    enrolled = list(StudentCourse.objects.filter(course=course, status="enrolled").values_list("student_id", flat=True))
    queue = list(
        StudentCourse.objects.filter(course=course, status="waitlisted")
        .order_by("waitlist_ticket")
        .values_list("student_id", flat=True)
    )

    def drop(student_id: int) -> int:
        return http.delete(f"{http.base_url}/students/{student_id}/courses/{course.id}").status_code

    with ThreadPoolExecutor(max_workers=10) as pool:
        assert set(pool.map(drop, enrolled[:6])) == {HTTPStatus.NO_CONTENT}

    now_enrolled = set(
        StudentCourse.objects.filter(course=course, status="enrolled").values_list("student_id", flat=True)
    )
    assert len(now_enrolled) == 10
    assert now_enrolled == set(enrolled[6:]) | set(queue[:6])
