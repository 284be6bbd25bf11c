"""The enrollment lifecycle through the API: status, capacity and waitlist, status changes, dry runs, history."""

from http import HTTPStatus

import pytest

from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db


def courses_url(student_id: int, suffix: str = "") -> str:
    return f"/api/v1/students/{student_id}/courses{suffix}"


def status_of(student, course) -> str | None:
    row = StudentCourse.objects.filter(student=student, course=course).first()
    return row.status if row else None


def enroll(api_client, student, course, **extra):
    return api_client.post(courses_url(student.id), {"course_id": course.id, **extra}, format="json")


@pytest.fixture
def full_course(db):
    """A course with one seat, taken."""
    course = CourseFactory(capacity=1)
    StudentCourseFactory(course=course)
    return course


def test_enrolling_in_a_full_course_is_refused_with_course_full(api_client, student, full_course):
    response = enroll(api_client, student, full_course)
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "course_full"
    assert response.json()["course_ids"] == [full_course.id]
    assert status_of(student, full_course) is None


def test_asking_for_the_waitlist_on_a_full_course_waitlists_with_202(api_client, student, full_course):
    response = enroll(api_client, student, full_course, waitlist=True)
    assert response.status_code == HTTPStatus.ACCEPTED
    assert (response.json()["status"], response.json()["waitlist_position"]) == ("waitlisted", 1)


def test_asking_for_the_waitlist_again_is_a_no_op_answered_200(api_client, student, full_course):
    enroll(api_client, student, full_course, waitlist=True)
    response = enroll(api_client, student, full_course, waitlist=True)
    assert response.status_code == HTTPStatus.OK
    assert EnrollmentEvent.objects.filter(student=student).count() == 1


def test_enrolling_a_waitlisted_student_again_keeps_them_waiting_with_200(api_client, student, full_course):
    enroll(api_client, student, full_course, waitlist=True)
    response = enroll(api_client, student, full_course)
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "waitlisted"


