"""Teachers are OneRoster users with the role teacher: found by email, listed by class and school, each assignment an
enrollment of role teacher (primary or not) or ext:aide; /users holds students and teachers, /students students only."""

from http import HTTPStatus

import pytest

from courses.tests.factories import CourseFactory
from oneroster.tests.conftest import BASE
from oneroster.tests.schemas import validate
from schools.models import Org, OrgType
from teachers.models import AssignmentRole
from teachers.tests.factories import AssignmentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def _ids(response, key: str) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.content
    return [record["sourcedId"] for record in response.json()[key]]


def test_a_teacher_is_looked_up_by_email_as_google_classroom_does(roster_client):
    teacher = TeacherFactory(email="ada@school.example", identifier="T-7")

    body = roster_client.get(f"{BASE}/teachers?filter=email='ada@school.example'").json()

    validate(body, "UserSetDType")
    (found,) = body["users"]
    assert found["sourcedId"] == str(teacher.sourced_id)
    assert found["roles"] == [
        {"roleType": "primary", "role": "teacher", "org": found["primaryOrg"]},
    ]
    assert found["primaryOrg"]["sourcedId"] == str(teacher.school.sourced_id)
    assert found["identifier"] == "T-7"


def test_users_holds_students_and_teachers_and_students_only_students(roster_client, school):
    teacher = TeacherFactory()

    users = _ids(roster_client.get(f"{BASE}/users?limit=1000"), "users")
    students = _ids(roster_client.get(f"{BASE}/students?limit=1000"), "users")
    teachers = _ids(roster_client.get(f"{BASE}/teachers"), "users")

    assert str(teacher.sourced_id) in users
    assert str(teacher.sourced_id) not in students
    assert teachers == [str(teacher.sourced_id)]
    assert len(users) == len(students) + 1
    assert roster_client.get(f"{BASE}/users/{teacher.sourced_id}").json()["user"]["roles"][0]["role"] == "teacher"


def test_users_filter_and_sort_across_students_and_teachers(roster_client, school):
    TeacherFactory(last_name="Aardvark")

    response = roster_client.get(f"{BASE}/users?sort=familyName&limit=1&filter=roles.role='teacher'")
    everyone = roster_client.get(f"{BASE}/users?sort=familyName&orderBy=desc&limit=1000").json()["users"]

    assert [u["familyName"] for u in response.json()["users"]] == ["Aardvark"]
    assert response.headers["X-Total-Count"] == "1"
    assert everyone[-1]["familyName"] == "Aardvark"
    names = [u["familyName"] for u in everyone]
    assert names == sorted(names, reverse=True)


def test_a_class_teachers_and_a_teachers_classes(roster_client):
    primary = AssignmentFactory()
    other_course = CourseFactory()
    AssignmentFactory(course=other_course)

    teachers = _ids(roster_client.get(f"{BASE}/classes/{primary.course.sourced_id}/teachers"), "users")
    classes = _ids(roster_client.get(f"{BASE}/teachers/{primary.teacher.sourced_id}/classes"), "classes")
    as_user = _ids(roster_client.get(f"{BASE}/users/{primary.teacher.sourced_id}/classes"), "classes")

    assert teachers == [str(primary.teacher.sourced_id)]
    assert classes == as_user == [str(primary.course.sourced_id)]


def test_a_schools_teachers_are_its_own(roster_client):
    north = Org.objects.create(name="North High", type=OrgType.SCHOOL)
    here, there = TeacherFactory(), TeacherFactory(school=north)

    assert _ids(roster_client.get(f"{BASE}/schools/{north.sourced_id}/teachers"), "users") == [str(there.sourced_id)]
    first = Org.objects.first_school().sourced_id
    assert _ids(roster_client.get(f"{BASE}/schools/{first}/teachers"), "users") == [str(here.sourced_id)]


def test_each_assignment_is_an_enrollment_of_its_role(roster_client):
    primary = AssignmentFactory(begin_date="2026-08-17", end_date="2027-01-09")
    aide = AssignmentFactory(course=primary.course, role=AssignmentRole.AIDE)

    body = roster_client.get(f"{BASE}/enrollments?filter=class.sourcedId='{primary.course.sourced_id}'").json()

    validate(body, "EnrollmentSetDType")
    by_id = {e["sourcedId"]: e for e in body["enrollments"]}
    teaching = by_id[str(primary.sourced_id)]
    assert (teaching["role"], teaching["primary"], teaching["beginDate"], teaching["endDate"]) == (
        "teacher",
        "true",
        "2026-08-17",
        "2027-01-09",
    )
    assert (by_id[str(aide.sourced_id)]["role"], by_id[str(aide.sourced_id)]["primary"]) == ("ext:aide", "false")
    teachers_only = roster_client.get(f"{BASE}/enrollments?filter=role='teacher'").json()["enrollments"]
    assert [e["sourcedId"] for e in teachers_only] == [str(primary.sourced_id)]


def test_an_unknown_teacher_is_404(roster_client):
    response = roster_client.get(f"{BASE}/teachers/7c3f2e5a-9d4b-4a0c-b8d7-3e4f5a6b7c8d/classes")

    assert response.status_code == HTTPStatus.NOT_FOUND
