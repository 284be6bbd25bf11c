"""GET /api/v1/changes: what each write puts in the feed, and how a consumer pages through it."""

from http import HTTPStatus

import pytest
from django.core.management import call_command
from django.utils import timezone

from changes.models import Change
from courses.tests.factories import CourseFactory
from students.models import Student, StudentCourse
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db
FEED = "/api/v1/changes"


def everything(client, **params) -> list[dict]:
    """Follows the feed from the start to its end, page by page."""
    entries, cursor = [], "0"
    while True:
        page = client.get(FEED, {**params, "after": cursor, "limit": 7}).json()
        entries += page["changes"]
        if cursor == page["cursor"] and not page["changes"]:
            return entries
        cursor = page["cursor"]


def test_a_student_created_over_the_api_is_an_entry_with_the_students_representation(api_client):
    created = api_client.post(
        "/api/v1/students", {"first_name": "Ada", "last_name": "L", "email": "ada@s.example"}, format="json"
    )
    [entry] = everything(api_client)
    assert entry["type"] == "student.created"
    assert (entry["object_type"], entry["object_id"]) == ("student", str(created.json()["id"]))
    assert (entry["actor"], entry["channel"]) == ("root", "api")
    assert entry["data"] == created.json()


def test_an_update_carries_the_object_as_get_answers_it_after_the_update(api_client, student):
    Change.objects.all().delete()
    api_client.patch(f"/api/v1/students/{student.id}", {"first_name": "Grace"}, format="json")
    [entry] = everything(api_client)
    assert entry["type"] == "student.updated"
    assert entry["data"] == api_client.get(f"/api/v1/students/{student.id}").json()


def test_a_deleted_course_leaves_a_tombstone_with_its_id(api_client, course):
    api_client.delete(f"/api/v1/courses/{course.id}")
    entry = everything(api_client)[-1]
    assert (entry["type"], entry["object_id"], entry["data"]) == ("course.deleted", str(course.id), {"id": course.id})


def test_enrolling_and_dropping_are_entries_naming_the_student_the_course_and_both_statuses(api_client):
    student, course = StudentFactory(), CourseFactory()
    api_client.post(f"/api/v1/students/{student.id}/courses", {"course_id": course.id}, format="json")
    api_client.delete(f"/api/v1/students/{student.id}/courses/{course.id}")
    enrolled, dropped = everything(api_client, types="enrollment.enrolled,enrollment.dropped")
    assert enrolled["object_id"] == dropped["object_id"] == f"{student.id}/{course.id}"
    assert enrolled["data"] == {
        "student_id": student.id,
        "course_id": course.id,
        "status": "enrolled",
        "previous_status": None,
        "begin_date": timezone.localdate().isoformat(),  # the course's term has begun
        "end_date": None,
        "reason": None,
    }
    assert (dropped["data"]["previous_status"], dropped["data"]["status"]) == ("enrolled", "dropped")


def test_an_entry_carries_the_dates_the_association_has_after_the_change(api_client):
    student, course = StudentFactory(), CourseFactory()
    api_client.post(f"/api/v1/students/{student.id}/courses", {"course_id": course.id}, format="json")
    api_client.delete(f"/api/v1/students/{student.id}/courses/{course.id}")
    (dropped,) = everything(api_client, types="enrollment.dropped")
    association = StudentCourse.objects.get()
    assert (dropped["data"]["begin_date"], dropped["data"]["end_date"]) == (
        association.begin_date.isoformat(),
        association.end_date.isoformat(),
    )


def test_a_promotion_is_an_entry_made_by_the_system(api_client):
    course = CourseFactory(capacity=1)
    first, second = StudentFactory.create_batch(2)
    for student in (first, second):
        api_client.post(
            f"/api/v1/students/{student.id}/courses", {"course_id": course.id, "waitlist": True}, format="json"
        )
    api_client.delete(f"/api/v1/students/{first.id}/courses/{course.id}")
    promoted = everything(api_client, types="enrollment.enrolled")[-1]
    assert promoted["object_id"] == f"{second.id}/{course.id}"
    assert (promoted["channel"], promoted["actor"], promoted["data"]["previous_status"]) == ("system", "", "waitlisted")


