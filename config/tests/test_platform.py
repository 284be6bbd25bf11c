"""Health, schema, docs and the problem-details format."""

from http import HTTPStatus
from unittest import mock

import pytest
from django.db import OperationalError
from rest_framework.test import APIClient

from config.problems import flatten_validation_errors

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.OK
    assert response.json() == {"status": "ok"}


def test_health_is_503_when_the_database_does_not_answer(client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE


def test_an_api_request_is_503_problem_when_the_database_fails(api_client):
    with mock.patch("django.db.backends.utils.CursorWrapper.execute", side_effect=OperationalError("down")):
        response = api_client.get("/api/v1/students/1/courses")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "service_unavailable"


def test_the_schema_documents_every_association_endpoint(anonymous_client: APIClient):
    schema = anonymous_client.get("/api/v1/schema/?format=json").json()
    courses = schema["paths"]["/api/v1/students/{id}/courses/"]
    assert set(courses) >= {"get", "post", "patch", "put"}
    assert "delete" in schema["paths"]["/api/v1/students/{id}/courses/{course_id}/"]
    assert "get" in schema["paths"]["/api/v1/courses/{id}/students/"]
    assert "application/problem+json" in courses["patch"]["responses"]["400"]["content"]
    assert {"200", "201"} <= set(courses["post"]["responses"])


def test_the_swagger_ui_is_served_from_local_assets(anonymous_client):
    page = anonymous_client.get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in page


def test_a_problem_has_type_title_status_detail_and_code(anonymous_client):
    body = anonymous_client.get("/api/v1/students/").json()
    assert body == {
        "type": "urn:enrollments:problem:not_authenticated",
        "title": "Unauthorized",
        "status": 401,
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
    }


def test_nested_validation_errors_are_flattened_to_dotted_attrs():
    errors = flatten_validation_errors({"course_ids": {3: ["bad"]}, "non_field_errors": ["whole"]})
    assert [e["attr"] for e in errors] == ["course_ids.3", None]


def test_a_unique_value_taken_concurrently_is_a_409_conflict(api_client):
    from django.db import IntegrityError

    with mock.patch("rest_framework.serializers.ModelSerializer.create", side_effect=IntegrityError("duplicate")):
        response = api_client.post("/api/v1/courses/", {"code": "CS101", "title": "Programming"}, format="json")
    assert response.status_code == HTTPStatus.CONFLICT
    assert response.json()["code"] == "conflict"


def test_a_django_validation_error_from_a_service_is_a_validation_problem(api_client, student):
    from django.core.exceptions import ValidationError

    with mock.patch("students.enrollment.services.change_courses", side_effect=ValidationError({"course_id": "No."})):
        response = api_client.post(f"/api/v1/students/{student.id}/courses", {"course_id": 1}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"] == [{"attr": "course_id", "code": "invalid", "detail": "No."}]


def test_an_unexpected_error_under_the_api_is_a_problem_without_a_stack_trace(settings):
    from config.error_pages import server_error

    response = server_error(mock.Mock(path="/api/v1/students/"))
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert response["Content-Type"] == "application/problem+json"
    assert b"Traceback" not in response.content


def test_an_unexpected_error_elsewhere_is_django_s_page(rf):
    from config.error_pages import page_not_found, server_error

    assert server_error(rf.get("/admin/")).status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert page_not_found(rf.get("/admin/x"), Exception()).status_code == HTTPStatus.NOT_FOUND
    assert page_not_found(rf.get("/api/v1/x"), Exception())["Content-Type"] == "application/problem+json"


def test_a_permission_denied_raised_by_django_code_is_a_403_problem(api_client):
    from django.core.exceptions import PermissionDenied

    with mock.patch("students.enrollment.selectors.student_courses", side_effect=PermissionDenied):
        response = api_client.get("/api/v1/students/1/courses")
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert response.json()["code"] == "permission_denied"
