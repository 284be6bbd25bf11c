"""ETags and preconditions (RFC 9110): If-None-Match answers 304, If-Match refuses a write to a representation the
client has not seen with 412 and changes nothing; without a precondition everything works as before."""

from http import HTTPStatus

import pytest

from courses.tests.factories import CourseFactory
from students.models import EnrollmentEvent, Student, StudentCourse
from students.tests.factories import StudentCourseFactory

pytestmark = pytest.mark.django_db


def courses_url(student_id: int) -> str:
    return f"/api/v1/students/{student_id}/courses"


def test_a_read_carries_a_strong_etag_and_if_none_match_answers_304(api_client, student):
    StudentCourseFactory(student=student)
    first = api_client.get(courses_url(student.id))
    assert first["ETag"].startswith('"')
    again = api_client.get(courses_url(student.id), HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""


def test_the_etag_changes_when_the_representation_does(api_client, student, course):
    before = api_client.get(courses_url(student.id))["ETag"]
    api_client.post(courses_url(student.id), {"course_id": course.id}, format="json")
    assert api_client.get(courses_url(student.id))["ETag"] != before


def test_a_write_answers_with_the_etag_a_read_of_its_answer_carries(api_client, student, course):
    written = api_client.put(courses_url(student.id), {"course_ids": [course.id]}, format="json")
    assert written["ETag"] == api_client.get(courses_url(student.id))["ETag"]


def test_a_put_with_the_current_etag_applies(api_client, student, course):
    etag = api_client.get(courses_url(student.id))["ETag"]
    response = api_client.put(courses_url(student.id), {"course_ids": [course.id]}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == HTTPStatus.OK
    assert StudentCourse.objects.filter(student=student).count() == 1


def test_a_put_with_a_stale_etag_is_412_and_changes_nothing(api_client, student, course):
    stale = api_client.get(courses_url(student.id))["ETag"]
    kept = StudentCourseFactory(student=student).course  # someone else's change
    response = api_client.put(courses_url(student.id), {"course_ids": [course.id]}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "precondition_failed"
    assert list(StudentCourse.objects.values_list("course_id", "status")) == [(kept.id, "enrolled")]
    assert not EnrollmentEvent.objects.exists()


def test_if_match_star_applies_to_an_existing_resource(api_client, student, course):
    response = api_client.patch(courses_url(student.id), {"course_ids": [course.id]}, format="json", HTTP_IF_MATCH="*")
    assert response.status_code == HTTPStatus.OK


def test_a_weak_etag_never_satisfies_if_match(api_client, student, course):
    weak = "W/" + api_client.get(courses_url(student.id))["ETag"]
    response = api_client.patch(courses_url(student.id), {"course_ids": [course.id]}, format="json", HTTP_IF_MATCH=weak)
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED


def test_a_student_changed_meanwhile_is_not_overwritten(api_client, student):
    url = f"/api/v1/students/{student.id}"
    stale = api_client.get(url)["ETag"]
    Student.objects.filter(id=student.id).update(first_name="Changed")
    response = api_client.patch(url, {"last_name": "Mine"}, format="json", HTTP_IF_MATCH=stale)
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert api_client.delete(url, HTTP_IF_MATCH=stale).status_code == HTTPStatus.PRECONDITION_FAILED
    assert Student.objects.get().last_name == student.last_name


def test_a_course_is_updated_with_its_current_etag(api_client, course):
    url = f"/api/v1/courses/{course.id}"
    etag = api_client.get(url)["ETag"]
    response = api_client.patch(url, {"title": "New title"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == HTTPStatus.OK
    assert api_client.patch(url, {"title": "Again"}, format="json", HTTP_IF_MATCH=etag).status_code == (
        HTTPStatus.PRECONDITION_FAILED
    )


def test_an_association_changed_meanwhile_is_not_overwritten(api_client, student, course):
    StudentCourseFactory(student=student, course=course)
    url = f"{courses_url(student.id)}/{course.id}"
    etag = api_client.patch(url, {"status": "completed"}, format="json")["ETag"]
    StudentCourse.objects.update(status="enrolled")  # someone enrolled it again
    response = api_client.patch(url, {"status": "dropped"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert api_client.delete(url, HTTP_IF_MATCH=etag).status_code == HTTPStatus.PRECONDITION_FAILED
    assert StudentCourse.objects.get().status == "enrolled"


def test_a_read_with_a_failing_if_match_is_a_412_problem(api_client, student):
    response = api_client.get(courses_url(student.id), HTTP_IF_MATCH='"nope"')
    assert response.status_code == HTTPStatus.PRECONDITION_FAILED
    assert response.json()["code"] == "precondition_failed"


def test_without_a_precondition_a_write_works_as_before(api_client, student):
    courses = CourseFactory.create_batch(2)
    response = api_client.put(courses_url(student.id), {"course_ids": [c.id for c in courses]}, format="json")
    assert response.status_code == HTTPStatus.OK