def test_a_change_made_in_the_admin_names_the_admin_channel_and_the_staff_member(admin_client, api_client):
    response = admin_client.post(
        "/admin/courses/course/add/", {"code": "CS9", "title": "Compilers", "description": "", "capacity": ""}
    )
    assert response.status_code == HTTPStatus.FOUND
    entries = everything(api_client)  # the course, and the catalog course made for it
    assert [(e["type"], e["channel"], e["actor"]) for e in entries] == [
        ("catalog_course.created", "admin", "admin"),
        ("course.created", "admin", "admin"),
    ]


def test_pages_follow_each_other_without_gaps_or_repeats(api_client):
    StudentFactory.create_batch(20)
    first = api_client.get(FEED, {"limit": 8}).json()
    second = api_client.get(FEED, {"limit": 8, "after": first["cursor"]}).json()
    positions = [int(e["cursor"]) for e in first["changes"] + second["changes"]]
    assert positions == list(range(1, 17))
    assert first["has_more"]
    assert second["has_more"]


def test_a_cursor_at_the_end_answers_nothing_and_keeps_the_cursor(api_client):
    StudentFactory()
    end = api_client.get(FEED).json()
    assert not end["has_more"]
    again = api_client.get(FEED, {"after": end["cursor"]}).json()
    assert (again["changes"], again["cursor"], again["has_more"]) == ([], end["cursor"], False)


def test_filtering_by_type_moves_the_cursor_past_entries_of_other_types(api_client):
    StudentFactory.create_batch(3)
    page = api_client.get(FEED, {"types": "course.created"}).json()
    assert page["changes"] == []
    assert page["cursor"] == "3"


def test_a_cursor_past_the_end_is_refused_as_cursor_ahead(api_client):
    StudentFactory()
    response = api_client.get(FEED, {"after": "2"})
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "cursor_ahead"


@pytest.mark.parametrize(
    "params",
    [{"after": "-1"}, {"after": "1.0"}, {"after": "x"}, {"limit": "0"}, {"limit": "1001"}, {"types": "student.eaten"}],
)
def test_malformed_parameters_are_refused(api_client, params):
    assert api_client.get(FEED, params).status_code == HTTPStatus.BAD_REQUEST


def test_reading_the_feed_needs_the_view_change_permission(client_with_permissions):
    assert client_with_permissions("students.view_student").get(FEED).status_code == HTTPStatus.FORBIDDEN
    assert client_with_permissions("changes.view_change").get(FEED).status_code == HTTPStatus.OK


def test_following_the_feed_of_the_demo_data_rebuilds_what_the_api_shows(api_client):
    call_command("seed_demo", students=12, courses=5, per_student=2, seed=3, stdout=None)
    students, enrollments = {}, {}
    for entry in everything(api_client):
        if entry["object_type"] == "student":
            students[entry["data"]["id"]] = entry["data"]
        elif entry["object_type"] == "enrollment":
            enrollments[entry["object_id"]] = entry["data"]["status"]
    listed = api_client.get("/api/v1/students", {"page_size": 100}).json()["results"]
    assert students == {s["id"]: s for s in listed}
    shown = {
        f"{s['id']}/{c['id']}": c["status"]
        for s in listed
        for c in api_client.get(f"/api/v1/students/{s['id']}/courses", {"status": "all"}).json()
    }
    assert enrollments == shown


@pytest.mark.django_db(transaction=True)
def test_a_student_whose_entry_cannot_be_recorded_is_not_created(api_client, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the feed's table is unreachable")

    monkeypatch.setattr(Change.objects, "bulk_create", fail)
    api_client.raise_request_exception = False
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@s.example"}
    response = api_client.post("/api/v1/students", body, format="json")
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert not Student.objects.exists()
