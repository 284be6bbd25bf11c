"""Classes are where they are offered: a school's classes, courses and enrollments are its own; a term's classes are
those taught in it; a catalog course's classes are its sections (each a course of ours, with its own students)."""

from http import HTTPStatus

import pytest

from courses.models import CatalogCourse
from courses.tests.factories import CourseFactory
from oneroster.tests.conftest import ACTOR, BASE
from oneroster.tests.schemas import validate
from schools.models import AcademicSession, Org, OrgType, SessionType
from students.enrollment import services
from students.tests.factories import StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north():
    """A second school, with a class in a second term that one student takes."""
    school = Org.objects.create(name="North High", type=OrgType.SCHOOL)
    spring = AcademicSession.objects.create(
        title="Spring", type=SessionType.TERM, start_date="2027-01-10", end_date="2027-06-20", school_year="2027"
    )
    course = CourseFactory(school=school, term=spring)
    student = StudentFactory()
    services.change_courses(student_id=student.id, enroll=[course.id], actor=ACTOR)
    return school, spring, course


def _ids(response, key: str) -> list[str]:
    assert response.status_code == HTTPStatus.OK, response.content
    return [record["sourcedId"] for record in response.json()[key]]


def test_a_class_names_its_own_school_and_term(roster_client, north):
    school, spring, course = north

    record = roster_client.get(f"{BASE}/classes/{course.sourced_id}").json()

    validate(record, "SingleClassDType")
    assert record["class"]["school"]["sourcedId"] == str(school.sourced_id)
    assert [term["sourcedId"] for term in record["class"]["terms"]] == [str(spring.sourced_id)]
    assert record["class"]["course"]["sourcedId"] == str(course.catalog_course.sourced_id)


def test_a_schools_classes_courses_and_enrollments_are_its_own(roster_client, school, north):
    other, _, course = north
    first = Org.objects.first_school().sourced_id

    assert _ids(roster_client.get(f"{BASE}/schools/{other.sourced_id}/classes"), "classes") == [str(course.sourced_id)]
    assert _ids(roster_client.get(f"{BASE}/schools/{other.sourced_id}/courses"), "courses") == [
        str(course.catalog_course.sourced_id)
    ]
    enrollments = roster_client.get(f"{BASE}/schools/{other.sourced_id}/enrollments").json()["enrollments"]
    assert [e["class"]["sourcedId"] for e in enrollments] == [str(course.sourced_id)]
    assert str(course.sourced_id) not in _ids(roster_client.get(f"{BASE}/schools/{first}/classes"), "classes")


def test_a_class_of_another_school_is_unknown_under_this_one(roster_client, school, north):
    first = Org.objects.first_school().sourced_id
    _, _, course = north

    response = roster_client.get(f"{BASE}/schools/{first}/classes/{course.sourced_id}/students")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_a_terms_classes_are_those_taught_in_it(roster_client, school, north):
    _, spring, course = north

    assert _ids(roster_client.get(f"{BASE}/terms/{spring.sourced_id}/classes"), "classes") == [str(course.sourced_id)]


def test_a_catalog_courses_classes_are_its_sections_each_with_its_students(roster_client):
    catalog = CatalogCourse.objects.create(code="ALG1", title="Algebra I", org=Org.objects.first_school())
    first, second = (CourseFactory(code=f"ALG1-{n}", catalog_course=catalog) for n in (1, 2))
    ada, grace = StudentFactory(), StudentFactory()
    services.change_courses(student_id=ada.id, enroll=[first.id], actor=ACTOR)
    services.change_courses(student_id=grace.id, enroll=[second.id], actor=ACTOR)

    sections = _ids(roster_client.get(f"{BASE}/courses/{catalog.sourced_id}/classes"), "classes")

    assert sorted(sections) == sorted([str(first.sourced_id), str(second.sourced_id)])
    assert _ids(roster_client.get(f"{BASE}/classes/{second.sourced_id}/students"), "users") == [str(grace.sourced_id)]
    assert roster_client.get(f"{BASE}/classes?filter=course.sourcedId='{catalog.sourced_id}'").json()["classes"]
