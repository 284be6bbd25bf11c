"""/api/v1/teachers and /api/v1/assignments: who teaches, and which course, in which role, from when to when."""

from http import HTTPStatus

import pytest

from changes.models import Change
from courses.tests.factories import CourseFactory
from schools.models import Org, OrgType
from teachers.models import Assignment, AssignmentRole, Teacher
from teachers.tests.factories import AssignmentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_a_teacher_is_added_at_their_school_with_the_email_lower_case(api_client):
    school = Org.objects.first_school()
    body = {"first_name": "Ada", "last_name": "Byron", "email": "Ada@School.Example", "school": school.id}

    response = api_client.post("/api/v1/teachers", body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["email"] == "ada@school.example"
    assert Teacher.objects.get().school == school


def test_an_email_another_teacher_has_in_another_case_is_refused(api_client):
    TeacherFactory(email="ada@school.example")
    body = {"first_name": "A", "last_name": "B", "email": "ADA@school.example", "school": Org.objects.first_school().id}

    response = api_client.post("/api/v1/teachers", body, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert Teacher.objects.count() == 1


def test_a_teacher_at_an_org_that_is_no_school_is_refused(api_client):
    district = Org.objects.create(name="Springfield", type=OrgType.DISTRICT)
    body = {"first_name": "A", "last_name": "B", "email": "a@school.example", "school": district.id}

    response = api_client.post("/api/v1/teachers", body, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["errors"][0]["attr"] == "school"


def test_a_teacher_is_found_by_email_in_any_case(api_client):
    wanted, _ = TeacherFactory(email="grace@school.example"), TeacherFactory()

    found = api_client.get("/api/v1/teachers?email=Grace@School.example").json()["results"]

    assert [t["id"] for t in found] == [wanted.id]


def test_a_teacher_is_assigned_to_a_course_and_listed_as_its_teacher(api_client):
    teacher, course, other = TeacherFactory(), CourseFactory(), CourseFactory()
    body = {"teacher": teacher.id, "course": course.id, "role": "secondary", "begin_date": "2026-09-01"}

    response = api_client.post("/api/v1/assignments", body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert Assignment.objects.get().role == AssignmentRole.SECONDARY
    assert [t["id"] for t in api_client.get(f"/api/v1/teachers?course={course.id}").json()["results"]] == [teacher.id]
    assert api_client.get(f"/api/v1/teachers?course={other.id}").json()["results"] == []


def test_a_teacher_is_assigned_to_a_course_once(api_client):
    assignment = AssignmentFactory()
    body = {"teacher": assignment.teacher_id, "course": assignment.course_id}

    response = api_client.post("/api/v1/assignments", body, format="json")

    assert response.status_code == HTTPStatus.CONFLICT
    assert Assignment.objects.count() == 1


def test_an_assignment_that_ends_before_it_begins_is_refused(api_client):
    body = {"teacher": TeacherFactory().id, "course": CourseFactory().id, "begin_date": "2027-01-10"}
    body["end_date"] = "2027-01-10"

    response = api_client.post("/api/v1/assignments", body, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "inconsistent"
    assert response.json()["errors"][0]["attr"] == "end_date"


def test_a_teacher_with_an_assignment_cannot_be_deleted(api_client):
    assignment = AssignmentFactory()

    response = api_client.delete(f"/api/v1/teachers/{assignment.teacher_id}")

    assert response.status_code == HTTPStatus.CONFLICT
    assert Teacher.objects.filter(pk=assignment.teacher_id).exists()


def test_the_feed_carries_teachers_and_assignments(api_client):
    assignment = AssignmentFactory()

    types = set(Change.objects.values_list("type", flat=True))

    assert {"teacher.created", "assignment.created"} <= types
    data = Change.objects.get(type="assignment.created").data
    assert (data["teacher"], data["course"], data["role"]) == (assignment.teacher_id, assignment.course_id, "primary")


def test_reading_teachers_needs_the_view_permission(client_with_permissions):
    TeacherFactory()

    assert client_with_permissions().get("/api/v1/teachers").status_code == HTTPStatus.FORBIDDEN
    allowed = client_with_permissions("teachers.view_teacher").get("/api/v1/teachers")
    assert allowed.status_code == HTTPStatus.OK
