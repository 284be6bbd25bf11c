"""/api/v1/courses/: create, read, update, delete, filter, search, order."""

from http import HTTPStatus

import pytest

from courses.models import Course
from courses.tests.factories import CourseFactory
from students.tests.factories import StudentCourseFactory

pytestmark = pytest.mark.django_db


def test_creating_a_course_stores_the_code_upper_case(api_client):
    response = api_client.post("/api/v1/courses", {"code": "cs101", "title": "Programming"}, format="json")
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["code"] == "CS101"
    assert response.json()["description"] == ""


def test_a_code_taken_in_another_case_is_refused(api_client):
    CourseFactory(code="CS101")
    response = api_client.post("/api/v1/courses/", {"code": "cs101", "title": "Again"}, format="json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["errors"][0]["attr"] == "code"


@pytest.mark.parametrize("code", ["", " ", "CS 101", "-CS", "x" * 33, "ÇS101"])
def test_a_malformed_code_is_refused(api_client, code):
    response = api_client.post("/api/v1/courses/", {"code": code, "title": "T"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Course.objects.exists()


def test_a_course_can_be_read_updated_and_deleted(api_client, course):
    url = f"/api/v1/courses/{course.id}"
    assert api_client.get(url).json()["code"] == course.code
    assert api_client.patch(url, {"title": "New title"}, format="json").json()["title"] == "New title"
    assert api_client.delete(url).status_code == HTTPStatus.NO_CONTENT
    assert not Course.objects.exists()


def test_courses_can_be_filtered_by_student(api_client, student):
    taken = StudentCourseFactory(student=student).course
    CourseFactory()
    body = api_client.get(f"/api/v1/courses/?student={student.id}").json()
    assert [c["id"] for c in body["results"]] == [taken.id]


def test_courses_can_be_searched_by_code_and_title(api_client):
    algebra = CourseFactory(code="MA101", title="Linear algebra")
    CourseFactory(code="CS101", title="Programming")
    for term in ("ma1", "algebra"):
        assert [c["id"] for c in api_client.get(f"/api/v1/courses/?search={term}").json()["results"]] == [algebra.id]


def test_courses_are_ordered_by_code_unless_asked_otherwise(api_client):
    CourseFactory(code="B1", title="Zoology"), CourseFactory(code="A1", title="Art")
    assert [c["code"] for c in api_client.get("/api/v1/courses/").json()["results"]] == ["A1", "B1"]
    by_title = api_client.get("/api/v1/courses/?ordering=-title").json()["results"]
    assert [c["title"] for c in by_title] == ["Zoology", "Art"]
