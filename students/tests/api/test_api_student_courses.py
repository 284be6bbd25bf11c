"""The association endpoints: /api/v1/students/{id}/courses[/{course_id}]."""

from http import HTTPStatus

import pytest
from django.db.models import Max

from courses.models import Course
from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


def courses_url(student_id: int, course_id: int | None = None) -> str:
    return f"/api/v1/students/{student_id}/courses" + (f"/{course_id}" if course_id else "")


def associated(student) -> set[int]:
    """The ids of the courses the student is enrolled in."""
    return set(StudentCourse.objects.filter(student=student, status="enrolled").values_list("course_id", flat=True))


def test_listing_a_students_courses_returns_them_ordered_by_code(api_client, student):
    for code in ["MA201", "CS101", "BI150"]:
        StudentCourseFactory(student=student, course=CourseFactory(code=code))
    response = api_client.get(courses_url(student.id))
    assert response.status_code == HTTPStatus.OK
    assert [item["code"] for item in response.json()] == ["BI150", "CS101", "MA201"]


def test_a_listed_course_carries_the_course_fields_enrolled_at_and_its_dates(api_client, student, course):
    association = StudentCourseFactory(student=student, course=course)
    (item,) = api_client.get(courses_url(student.id)).json()
    assert item == {
        "id": course.id,
        "code": course.code,
        "title": course.title,
        "description": course.description,
        "enrolled_at": association.enrolled_at.isoformat().replace("+00:00", "Z"),
        "begin_date": association.begin_date.isoformat(),
        "end_date": None,
        "status": "enrolled",
        "waitlist_position": None,
    }


def test_a_student_without_courses_lists_an_empty_array(api_client, student):
    response = api_client.get(courses_url(student.id))
    assert response.status_code == HTTPStatus.OK
    assert response.json() == []


def test_listing_the_courses_of_an_unknown_student_is_not_found(api_client):
    response = api_client.get(courses_url(424242))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("path", ["/api/v1/students/{id}/courses", "/api/v1/students/{id}/courses/"])
def test_the_courses_url_answers_with_and_without_trailing_slash(api_client, student, path):
    response = api_client.get(path.format(id=student.id))
    assert response.status_code == HTTPStatus.OK


def test_posting_a_new_course_creates_the_association(api_client, student, course):
    response = api_client.post(courses_url(student.id), {"course_id": course.id}, format="json")
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["id"] == course.id
    assert associated(student) == {course.id}


def test_posting_an_associated_course_again_is_a_no_op_answered_200(api_client, student, course):
    first = api_client.post(courses_url(student.id), {"course_id": course.id}, format="json")
    second = api_client.post(courses_url(student.id), {"course_id": course.id}, format="json")
    assert second.status_code == HTTPStatus.OK
    assert second.json() == first.json()
    assert StudentCourse.objects.filter(student=student).count() == 1


