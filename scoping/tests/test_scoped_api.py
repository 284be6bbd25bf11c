"""What an account of one school does through the API: its school's records, as if the others did not exist."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User

from conftest import token_client, with_permissions
from courses.tests.factories import CourseFactory
from students.models import Student, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db
EVERYTHING = (
    *(f"students.{verb}_student" for verb in ("view", "add", "change", "delete")),
    *(f"courses.{verb}_course" for verb in ("view", "add", "change", "delete")),
    "students.view_studentcourse",
    "students.add_studentcourse",
    "students.change_studentcourse",
    "students.delete_studentcourse",
    "changes.view_change",
    "schools.view_org",
    "schools.change_org",
)


def account_of(*schools):
    user = User.objects.create_user(f"office{User.objects.count()}")
    return token_client(with_permissions(user, EVERYTHING, schools=list(schools)))


def test_a_school_lists_its_own_students_with_their_count(north, south):
    mine = StudentFactory(school=north)
    StudentFactory.create_batch(2, school=south)
    page = account_of(north).get("/api/v1/students/").json()
    assert [s["id"] for s in page["results"]] == [mine.id]
    assert page["count"] == 1


def test_another_schools_student_is_not_found(north, south):
    response = account_of(north).get(f"/api/v1/students/{StudentFactory(school=south).id}/")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_student_made_without_a_school_is_the_accounts_school(north, south):
    response = account_of(south).post(
        "/api/v1/students/", {"first_name": "A", "last_name": "B", "email": "ab@south.example"}, format="json"
    )
    assert response.status_code == HTTPStatus.CREATED
    assert Student.objects.get(email="ab@south.example").school == south


def test_an_account_of_two_schools_names_the_school_of_a_new_student(north, south):
    response = account_of(north, south).post(
        "/api/v1/students/", {"first_name": "A", "last_name": "B", "email": "ab@x.example"}, format="json"
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert not Student.objects.filter(email="ab@x.example").exists()


def test_a_student_cannot_be_moved_to_a_school_the_account_does_not_see(north, south):
    student = StudentFactory(school=north)
    response = account_of(north).patch(f"/api/v1/students/{student.id}/", {"school": south.id}, format="json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    student.refresh_from_db()
    assert student.school == north


def test_enrolling_in_another_schools_course_is_refused_as_an_unknown_course(north, south):
    student, theirs = StudentFactory(school=north), CourseFactory(school=south)
    response = account_of(north).post(
        f"/api/v1/students/{student.id}/courses/", {"course_id": theirs.id}, format="json"
    )
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["course_ids"] == [theirs.id]
    assert not StudentCourse.objects.exists()


def test_an_account_that_sees_both_schools_enrolls_across_them(north, south):
    student, theirs = StudentFactory(school=north), CourseFactory(school=south)
    response = account_of(north, south).post(
        f"/api/v1/students/{student.id}/courses/", {"course_id": theirs.id}, format="json"
    )
    assert response.status_code == HTTPStatus.CREATED


def test_setting_a_students_courses_leaves_another_schools_course_as_it_is(north, south):
    student, mine, other, theirs = (
        StudentFactory(school=north),
        CourseFactory(school=north),
        CourseFactory(school=north),
        CourseFactory(school=south),
    )
    StudentCourseFactory(student=student, course=mine)
    StudentCourseFactory(student=student, course=theirs)  # made by the district
    response = account_of(north).put(
        f"/api/v1/students/{student.id}/courses/", {"course_ids": [other.id]}, format="json"
    )
    assert [c["id"] for c in response.json()] == [other.id]
    assert dict(StudentCourse.objects.filter(student=student).values_list("course_id", "status")) == {
        mine.id: "dropped",
        other.id: "enrolled",
        theirs.id: "enrolled",
    }


def test_a_students_course_list_shows_only_the_accounts_schools_courses(north, south):
    student = StudentFactory(school=north)
    mine, theirs = CourseFactory(school=north), CourseFactory(school=south)
    StudentCourseFactory(student=student, course=mine)
    StudentCourseFactory(student=student, course=theirs)
    response = account_of(north).get(f"/api/v1/students/{student.id}/courses/")
    assert [c["id"] for c in response.json()] == [mine.id]


@pytest.mark.parametrize("path", ["/api/v1/changes/", "/api/v1/webhooks/", "/api/v1/imports/"])
def test_what_spans_the_district_answers_only_the_district(north, path):
    assert account_of(north).get(path).status_code == HTTPStatus.FORBIDDEN


def test_an_account_without_a_school_sees_no_student(north):
    StudentFactory(school=north)
    assert account_of().get("/api/v1/students/").json()["count"] == 0


def test_a_school_reads_the_schools_list_but_cannot_change_it(north, south):
    client = account_of(north)
    assert {o["id"] for o in client.get("/api/v1/schools/").json()["results"]} == {north.id, north.parent_id}
    assert client.patch(f"/api/v1/schools/{north.id}/", {"name": "X"}, format="json").status_code == (
        HTTPStatus.FORBIDDEN
    )
