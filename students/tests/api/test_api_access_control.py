"""Who may do what: anonymous 401, model permissions 403, association writes need StudentCourse permissions."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User

from accounts.authentication import TokenAuthentication
from accounts.models import ApiToken
from conftest import token_client, token_for
from students.models import StudentCourse
from students.tests.factories import StudentCourseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url", ["/api/v1/", "/api/v1/students/", "/api/v1/courses/", "/api/v1/students/1/courses"])
def test_an_anonymous_request_is_not_authenticated(anonymous_client, url):
    response = anonymous_client.get(url)
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"] == "Token"


def test_an_unknown_token_is_refused(anonymous_client):
    anonymous_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = anonymous_client.get("/api/v1/students/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "authentication_failed"


@pytest.mark.parametrize("key", ["abc\x00def", "f" * 201, "é" * 40], ids=["nul", "too long", "not ascii"])
def test_a_key_no_token_can_have_is_refused(anonymous_client, key):
    response = anonymous_client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "authentication_failed"


def test_a_deactivated_users_token_is_refused(db):
    user = User.objects.create_superuser("gone", "gone@school.example", "a-long-test-password")
    client = token_client(user)
    user.is_active = False
    user.save()
    response = client.get("/api/v1/students/")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["code"] == "authentication_failed"


def test_a_deleted_token_is_refused(superuser, api_client):
    ApiToken.objects.filter(user=superuser).delete()
    assert api_client.get("/api/v1/students/").status_code == HTTPStatus.UNAUTHORIZED


def test_a_token_is_resolved_to_its_user_in_one_query(db, django_assert_num_queries):
    clerk = User.objects.create_user("clerk", password="a-long-test-password", is_staff=True)
    key = token_for(clerk)
    with django_assert_num_queries(1):
        user, token = TokenAuthentication().authenticate_credentials(key.encode())
    assert (user.pk, user.get_username(), user.is_active, user.is_staff, user.is_superuser, token.pk) == (
        clerk.pk,
        "clerk",
        True,
        True,
        False,
        ApiToken.objects.get(user=clerk).pk,
    )


@pytest.mark.parametrize("url", ["/api/v1/schema/", "/api/v1/docs/", "/healthz"])
def test_schema_docs_and_health_need_no_account(anonymous_client, url):
    assert anonymous_client.get(url).status_code == HTTPStatus.OK


def test_an_account_without_view_permission_cannot_list_students(client_with_permissions):
    response = client_with_permissions().get("/api/v1/students/")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "permission_denied"


def test_view_permission_allows_listing_students(client_with_permissions):
    assert client_with_permissions("students.view_student").get("/api/v1/students/").status_code == HTTPStatus.OK


def test_view_permission_does_not_allow_creating_a_student(client_with_permissions):
    client = client_with_permissions("students.view_student")
    response = client.post("/api/v1/students/", {"first_name": "A", "last_name": "B", "email": "a@b.c"}, format="json")
    assert response.status_code == HTTPStatus.FORBIDDEN


def test_reading_associations_needs_view_on_student_and_association(client_with_permissions, student):
    url = f"/api/v1/students/{student.id}/courses"
    assert client_with_permissions("students.view_student").get(url).status_code == HTTPStatus.FORBIDDEN
    assert client_with_permissions("students.view_studentcourse").get(url).status_code == HTTPStatus.FORBIDDEN
    allowed = client_with_permissions("students.view_student", "students.view_studentcourse")
    assert allowed.get(url).status_code == HTTPStatus.OK


def test_associating_needs_add_permission_on_the_association(client_with_permissions, student, course):
    url = f"/api/v1/students/{student.id}/courses"
    viewer = client_with_permissions("students.view_student", "students.view_studentcourse")
    assert viewer.post(url, {"course_id": course.id}, format="json").status_code == HTTPStatus.FORBIDDEN
    assert not StudentCourse.objects.exists()
    adder = client_with_permissions("students.view_student", "students.add_studentcourse")
    assert adder.post(url, {"course_id": course.id}, format="json").status_code == HTTPStatus.CREATED


def test_replacing_the_set_needs_add_and_delete_permission(client_with_permissions, student, course):
    url = f"/api/v1/students/{student.id}/courses"
    adder = client_with_permissions("students.view_student", "students.add_studentcourse")
    assert adder.put(url, {"course_ids": [course.id]}, format="json").status_code == HTTPStatus.FORBIDDEN
    both = client_with_permissions(
        "students.view_student", "students.add_studentcourse", "students.delete_studentcourse"
    )
    assert both.put(url, {"course_ids": [course.id]}, format="json").status_code == HTTPStatus.OK


def test_removing_needs_delete_permission_on_the_association(client_with_permissions, student):
    association = StudentCourseFactory(student=student)
    url = f"/api/v1/students/{student.id}/courses/{association.course_id}"
    adder = client_with_permissions("students.view_student", "students.add_studentcourse")
    assert adder.delete(url).status_code == HTTPStatus.FORBIDDEN
    assert StudentCourse.objects.exists()


def test_a_forbidden_request_does_not_reveal_whether_the_student_exists(client_with_permissions):
    client = client_with_permissions("students.view_student")
    assert client.get("/api/v1/students/424242/courses").status_code == HTTPStatus.FORBIDDEN


def test_listing_a_courses_students_needs_view_on_course_student_and_association(client_with_permissions, course):
    url = f"/api/v1/courses/{course.id}/students"
    partial = client_with_permissions("courses.view_course", "students.view_student")
    assert partial.get(url).status_code == HTTPStatus.FORBIDDEN
    full = client_with_permissions("courses.view_course", "students.view_student", "students.view_studentcourse")
    assert full.get(url).status_code == HTTPStatus.OK


def test_a_signed_in_browser_session_can_use_the_api(client, superuser):
    client.force_login(superuser)
    assert client.get("/api/v1/students/", HTTP_ACCEPT="application/json").status_code == HTTPStatus.OK


def test_a_browser_gets_the_browsable_api(client, superuser):
    client.force_login(superuser)
    response = client.get("/api/v1/students/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("text/html")