def test_posting_an_unknown_course_is_course_not_found(api_client, student):
    response = api_client.post(courses_url(student.id), {"course_id": 999}, format="json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "course_not_found"
    assert response.json()["course_ids"] == [999]


def test_posting_for_an_unknown_student_is_not_found(api_client, course):
    response = api_client.post(courses_url(424242), {"course_id": course.id}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_patching_associates_every_listed_course_and_returns_the_full_list(api_client, student):
    kept = StudentCourseFactory(student=student).course
    new = CourseFactory.create_batch(2)
    response = api_client.patch(courses_url(student.id), {"course_ids": [c.id for c in new]}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert {item["id"] for item in response.json()} == {kept.id, *(c.id for c in new)}
    assert associated(student) == {kept.id, *(c.id for c in new)}


def test_patching_leaves_the_enrolled_at_of_existing_associations_alone(api_client, student):
    association = StudentCourseFactory(student=student)
    enrolled_at = association.enrolled_at
    api_client.patch(courses_url(student.id), {"course_ids": [association.course_id]}, format="json")
    association.refresh_from_db()
    assert association.enrolled_at == enrolled_at


def test_patching_with_duplicate_ids_counts_each_course_once(api_client, student, course):
    response = api_client.patch(courses_url(student.id), {"course_ids": [course.id, course.id]}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert len(response.json()) == 1


def missing_course_ids(count: int) -> list[int]:
    """Ids no course has (PostgreSQL's sequences are not rolled back between tests: literal ids may be taken)."""
    last = Course.objects.aggregate(last=Max("id"))["last"] or 0
    return [last + 1000 + i for i in range(count)]


def test_patching_with_missing_courses_names_them_ascending_and_changes_nothing(api_client, student, course):
    low, high = missing_course_ids(2)
    response = api_client.patch(courses_url(student.id), {"course_ids": [course.id, high, low]}, format="json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    body = response.json()
    assert (body["code"], body["course_ids"]) == ("course_not_found", [low, high])
    assert associated(student) == set()


def test_putting_makes_the_courses_exactly_the_listed_set(api_client, student):
    removed, kept = StudentCourseFactory(student=student), StudentCourseFactory(student=student)
    added = CourseFactory()
    response = api_client.put(courses_url(student.id), {"course_ids": [kept.course_id, added.id]}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert {item["id"] for item in response.json()} == {kept.course_id, added.id}
    assert associated(student) == {kept.course_id, added.id}
    assert removed.course_id not in associated(student)


def test_putting_an_empty_list_clears_the_students_courses(api_client, student):
    StudentCourseFactory.create_batch(3, student=student)
    response = api_client.put(courses_url(student.id), {"course_ids": []}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == []
    assert associated(student) == set()


def test_putting_with_a_missing_course_changes_nothing(api_client, student):
    association = StudentCourseFactory(student=student)
    response = api_client.put(courses_url(student.id), {"course_ids": missing_course_ids(1)}, format="json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert associated(student) == {association.course_id}


def test_deleting_an_association_removes_it(api_client, student):
    association = StudentCourseFactory(student=student)
    response = api_client.delete(courses_url(student.id, association.course_id))
    assert response.status_code == HTTPStatus.NO_CONTENT
    assert associated(student) == set()


def test_deleting_a_course_that_is_not_associated_is_not_found(api_client, student, course):
    response = api_client.delete(courses_url(student.id, course.id))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_listing_a_courses_students_is_paginated(api_client, course):
    for student in StudentFactory.create_batch(3):
        StudentCourseFactory(student=student, course=course)
    StudentCourseFactory()  # another course's student
    response = api_client.get(f"/api/v1/courses/{course.id}/students?page_size=2")
    body = response.json()
    assert response.status_code == HTTPStatus.OK
    assert (body["count"], len(body["results"]), body["previous"]) == (3, 2, None)
    assert body["next"].endswith("page=2&page_size=2")


def test_listing_the_students_of_an_unknown_course_is_not_found(api_client):
    response = api_client.get("/api/v1/courses/424242/students")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_courses_students_can_be_searched(api_client, course):
    ada = StudentFactory(first_name="Ada")
    for student in (ada, StudentFactory(first_name="Grace", last_name="Hopper")):
        StudentCourseFactory(student=student, course=course)
    response = api_client.get(f"/api/v1/courses/{course.id}/students?search=ada")
    assert [s["id"] for s in response.json()["results"]] == [ada.id]


def test_listing_courses_costs_the_same_queries_for_1_or_200_courses(api_client, django_assert_max_num_queries):
    one, many = StudentFactory(), StudentFactory()
    StudentCourseFactory(student=one)
    for course in CourseFactory.create_batch(200):
        StudentCourseFactory(student=many, course=course)
    with django_assert_max_num_queries(2) as few:  # token and user; the courses
        response = api_client.get(courses_url(one.id))
    assert response.status_code == HTTPStatus.OK
    assert len(response.json()) == 1
    with django_assert_max_num_queries(2) as lots:
        response = api_client.get(courses_url(many.id))
    assert response.status_code == HTTPStatus.OK
    assert len(response.json()) == 200
    assert len(few) == len(lots)


def test_patching_costs_the_same_queries_for_1_or_200_courses(api_client, django_assert_max_num_queries):
    student = StudentFactory()
    one, many = CourseFactory(), CourseFactory.create_batch(200)
    # token; savepoint (the request's: the answer is read before it commits); savepoint (the service's); the
    # courses already taken (none: a change); lock student; lock courses (and read their terms' dates, which
    # date the rows); rows; insert; events; feed entries; release; the list; release
    with django_assert_max_num_queries(13) as few:
        api_client.patch(courses_url(student.id), {"course_ids": [one.id]}, format="json")
    with django_assert_max_num_queries(13) as lots:
        response = api_client.patch(courses_url(student.id), {"course_ids": [c.id for c in many]}, format="json")
    assert len(response.json()) == 201
    assert len(few) == len(lots)


def test_patching_courses_the_student_already_takes_reads_once_and_locks_nothing(
    api_client, django_assert_max_num_queries
):
    student = StudentFactory()
    courses = CourseFactory.create_batch(100, capacity=3)
    api_client.patch(courses_url(student.id), {"course_ids": [c.id for c in courses]}, format="json")
    events = EnrollmentEvent.objects.count()
    # token; savepoint (the request's); savepoint (the service's); the courses already taken: all; release; the
    # list; release
    with django_assert_max_num_queries(7) as queries:
        response = api_client.patch(courses_url(student.id), {"course_ids": [c.id for c in courses]}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert len(response.json()) == 100
    assert not [q for q in queries.captured_queries if "FOR UPDATE" in q["sql"]]
    assert EnrollmentEvent.objects.count() == events


def test_putting_costs_the_same_queries_for_1_or_200_courses(api_client, django_assert_max_num_queries):
    student = StudentFactory()
    StudentCourseFactory.create_batch(3, student=student)
    one, many = CourseFactory(), CourseFactory.create_batch(200)
    # token; savepoint (the request's); savepoint (the service's); lock student; active courses; lock courses;
    # rows; insert; update (drops); events; feed entries; release; the list; release (unlimited courses: no seats
    # to read)
    with django_assert_max_num_queries(14) as few:
        api_client.put(courses_url(student.id), {"course_ids": [one.id]}, format="json")
    with django_assert_max_num_queries(14) as lots:
        api_client.put(courses_url(student.id), {"course_ids": [c.id for c in many]}, format="json")
    assert len(few) == len(lots)
    assert len(associated(student)) == 200


def test_a_courses_students_look_exactly_like_the_student_resource(api_client, course):
    student = StudentCourseFactory(course=course).student
    listed = api_client.get(f"/api/v1/courses/{course.id}/students").json()["results"]
    assert listed == [api_client.get(f"/api/v1/students/{student.id}").json()]


def test_dropping_a_course_locks_and_reads_once(api_client, student, django_assert_max_num_queries):
    association = StudentCourseFactory(student=student)
    # token; savepoint; lock student; lock course; the row; update; event; feed entry; release (an unlimited course:
    # no seats to read, nobody to promote)
    with django_assert_max_num_queries(9):
        response = api_client.delete(courses_url(student.id, association.course_id))
    assert response.status_code == HTTPStatus.NO_CONTENT


def test_enrolling_in_courses_with_capacities_reads_their_seats_in_one_query(api_client, django_assert_max_num_queries):
    student = StudentFactory()
    one, many = CourseFactory(capacity=5), CourseFactory.create_batch(50, capacity=5)
    for course in many[:10]:  # full, with a waitlist
        StudentCourseFactory.create_batch(5, course=course)
        StudentCourseFactory(course=course, status="waitlisted", waitlist_ticket=1)
    # as for unlimited courses, and one read of the courses' enrolled counts and waitlists
    with django_assert_max_num_queries(14) as few:
        api_client.patch(courses_url(student.id), {"course_ids": [one.id], "waitlist": True}, format="json")
    with django_assert_max_num_queries(14) as lots:
        body = {"course_ids": [c.id for c in many], "waitlist": True}
        response = api_client.patch(courses_url(student.id), body, format="json")
    assert len(response.json()) == 41
    assert len(few) == len(lots)
