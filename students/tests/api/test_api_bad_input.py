"""Bad input gets a clear 4xx problem and changes nothing."""

from http import HTTPStatus

import pytest
from django.conf import settings

from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel, StudentCourse
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db

BAD_IDS = [None, "7", 7.5, 7.0, True, False, {"id": 7}, [7], 0, -1, 2**63, 10**30]


def courses_url(student_id: int) -> str:
    return f"/api/v1/students/{student_id}/courses"


def assert_validation_problem(response, attr: str) -> None:
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "validation_error"
    assert attr in {error["attr"] for error in body["errors"]}


@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_posting_a_course_id_that_is_not_a_positive_json_integer_is_refused(api_client, student, course, bad_id):
    response = api_client.post(courses_url(student.id), {"course_id": bad_id}, format="json")
    assert_validation_problem(response, "course_id")
    assert not StudentCourse.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("bad_id", BAD_IDS)
def test_a_course_ids_item_that_is_not_a_positive_json_integer_is_refused(api_client, student, course, method, bad_id):
    response = getattr(api_client, method)(courses_url(student.id), {"course_ids": [course.id, bad_id]}, format="json")
    assert_validation_problem(response, "course_ids.1")
    assert not StudentCourse.objects.exists()


@pytest.mark.parametrize("method", ["patch", "put"])
@pytest.mark.parametrize("bad_list", [None, 7, "7", {"0": 7}, True])
def test_course_ids_that_is_not_a_list_is_refused(api_client, student, method, bad_list):
    response = getattr(api_client, method)(courses_url(student.id), {"course_ids": bad_list}, format="json")
    assert_validation_problem(response, "course_ids")


@pytest.mark.parametrize("method", ["patch", "put"])
def test_course_ids_longer_than_the_limit_is_refused(api_client, student, method):
    too_many = list(range(1, settings.API_MAX_COURSE_IDS + 2))
    response = getattr(api_client, method)(courses_url(student.id), {"course_ids": too_many}, format="json")
    assert_validation_problem(response, "course_ids")


@pytest.mark.parametrize("method", ["post", "patch", "put"])
def test_a_missing_body_field_is_refused(api_client, student, method):
    response = getattr(api_client, method)(courses_url(student.id), {}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"][0]["code"] == "required"


@pytest.mark.parametrize("body", ["[1, 2]", '"course"', "17", "null"])
def test_a_body_that_is_not_a_json_object_is_refused(api_client, student, body):
    response = api_client.generic("PATCH", courses_url(student.id), body, content_type="application/json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] in {"validation_error", "parse_error"}


@pytest.mark.parametrize("body", ["{bad", '{"course_id": 1', "\xff\xfe"])
def test_malformed_json_is_a_parse_error(api_client, student, body):
    response = api_client.generic(
        "POST", courses_url(student.id), body.encode("latin-1"), content_type="application/json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "parse_error"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]
)
def test_a_body_that_is_not_json_is_an_unsupported_media_type(api_client, student, course, content_type):
    response = api_client.generic("POST", courses_url(student.id), f"course_id={course.id}", content_type=content_type)
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert response.json()["code"] == "unsupported_media_type"
    assert not StudentCourse.objects.exists()


def test_unknown_body_fields_are_ignored(api_client, student, course):
    response = api_client.post(courses_url(student.id), {"course_id": course.id, "colour": "blue"}, format="json")
    assert response.status_code == HTTPStatus.CREATED


@pytest.mark.parametrize("student_id", ["0", "99999999999999999999999", "9223372036854775808"])
def test_an_impossible_student_id_in_the_url_is_not_found(api_client, student_id):
    for url in (f"/api/v1/students/{student_id}", courses_url(student_id), f"{courses_url(student_id)}/1"):
        response = api_client.get(url) if not url.endswith("/1") else api_client.delete(url)
        assert response.status_code == HTTPStatus.NOT_FOUND, url
        assert response.json()["code"] == "not_found"


def test_an_impossible_course_id_in_the_delete_url_is_not_found(api_client, student):
    response = api_client.delete(f"{courses_url(student.id)}/99999999999999999999999")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_non_numeric_id_in_the_url_is_not_found(api_client):
    response = api_client.get("/api/v1/students/abc/courses")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_api_path_is_a_problem_not_found(api_client):
    response = api_client.get("/api/v1/enrolments")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


def test_an_unsupported_method_is_method_not_allowed(api_client, student):
    response = api_client.delete(courses_url(student.id))
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert response.json()["code"] == "method_not_allowed"


@pytest.mark.parametrize("query", ["course=abc", "course=0", "course=1.5", "course=99999999999999999999999"])
def test_a_bad_filter_value_is_a_validation_error(api_client, query):
    response = api_client.get(f"/api/v1/students/?{query}")
    assert_validation_problem(response, "course")


def test_a_page_that_does_not_exist_is_not_found(api_client):
    response = api_client.get("/api/v1/students/?page=99")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize("page", ["", "0", "-1", "x"])
def test_a_malformed_page_number_is_a_validation_error(api_client, page):
    assert_validation_problem(api_client.get(f"/api/v1/students/?page={page}"), "page")


@pytest.mark.parametrize("page_size", ["0", "501", "null", "-1", "2.5"])
def test_a_page_size_outside_1_to_500_is_a_validation_error(api_client, page_size):
    response = api_client.get(f"/api/v1/students/?page_size={page_size}")
    assert_validation_problem(response, "page_size")


@pytest.mark.parametrize("query", ["status=", "status=%20", "dry_run="])
def test_an_empty_query_value_is_refused_not_taken_for_the_default(api_client, student, query):
    method = api_client.get if query.startswith("status") else api_client.put
    response = method(f"/api/v1/students/{student.id}/courses?{query}", {"course_ids": []}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("debug", [False, True])
def test_a_path_holding_a_newline_is_a_problem_not_a_page(api_client, settings, debug):
    settings.DEBUG = debug
    response = api_client.get("/api/v1/students/A%0A/")
    assert response.status_code == HTTPStatus.NOT_FOUND
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize(
    "query",
    [
        "until=5582-05-06T09:18:18%2B20:21",  # an offset PostgreSQL refuses
        "since=0001-01-01T00:00:00%2B01:00",  # before the first instant in UTC
        "until=9999-12-31T23:59:59-01:00",  # after the last one
    ],
)
def test_any_rfc_3339_instant_filters_history_without_a_server_error(api_client, course, query):
    services.change_courses(student_id=StudentFactory().id, enroll=[course.id], actor=Actor(channel=Channel.SYSTEM))
    response = api_client.get(f"/api/v1/courses/{course.id}/history?{query}")
    assert response.status_code == HTTPStatus.OK
    assert response.json()["count"] == 1
