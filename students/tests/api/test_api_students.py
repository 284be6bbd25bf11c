"""/api/v1/students/: create, read, update, delete, filter, search, order."""

from http import HTTPStatus

import pytest

from students.models import Student, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db

NEW_STUDENT = {"first_name": "Ada", "last_name": "Lovelace", "email": "Ada@School.Example"}


def test_creating_a_student_stores_the_email_lower_case(api_client):
    response = api_client.post("/api/v1/students", NEW_STUDENT, format="json")
    assert response.status_code == HTTPStatus.CREATED
    assert response.json()["email"] == "ada@school.example"
    assert Student.objects.get().email == "ada@school.example"


def test_an_email_taken_in_another_case_is_refused(api_client):
    StudentFactory(email="ada@school.example")
    response = api_client.post("/api/v1/students/", NEW_STUDENT, format="json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "conflict"
    assert response.json()["errors"][0]["attr"] == "email"


def test_a_malformed_email_is_refused(api_client):
    response = api_client.post("/api/v1/students/", {**NEW_STUDENT, "email": "not-an-email"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert Student.objects.count() == 0


def test_a_nul_character_in_a_name_is_refused(api_client):
    response = api_client.post("/api/v1/students/", {**NEW_STUDENT, "first_name": "A\x00da"}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_student_can_be_read_updated_and_deleted(api_client, student):
    url = f"/api/v1/students/{student.id}/"
    assert api_client.get(url).json()["email"] == student.email
    assert api_client.patch(url, {"first_name": "Grace"}, format="json").json()["first_name"] == "Grace"
    replaced = api_client.put(url, {**NEW_STUDENT, "email": "grace@school.example"}, format="json")
    assert replaced.json()["email"] == "grace@school.example"
    assert api_client.delete(url).status_code == HTTPStatus.NO_CONTENT
    assert not Student.objects.exists()


def test_deleting_a_student_with_enrollment_history_is_refused(api_client, student):
    StudentCourseFactory(student=student)
    response = api_client.delete(f"/api/v1/students/{student.id}")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "has_enrollment_history"
    assert StudentCourse.objects.filter(student=student).exists()


def test_the_student_list_is_paginated_with_count_next_previous_results(api_client):
    StudentFactory.create_batch(3)
    body = api_client.get("/api/v1/students/?page_size=2").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert (body["count"], len(body["results"])) == (3, 2)


def test_students_can_be_filtered_by_course(api_client, course):
    taking = StudentCourseFactory(course=course).student
    StudentFactory()
    body = api_client.get(f"/api/v1/students/?course={course.id}").json()
    assert [s["id"] for s in body["results"]] == [taking.id]


def test_students_can_be_searched_by_name_and_email(api_client):
    ada = StudentFactory(first_name="Ada", email="countess@school.example")
    StudentFactory(first_name="Grace", last_name="Hopper")  # a random last name could hold "ada" (Adams, Canada…)
    for term in ("ada", "countess"):
        assert [s["id"] for s in api_client.get(f"/api/v1/students/?search={term}").json()["results"]] == [ada.id]


def test_students_can_be_ordered(api_client):
    StudentFactory(last_name="Zed"), StudentFactory(last_name="Abe")
    names = [s["last_name"] for s in api_client.get("/api/v1/students/?ordering=-last_name").json()["results"]]
    assert names == ["Zed", "Abe"]


def test_listing_students_costs_a_constant_number_of_queries(api_client, django_assert_max_num_queries):
    StudentFactory.create_batch(30)
    with django_assert_max_num_queries(3):  # token, count, page
        response = api_client.get("/api/v1/students/")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 30


def test_updated_since_lists_only_the_students_created_or_changed_at_or_after_it(api_client):
    old, changed = StudentFactory.create_batch(2)
    Student.objects.filter(id__in=[old.id, changed.id]).update(updated_at="2026-01-01T00:00:00Z")
    api_client.patch(f"/api/v1/students/{changed.id}", {"first_name": "Grace"}, format="json")
    listed = api_client.get("/api/v1/students", {"updated_since": "2026-06-01T00:00:00Z"}).json()["results"]
    assert [s["id"] for s in listed] == [changed.id]


def test_updated_since_must_be_a_timestamp(api_client):
    assert api_client.get("/api/v1/students", {"updated_since": "yesterday"}).status_code == HTTPStatus.BAD_REQUEST


def test_an_empty_updated_since_is_refused_not_ignored(api_client):
    assert api_client.get("/api/v1/students", {"updated_since": ""}).status_code == HTTPStatus.BAD_REQUEST
