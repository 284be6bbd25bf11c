"""Concurrency against a live server over real HTTP (the proof is the PostgreSQL run; SQLite serializes writers).

Figures for the closing note come from these tests' own assertions: 10 trials of 50 parallel identical
enrollments, and 10 trials of 6 mixed parallel writes on one student.
"""

import itertools
import random
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http import HTTPStatus

import pytest
import requests
from django.contrib.auth.models import User

from conftest import token_for
from courses.tests.factories import CourseFactory
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentEvent, StudentCourse
from students.tests.factories import StudentFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.concurrency]
TRIALS = 10


@pytest.fixture
def http(live_server) -> Iterator[requests.Session]:
    user = User.objects.create_superuser("racer", "racer@school.example", "a-long-test-password")
    session = requests.Session()
    session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=50))
    session.headers["Authorization"] = f"Token {token_for(user)}"
    session.base_url = f"{live_server.url}/api/v1"
    yield session
    session.close()


def enrolled(student_id: int) -> frozenset[int]:
    return frozenset(
        StudentCourse.objects.filter(student_id=student_id, status="enrolled").values_list("course_id", flat=True)
    )


def assert_history_chains_to_the_current_state(student_id: int) -> None:
    """Each event starts where the previous one for that association ended, and the last one is the present."""
    last: dict[int, str] = {}
    for event in EnrollmentEvent.objects.filter(student_id=student_id).order_by("id"):
        assert event.previous_status == last.get(event.course_id, ""), event
        last[event.course_id] = event.new_status
    current = dict(StudentCourse.objects.filter(student_id=student_id).values_list("course_id", "status"))
    assert last == current


@pytest.mark.parametrize("trial", range(TRIALS))
def test_fifty_parallel_identical_enrollments_make_exactly_one_association(http, trial):
    student, course = StudentFactory(), CourseFactory()
    url = f"{http.base_url}/students/{student.id}/courses"
    with ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(lambda _: http.post(url, json={"course_id": course.id}), range(50)))
    statuses = Counter(answer.status_code for answer in answers)
    unexpected = [
        (a.status_code, a.text[:300]) for a in answers if a.status_code not in (HTTPStatus.CREATED, HTTPStatus.OK)
    ]
    assert statuses == {HTTPStatus.CREATED: 1, HTTPStatus.OK: 49}, unexpected
    assert StudentCourse.objects.filter(student=student, course=course).count() == 1
    assert EnrollmentEvent.objects.filter(student=student).count() == 1


def simulate(order: tuple, start: frozenset[int]) -> frozenset[int]:
    state = set(start)
    for method, ids in order:
        if method == "PATCH":
            state |= set(ids)
        elif method == "PUT":
            state = set(ids)
        else:
            state -= set(ids)
    return frozenset(state)


@pytest.mark.parametrize("trial", range(TRIALS))
def test_mixed_parallel_writes_end_in_the_state_of_some_serial_order(http, trial):
    rng = random.Random(trial)
    student, courses = StudentFactory(), [c.id for c in CourseFactory.create_batch(5)]
    start = frozenset(rng.sample(courses, 2))
    services.set_courses(student_id=student.id, course_ids=start, actor=Actor(channel=Channel.SYSTEM))
    writes = [
        rng.choice(
            [
                ("PATCH", tuple(rng.sample(courses, 2))),
                ("PUT", tuple(rng.sample(courses, 3))),
                ("DELETE", (rng.choice(courses),)),
            ]
        )
        for _ in range(6)
    ]
    url = f"{http.base_url}/students/{student.id}/courses"

    def send(write) -> int:
        method, ids = write
        if method == "DELETE":
            return http.delete(f"{url}/{ids[0]}").status_code
        return http.request(method, url, json={"course_ids": list(ids)}).status_code

    with ThreadPoolExecutor(max_workers=6) as pool:
        statuses = list(pool.map(send, writes))

    assert all(status in (HTTPStatus.OK, HTTPStatus.NO_CONTENT, HTTPStatus.NOT_FOUND) for status in statuses)
    serial_outcomes = {simulate(order, start) for order in itertools.permutations(writes)}
    assert enrolled(student.id) in serial_outcomes
    assert_history_chains_to_the_current_state(student.id)


def test_capacity_and_history_hold_under_mixed_parallel_enrollments_and_drops(http):
    course = CourseFactory(capacity=5)
    students = StudentFactory.create_batch(30)
    url = f"{http.base_url}/students"

    def churn(index: int) -> int:
        student = students[index % len(students)]
        if index % 3 == 2:
            return http.delete(f"{url}/{student.id}/courses/{course.id}").status_code
        return http.post(f"{url}/{student.id}/courses", json={"course_id": course.id, "waitlist": True}).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = Counter(pool.map(churn, range(90)))

    assert not [status for status in statuses if status >= 500]
    rows = StudentCourse.objects.filter(course=course)
    assert rows.filter(status="enrolled").count() <= 5
    waiting = list(
        rows.filter(status="waitlisted").order_by("waitlist_ticket").values_list("waitlist_ticket", flat=True)
    )
    assert len(waiting) == len(set(waiting))
    if waiting:  # anyone still waiting means the course is full: seats never stay free while someone waits
        assert rows.filter(status="enrolled").count() == 5
    for student in students:
        assert_history_chains_to_the_current_state(student.id)


@pytest.mark.parametrize("trial", range(3))
def test_of_writers_holding_the_same_etag_exactly_one_wins_and_the_others_get_412(http, trial):
    student, courses = StudentFactory(), CourseFactory.create_batch(8)
    url = f"{http.base_url}/students/{student.id}/courses"
    etag = http.get(url).headers["ETag"]

    def put(course) -> int:
        return http.put(url, json={"course_ids": [course.id]}, headers={"If-Match": etag}).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = Counter(pool.map(put, courses))

    assert statuses == {HTTPStatus.OK: 1, HTTPStatus.PRECONDITION_FAILED: 7}
    assert len(enrolled(student.id)) == 1
    assert EnrollmentEvent.objects.filter(student=student).count() == 1
