"""Inputs that answered 500 (issue #22, finding 5), each a clear 4xx now: absurd ids and page numbers, unknown
methods, chunked bodies, and the health check's 503 saying when to come back."""

from http import HTTPStatus

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db
HUGE = "9" * 5000  # Python refuses to read an integer of more than 4,300 digits from text
ID_ROUTES = [
    ("get", "/api/v1/students/{}"),
    ("get", "/api/v1/students/{}/courses"),
    ("get", "/api/v1/students/{}/courses/history"),
    ("delete", "/api/v1/students/1/courses/{}"),
    ("get", "/api/v1/courses/{}"),
    ("get", "/api/v1/courses/{}/students"),
    ("get", "/api/v1/courses/{}/history"),
    ("get", "/api/v1/webhooks/{}"),
    ("get", "/api/v1/webhooks/{}/attempts"),
    ("get", "/api/v1/imports/{}"),
    ("get", "/api/v1/tokens/{}"),
]


@pytest.mark.parametrize(("method", "route"), ID_ROUTES)
@pytest.mark.parametrize("value", [HUGE, "9223372036854775808", "0"], ids=["5000 digits", "2^63", "zero"])
def test_an_id_that_no_row_can_have_is_not_found(api_client, method, route, value):
    response = getattr(api_client, method)(route.format(value))
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_deleting_an_association_with_a_huge_course_id_is_not_found(api_client, student):
    response = api_client.delete(f"/api/v1/students/{student.id}/courses/{HUGE}")
    assert response.status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize("parameter", ["page", "page_size"])
@pytest.mark.parametrize(
    "value", ["²", "\u0661", HUGE, "-1", "1.0"], ids=["superscript", "arabic digit", "huge", "neg", "dec"]
)
def test_a_page_or_page_size_that_is_no_plain_number_is_refused(api_client, parameter, value):
    response = api_client.get("/api/v1/students/", {parameter: value})
    assert response.status_code in (HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND)
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("method", ["TRACE", "PROPFIND", "FOO", "CONNECT"])
@pytest.mark.parametrize("path", ["/api/v1/students/", "/api/v1/students/1/courses", "/api/v1/changes", "/api/v1/"])
def test_a_method_no_route_takes_is_not_allowed_even_for_a_superuser(api_client, student, method, path):
    response = api_client.generic(method, path)
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["code"] == "method_not_allowed"


def test_a_method_a_route_does_not_take_is_not_allowed_for_a_view_only_account(client_with_permissions, student):
    client = client_with_permissions("students.view_student", "students.view_studentcourse")
    assert client.put(f"/api/v1/students/{student.id}/courses/history").status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_a_chunked_body_is_refused_with_length_required_not_taken_as_empty(api_client, student):
    response = api_client.post(
        f"/api/v1/students/{student.id}/courses",
        data=b'{"course_id": 1}',
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
    )
    assert response.status_code == HTTPStatus.LENGTH_REQUIRED
    assert response.json()["code"] == "length_required"


def test_a_chunked_body_is_refused_outside_the_api_too(client):
    response = client.post(
        "/oauth/token", data=b"grant_type=x", content_type="text/plain", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == HTTPStatus.LENGTH_REQUIRED


def test_the_health_checks_503_says_when_to_retry(client, monkeypatch):
    def unreachable(*args, **kwargs):
        raise DatabaseError("down")

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "5"
