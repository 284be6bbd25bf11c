"""OneRoster on the demo district (``seed_demo``: three schools, a school year of two terms with grading periods,
sections, a teacher on every course): every endpoint answers as 1EdTech's file describes, and every one of them
has records, demographics aside (the demo keeps none)."""

from http import HTTPStatus

import pytest
from django.core.management import call_command

from courses.models import CatalogCourse, Course
from oneroster.tests.conftest import BASE
from oneroster.tests.schemas import COLLECTION_SCHEMAS, RECORD_SCHEMAS, validate
from oneroster.urls import urlpatterns
from schools.models import AcademicSession, Org, OrgType, SessionType
from students.models import EnrollmentStatus, StudentCourse
from teachers.models import Assignment

pytestmark = pytest.mark.django_db
ROUTES = [str(pattern.pattern) for pattern in urlpatterns]


@pytest.fixture
def demo(db):
    call_command("seed_demo", "--students", "40", "--courses", "24", "--per-student", "3", "--seed", "3", stdout=None)


def sourced_ids() -> dict[str, str]:
    """Records the demo holds for each placeholder: a class with students (and so with teachers), its school, …"""
    taken = StudentCourse.objects.filter(status=EnrollmentStatus.ENROLLED).select_related("course", "student").first()
    course = taken.course
    term = AcademicSession.objects.get(pk=course.term_id)
    assignment = Assignment.objects.filter(course=course).select_related("teacher").first()
    return {
        "academicSessions": term.sourced_id,
        "terms": term.sourced_id,
        "gradingPeriods": AcademicSession.objects.filter(type=SessionType.GRADING_PERIOD).first().sourced_id,
        "classes": course.sourced_id,
        "courses": CatalogCourse.objects.get(pk=course.catalog_course_id).sourced_id,
        "enrollments": taken.sourced_id,
        "orgs": Org.objects.get(type=OrgType.DISTRICT).sourced_id,
        "schools": Org.objects.get(pk=course.school_id).sourced_id,
        "students": taken.student.sourced_id,
        "teachers": assignment.teacher.sourced_id,
        "users": assignment.teacher.sourced_id,
        "class": course.sourced_id,
        "course": CatalogCourse.objects.get(pk=course.catalog_course_id).sourced_id,
        "school": Org.objects.get(pk=course.school_id).sourced_id,
        "student": taken.student.sourced_id,
        "user": taken.student.sourced_id,
        "teacher": assignment.teacher.sourced_id,
        "term": term.sourced_id,
    }


def test_the_demo_is_a_district_of_schools_terms_sections_and_teachers(demo):
    assert Org.objects.filter(type=OrgType.SCHOOL).count() == 3
    assert AcademicSession.objects.filter(type=SessionType.TERM, parent__type=SessionType.SCHOOL_YEAR).count() == 2
    assert Course.objects.values("school", "term").distinct().count() == 6  # every school teaches in both terms
    assert CatalogCourse.objects.filter(offerings__isnull=False).distinct().count() < Course.objects.count()
    assert not Course.objects.filter(assignments__isnull=True).exists()  # a teacher on every course


@pytest.mark.parametrize("route", ROUTES)
def test_every_endpoint_has_records_of_the_demo_district(roster_client, demo, route):
    ids = sourced_ids()
    url = route
    for name, value in ids.items():
        url = url.replace(f"<str:{name}_sourced_id>", str(value))
    url = url.replace("<str:sourced_id>", str(ids.get(route.split("/")[0], "")))

    response = roster_client.get(f"{BASE}/{url}")

    if route.startswith("demographics"):
        assert response.status_code == (HTTPStatus.NOT_FOUND if "<" in route else HTTPStatus.OK)
        return
    assert response.status_code == HTTPStatus.OK, response.content
    ((key, value),) = response.json().items()
    if isinstance(value, list):
        validate(response.json(), COLLECTION_SCHEMAS[key])
        assert value, f"{route} is empty"
    else:
        validate(response.json(), RECORD_SCHEMAS[key])