def test_putting_the_same_set_again_keeps_a_waitlisted_course_waiting(api_client, student, full_course):
    enroll(api_client, student, full_course, waitlist=True)
    response = api_client.put(courses_url(student.id), {"course_ids": [full_course.id]}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert status_of(student, full_course) == "waitlisted"


def test_a_course_with_a_free_seat_enrolls_even_when_the_waitlist_is_asked_for(api_client, student):
    response = enroll(api_client, student, CourseFactory(capacity=5), waitlist=True)
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["status"] == "enrolled"


def test_a_dropped_association_is_re_enrolled_with_201(api_client, student, course):
    StudentCourseFactory(student=student, course=course, status="dropped")
    assert enroll(api_client, student, course).status_code == HTTPStatus.CREATED
    assert status_of(student, course) == "enrolled"


def test_patching_with_a_full_course_names_the_full_ones_and_changes_nothing(api_client, student, full_course):
    free = CourseFactory()
    response = api_client.patch(courses_url(student.id), {"course_ids": [free.id, full_course.id]}, format="json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["course_ids"] == [full_course.id]
    assert not StudentCourse.objects.filter(student=student).exists()
    assert not EnrollmentEvent.objects.filter(student=student).exists()


def test_patching_with_the_waitlist_enrolls_where_free_and_waitlists_where_full(api_client, student, full_course):
    free = CourseFactory()
    body = {"course_ids": [free.id, full_course.id], "waitlist": True}
    assert api_client.patch(courses_url(student.id), body, format="json").status_code == HTTPStatus.OK
    assert (status_of(student, free), status_of(student, full_course)) == ("enrolled", "waitlisted")


def test_putting_drops_the_courses_left_out_and_keeps_their_rows(api_client, student, course):
    StudentCourseFactory(student=student, course=course)
    response = api_client.put(courses_url(student.id), {"course_ids": []}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert status_of(student, course) == "dropped"


def test_putting_leaves_completed_courses_alone(api_client, student, course):
    StudentCourseFactory(student=student, course=course, status="completed")
    response = api_client.put(courses_url(student.id), {"course_ids": []}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert status_of(student, course) == "completed"


def test_deleting_drops_the_association_and_keeps_the_row(api_client, student, course):
    StudentCourseFactory(student=student, course=course)
    assert api_client.delete(courses_url(student.id, f"/{course.id}")).status_code == HTTPStatus.NO_CONTENT
    assert status_of(student, course) == "dropped"


def test_deleting_a_dropped_association_is_not_found(api_client, student, course):
    StudentCourseFactory(student=student, course=course, status="dropped")
    assert api_client.delete(courses_url(student.id, f"/{course.id}")).status_code == HTTPStatus.NOT_FOUND


def test_a_freed_seat_goes_to_the_longest_waiting_student(api_client, full_course):
    seated = StudentCourse.objects.get(course=full_course).student
    first, second = StudentFactory(), StudentFactory()
    enroll(api_client, first, full_course, waitlist=True)
    enroll(api_client, second, full_course, waitlist=True)
    api_client.delete(courses_url(seated.id, f"/{full_course.id}"))
    assert (status_of(first, full_course), status_of(second, full_course)) == ("enrolled", "waitlisted")
    promotion = EnrollmentEvent.objects.filter(student=first, new_status="enrolled").get()
    assert (promotion.channel, promotion.actor) == ("system", None)


def test_waitlist_positions_move_up_when_someone_ahead_leaves(api_client, full_course):
    waiting = StudentFactory.create_batch(3)
    for student in waiting:
        enroll(api_client, student, full_course, waitlist=True)
    api_client.delete(courses_url(waiting[0].id, f"/{full_course.id}"))
    items = api_client.get(courses_url(waiting[2].id, "?status=waitlisted")).json()
    assert items[0]["waitlist_position"] == 2


def test_completing_a_course_frees_its_seat_for_the_waitlist(api_client, full_course, student):
    seated = StudentCourse.objects.get(course=full_course).student
    enroll(api_client, student, full_course, waitlist=True)
    response = api_client.patch(courses_url(seated.id, f"/{full_course.id}"), {"status": "completed"}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "completed"
    assert status_of(student, full_course) == "enrolled"


def test_a_waitlisted_course_cannot_be_completed(api_client, student, full_course):
    enroll(api_client, student, full_course, waitlist=True)
    response = api_client.patch(courses_url(student.id, f"/{full_course.id}"), {"status": "completed"}, format="json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "invalid_status_change"


def test_re_enrolling_through_a_status_change_needs_a_free_seat(api_client, student, full_course):
    StudentCourseFactory(student=student, course=full_course, status="dropped")
    response = api_client.patch(courses_url(student.id, f"/{full_course.id}"), {"status": "enrolled"}, format="json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "course_full"


@pytest.mark.parametrize("status", ["waitlisted", "graduated", None, 1])
def test_a_status_change_to_anything_but_enrolled_dropped_or_completed_is_refused(api_client, student, course, status):
    StudentCourseFactory(student=student, course=course)
    response = api_client.patch(courses_url(student.id, f"/{course.id}"), {"status": status}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_status_change_of_a_course_never_associated_is_not_found(api_client, student, course):
    response = api_client.patch(courses_url(student.id, f"/{course.id}"), {"status": "dropped"}, format="json")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_setting_the_same_status_again_changes_nothing(api_client, student, course):
    StudentCourseFactory(student=student, course=course)
    response = api_client.patch(courses_url(student.id, f"/{course.id}"), {"status": "enrolled"}, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["status"] == "enrolled"
    assert not EnrollmentEvent.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
def test_a_dry_run_describes_the_change_and_makes_none(api_client, student, full_course, method):
    dropped_later, free = StudentCourseFactory(student=student).course, CourseFactory()
    body = {"course_ids": [free.id, full_course.id]}
    response = getattr(api_client, method)(courses_url(student.id, "?dry_run=true"), body, format="json")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {
        "added": [free.id],
        "removed": [dropped_later.id] if method == "put" else [],
        "waitlisted": [],
        "unchanged": [],
        "full": [full_course.id],
    }
    assert status_of(student, free) is None
    assert status_of(student, dropped_later) == "enrolled"
    assert not EnrollmentEvent.objects.exists()


def test_a_dry_run_with_the_waitlist_lists_what_would_wait(api_client, student, full_course):
    body = {"course_ids": [full_course.id], "waitlist": True}
    response = api_client.patch(courses_url(student.id, "?dry_run=true"), body, format="json")
    assert response.json()["waitlisted"] == [full_course.id]


def test_a_dry_run_naming_a_missing_course_is_still_course_not_found(api_client, student):
    response = api_client.patch(courses_url(student.id, "?dry_run=1"), {"course_ids": [999]}, format="json")
    assert response.json()["code"] == "course_not_found"


def test_a_bad_dry_run_value_is_a_validation_error(api_client, student):
    response = api_client.patch(courses_url(student.id, "?dry_run=perhaps"), {"course_ids": []}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize(("query", "expected"), [("", ["enrolled"]), ("?status=all", ["dropped", "enrolled"])])
def test_the_status_query_chooses_which_associations_are_listed(api_client, student, query, expected):
    StudentCourseFactory(student=student, course=CourseFactory(code="A1"), status="dropped")
    StudentCourseFactory(student=student, course=CourseFactory(code="B1"))
    assert [item["status"] for item in api_client.get(courses_url(student.id, query)).json()] == expected


def test_an_unknown_status_query_is_a_validation_error(api_client, student):
    assert api_client.get(courses_url(student.id, "?status=lost")).status_code == HTTPStatus.BAD_REQUEST


def test_every_change_writes_one_event_per_association(api_client, student, superuser):
    courses = CourseFactory.create_batch(3)
    api_client.patch(courses_url(student.id), {"course_ids": [c.id for c in courses]}, format="json")
    api_client.put(courses_url(student.id), {"course_ids": [courses[0].id]}, format="json")
    events = EnrollmentEvent.objects.filter(student=student)
    assert events.count() == 5
    assert set(events.values_list("channel", "actor_username")) == {("api", superuser.username)}


def test_a_students_history_is_newest_first_and_filterable_by_time(api_client, student, course):
    enroll(api_client, student, course)
    api_client.delete(courses_url(student.id, f"/{course.id}"))
    body = api_client.get(courses_url(student.id, "/history")).json()
    assert [(e["previous_status"], e["new_status"]) for e in body["results"]] == [
        ("enrolled", "dropped"),
        ("", "enrolled"),
    ]
    latest = EnrollmentEvent.objects.first().created_at.isoformat()
    since = api_client.get(courses_url(student.id, "/history"), {"since": latest}).json()
    assert since["count"] == 1


def test_a_courses_history_lists_every_students_events(api_client, course):
    for student in StudentFactory.create_batch(2):
        enroll(api_client, student, course)
    assert api_client.get(f"/api/v1/courses/{course.id}/history").json()["count"] == 2


def test_history_of_an_unknown_student_or_course_is_not_found(api_client):
    assert api_client.get(courses_url(424242, "/history")).status_code == HTTPStatus.NOT_FOUND
    assert api_client.get("/api/v1/courses/424242/history").status_code == HTTPStatus.NOT_FOUND


def test_a_bad_time_filter_is_a_validation_error(api_client, student):
    assert api_client.get(courses_url(student.id, "/history?since=yesterday")).status_code == HTTPStatus.BAD_REQUEST


def test_raising_the_capacity_promotes_waitlisted_students_in_order(api_client, full_course):
    waiting = StudentFactory.create_batch(3)
    for student in waiting:
        enroll(api_client, student, full_course, waitlist=True)
    api_client.patch(f"/api/v1/courses/{full_course.id}", {"capacity": 3}, format="json")
    assert [status_of(s, full_course) for s in waiting] == ["enrolled", "enrolled", "waitlisted"]


def test_removing_the_capacity_promotes_everyone_waiting(api_client, full_course):
    waiting = StudentFactory.create_batch(2)
    for student in waiting:
        enroll(api_client, student, full_course, waitlist=True)
    api_client.patch(f"/api/v1/courses/{full_course.id}", {"capacity": None}, format="json")
    assert [status_of(s, full_course) for s in waiting] == ["enrolled", "enrolled"]


def test_lowering_the_capacity_keeps_everyone_and_blocks_new_enrollments(api_client, student):
    course = CourseFactory(capacity=3)
    for other in StudentFactory.create_batch(3):
        enroll(api_client, other, course)
    api_client.patch(f"/api/v1/courses/{course.id}", {"capacity": 1}, format="json")
    assert StudentCourse.objects.filter(course=course, status="enrolled").count() == 3
    assert enroll(api_client, student, course).status_code == HTTPStatus.CONFLICT


@pytest.mark.parametrize("capacity", [0, -1, "many"])
def test_a_capacity_that_is_not_a_positive_integer_is_refused(api_client, capacity):
    response = api_client.post("/api/v1/courses/", {"code": "X1", "title": "X", "capacity": capacity}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_deleting_a_course_with_history_is_refused(api_client, course):
    StudentCourseFactory(course=course, status="dropped")
    response = api_client.delete(f"/api/v1/courses/{course.id}")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "has_enrollment_history"


def test_listing_courses_with_waitlist_positions_costs_a_constant_number_of_queries(
    api_client, student, django_assert_max_num_queries
):
    for course in CourseFactory.create_batch(20, capacity=1):
        StudentCourseFactory(course=course)
        enroll(api_client, student, course, waitlist=True)
    with django_assert_max_num_queries(2):
        assert len(api_client.get(courses_url(student.id, "?status=waitlisted")).json()) == 20


def test_the_course_list_counts_only_enrolled_students(api_client, course):
    StudentCourseFactory(course=course), StudentCourseFactory(course=course, status="dropped")
    assert api_client.get(f"/api/v1/courses/{course.id}/students").json()["count"] == 1
    assert api_client.get(f"/api/v1/students/?course={course.id}").json()["count"] == 1
