"""A student belongs to a school (their home school): named in the API and the admin, the first school otherwise;
a bundle's primaryOrgSourcedId sets it, and a row without one keeps it."""

from http import HTTPStatus

import pytest

from oneroster.bundle.importing import import_bundle
from oneroster.tests.conftest import ACTOR
from oneroster.tests.test_bundles import bundle
from schools.models import Org, OrgType
from students.models import Student
from students.tests.admin.test_admin import student_form
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north() -> Org:
    return Org.objects.create(name="North High", type=OrgType.SCHOOL)


def test_a_student_naming_no_school_is_the_first_schools():
    assert StudentFactory().school == Org.objects.first_school()


def test_the_api_adds_a_student_at_the_school_named_and_filters_by_school(api_client, north):
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@school.example", "school": north.id}

    created = api_client.post("/api/v1/students", body, format="json")
    StudentFactory()

    assert created.json()["school"] == north.id
    assert [s["id"] for s in api_client.get(f"/api/v1/students?school={north.id}").json()["results"]] == [
        created.json()["id"]
    ]


def test_the_api_refuses_a_school_that_is_a_district(api_client):
    district = Org.objects.create(name="Springfield", type=OrgType.DISTRICT)
    body = {"first_name": "Ada", "last_name": "L", "email": "ada@school.example", "school": district.id}

    response = api_client.post("/api/v1/students", body, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert not Student.objects.exists()


def test_saving_the_student_page_with_the_school_left_empty_keeps_it(admin_client, north):
    student = StudentFactory(school=north)
    form = student_form(student, [], first_name="New", school="")

    response = admin_client.post(f"/admin/students/student/{student.id}/change/", form)

    assert response.status_code == HTTPStatus.FOUND
    student.refresh_from_db()
    assert (student.first_name, student.school) == ("New", north)


def _user(student: Student, **changes) -> dict:
    row = {
        "sourcedId": str(student.sourced_id),
        "status": "active",
        "givenName": student.first_name,
        "familyName": student.last_name,
        "email": student.email,
        "enabledUser": "true",
    }
    return {**row, **changes}


def test_a_bundle_moves_a_student_to_the_school_it_names(tmp_path, north):
    student = StudentFactory()

    rows = {"users": [_user(student, primaryOrgSourcedId=str(north.sourced_id))]}
    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    student.refresh_from_db()
    assert student.school == north
    assert report.counts == {"students updated": 1}


def test_a_bundle_row_naming_no_school_keeps_the_students(tmp_path, north):
    student = StudentFactory(school=north)

    report = import_bundle(bundle(tmp_path, {"users": [_user(student)]}, mode="delta"), actor=ACTOR)

    student.refresh_from_db()
    assert student.school == north
    assert report.counts == {}
