"""A course is offered by a school, in a term, as a section of a catalog course, taught by its teachers; a course
made without naming them is the first school's, in the first term, its own catalog course."""

from http import HTTPStatus

import pytest
from django.db import IntegrityError, transaction

from courses.models import CatalogCourse, Course
from courses.tests.factories import CourseFactory
from schools.models import AcademicSession, Org, OrgType, SessionType
from teachers.models import AssignmentRole
from teachers.tests.factories import AssignmentFactory, TeacherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def north() -> Org:
    return Org.objects.create(name="North High", type=OrgType.SCHOOL)


@pytest.fixture
def spring() -> AcademicSession:
    return AcademicSession.objects.create(
        title="Spring", type=SessionType.TERM, start_date="2027-01-10", end_date="2027-06-20", school_year="2027"
    )


def test_a_course_naming_nothing_is_the_first_schools_in_the_first_term_as_its_own_catalog_course():
    course = Course.objects.create(code="ALG1", title="Algebra I")

    assert (course.school, course.term) == (Org.objects.first_school(), AcademicSession.objects.first_term())
    catalog = course.catalog_course
    assert (catalog.code, catalog.title, catalog.org) == ("ALG1", "Algebra I", course.school)


def test_two_sections_of_one_catalog_course_are_two_courses_with_their_own_capacity():
    catalog = CatalogCourse.objects.create(code="ALG1", title="Algebra I", org=Org.objects.first_school())
    first = Course.objects.create(code="ALG1-1", title="Algebra I", catalog_course=catalog, capacity=30)
    second = Course.objects.create(code="ALG1-2", title="Algebra I", catalog_course=catalog, capacity=25)

    assert list(catalog.offerings.order_by("code").values_list("id", "capacity")) == [(first.id, 30), (second.id, 25)]


def test_a_catalog_code_is_unique_within_its_org_only(north):
    CatalogCourse.objects.create(code="ALG1", title="Algebra I", org=Org.objects.first_school())
    CatalogCourse.objects.create(code="ALG1", title="Algebra I", org=north)

    with pytest.raises(IntegrityError), transaction.atomic():
        CatalogCourse.objects.create(code="ALG1", title="Again", org=north)


def test_the_api_shows_where_a_course_is_offered(api_client, north, spring):
    course = CourseFactory(school=north, term=spring)

    body = api_client.get(f"/api/v1/courses/{course.id}").json()

    assert (body["school"], body["term"], body["catalog_course"]) == (north.id, spring.id, course.catalog_course_id)


def test_the_api_makes_a_course_in_the_school_and_term_named(api_client, north, spring):
    response = api_client.post(
        "/api/v1/courses", {"code": "bio2", "title": "Biology", "school": north.id, "term": spring.id}, format="json"
    )

    assert response.status_code == HTTPStatus.CREATED
    created = Course.objects.get(code="BIO2")
    assert (created.school, created.term, created.catalog_course.org) == (north, spring, north)


@pytest.mark.parametrize("school", [10**30, 0, "1", True, 1.0])
def test_the_api_refuses_a_school_id_that_is_no_id_as_malformed(api_client, school):
    response = api_client.post("/api/v1/courses", {"code": "X1", "title": "T", "school": school}, format="json")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["errors"][0]["attr"] == "school"
    assert not Course.objects.exists()


@pytest.mark.parametrize("school", ["district", 999_999])
def test_the_api_refuses_a_school_that_is_no_school_here_as_an_unknown_reference(api_client, school):
    district = Org.objects.create(name="Springfield", type=OrgType.DISTRICT)
    value = district.id if school == "district" else school

    response = api_client.post("/api/v1/courses", {"code": "X1", "title": "T", "school": value}, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert (response.json()["code"], response.json()["errors"][0]["attr"]) == ("unknown_reference", "school")
    assert not Course.objects.exists()


def test_courses_filter_by_school_and_by_term(api_client, north, spring):
    here, there, later = CourseFactory(), CourseFactory(school=north), CourseFactory(term=spring)

    by_school = api_client.get(f"/api/v1/courses?school={north.id}").json()["results"]
    by_term = api_client.get(f"/api/v1/courses?term={spring.id}").json()["results"]
    first_term = api_client.get(f"/api/v1/courses?term={here.term_id}").json()["results"]

    assert [c["id"] for c in by_school] == [there.id]
    assert [c["id"] for c in by_term] == [later.id]
    assert {c["id"] for c in first_term} == {here.id, there.id}


def test_the_course_list_in_the_admin_filters_by_school(admin_client, north):
    CourseFactory(code="SOUTH1"), CourseFactory(code="NORTH1", school=north)

    page = admin_client.get(f"/admin/courses/course/?school__id__exact={north.id}").content.decode()

    assert "NORTH1" in page
    assert "SOUTH1" not in page


def test_staff_add_a_course_in_the_admin_in_the_first_school_and_term_unless_they_choose(admin_client, north):
    form = {"code": "art1", "title": "Art", "description": "", "capacity": "", "school": north.id, "term": ""}

    response = admin_client.post("/admin/courses/course/add/", form)

    assert response.status_code == HTTPStatus.FOUND
    created = Course.objects.get(code="ART1")
    assert (created.school, created.term) == (north, AcademicSession.objects.first_term())
    assert created.catalog_course.code == "ART1"


def test_the_course_page_shows_its_teachers_primary_first(admin_client):
    course = CourseFactory()
    AssignmentFactory(course=course, role=AssignmentRole.AIDE, teacher=TeacherFactory(last_name="Aide"))
    AssignmentFactory(course=course, teacher=TeacherFactory(last_name="Primary"))

    page = admin_client.get(f"/admin/courses/course/{course.id}/change/").content.decode()

    assert page.index("Primary") < page.index("Aide")
    assert "primary teacher" in page


def test_staff_assign_a_teacher_to_a_course_on_the_teachers_page(admin_client):
    teacher, course = TeacherFactory(), CourseFactory()
    form = {
        **{f: getattr(teacher, f) for f in ("first_name", "last_name", "email", "identifier")},
        "school": teacher.school_id,
        "assignments-TOTAL_FORMS": "0",  # the courses taught (none yet)
        "assignments-INITIAL_FORMS": "0",
        "assignments-2-TOTAL_FORMS": "1",  # another course to teach
        "assignments-2-INITIAL_FORMS": "0",
        "assignments-2-0-course": course.id,
        "assignments-2-0-role": "secondary",
        "assignments-2-0-begin_date": "2026-09-01",
        "assignments-2-0-end_date": "",
    }

    response = admin_client.post(f"/admin/teachers/teacher/{teacher.id}/change/", form)

    assert response.status_code == HTTPStatus.FOUND
    assert list(course.assignments.values_list("teacher_id", "role")) == [(teacher.id, "secondary")]
