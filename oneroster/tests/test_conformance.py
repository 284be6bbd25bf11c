"""Every endpoint of the rostering service answers as 1EdTech's OpenAPI file describes: the body of each 200 is
valid against the file's schema (no property outside it), each refusal is an ``imsx_StatusInfo``."""

import uuid
from http import HTTPStatus

import pytest
from django.conf import settings

from oneroster.tests.conftest import BASE, DISTRICT
from oneroster.tests.schemas import COLLECTION_SCHEMAS, RECORD_SCHEMAS, validate
from oneroster.urls import urlpatterns
from teachers.tests.factories import AssignmentFactory

ROUTES = [str(pattern.pattern) for pattern in urlpatterns]
NO_SUCH_RECORDS = ("gradingPeriods/<", "demographics/<")  # none in the data: any sourcedId is unknown
EMPTY = ("gradingPeriods", "demographics")


@pytest.fixture
def teacher(school):
    """The primary teacher of the school's full course."""
    return AssignmentFactory(course=school.full).teacher


def url_for(route: str, school, teacher) -> str:
    """The route with every sourcedId filled in with one of the school's."""
    term, organisation = settings.ONEROSTER_TERM["sourced_id"], settings.ONEROSTER_SCHOOL["sourced_id"]
    record_ids = {
        "academicSessions": term,
        "terms": term,
        "classes": school.full.sourced_id,
        "courses": school.full.catalog_course.sourced_id,
        "enrollments": school.association(school.ada, school.full).sourced_id,
        "orgs": organisation,
        "schools": organisation,
        "students": school.ada.sourced_id,
        "teachers": teacher.sourced_id,
        "users": school.ada.sourced_id,
    }
    values = {
        "<str:sourced_id>": record_ids.get(route.split("/")[0], uuid.uuid4()),
        "<str:class_sourced_id>": school.full.sourced_id,
        "<str:course_sourced_id>": school.full.catalog_course.sourced_id,
        "<str:school_sourced_id>": organisation,
        "<str:student_sourced_id>": school.ada.sourced_id,
        "<str:user_sourced_id>": school.ada.sourced_id,
        "<str:teacher_sourced_id>": teacher.sourced_id,
        "<str:term_sourced_id>": term,
    }
    for placeholder, value in values.items():
        route = route.replace(placeholder, str(value))
    return f"{BASE}/{route}"


def test_the_service_has_every_read_endpoint_of_the_file():
    assert len(ROUTES) == 41  # 1EdTech's file: 41 GET operations in the rostering service
    assert "schools/<str:school_sourced_id>/classes/<str:class_sourced_id>/enrollments" in ROUTES


@pytest.mark.parametrize("route", ROUTES)
def test_every_endpoint_answers_as_the_file_describes(roster_client, school, teacher, route):
    response = roster_client.get(url_for(route, school, teacher))

    body = response.json()
    if route.startswith(NO_SUCH_RECORDS):
        assert response.status_code == HTTPStatus.NOT_FOUND
        validate(body, "imsx_StatusInfoDType")
        return
    assert response.status_code == HTTPStatus.OK
    ((key, value),) = body.items()
    if isinstance(value, list):
        validate(body, COLLECTION_SCHEMAS[key])
        assert int(response["X-Total-Count"]) == len(value)
        assert bool(value) != (route.startswith(EMPTY) or route.endswith("Periods"))
    else:
        validate(body, RECORD_SCHEMAS[key])


@pytest.mark.parametrize("route", [route for route in ROUTES if "<" in route])
def test_an_unknown_sourced_id_is_an_unknown_object(roster_client, school, route):
    url = f"{BASE}/{route}"
    for placeholder in ("sourced_id", "class_sourced_id", "course_sourced_id", "school_sourced_id"):
        url = url.replace(f"<str:{placeholder}>", "no-such-thing")
    for placeholder in ("student_sourced_id", "user_sourced_id", "teacher_sourced_id", "term_sourced_id"):
        url = url.replace(f"<str:{placeholder}>", str(uuid.uuid4()))

    response = roster_client.get(url)

    assert response.status_code == HTTPStatus.NOT_FOUND
    validate(response.json(), "imsx_StatusInfoDType")
    field = response.json()["imsx_CodeMinor"]["imsx_codeMinorField"][0]
    assert field == {"imsx_codeMinorFieldName": "TargetEndSystem", "imsx_codeMinorFieldValue": "unknownobject"}


def test_each_kind_of_record_validates_in_every_state_it_can_be_in(roster_client, school):
    answers = [roster_client.get(f"{BASE}/{name}?limit=1000") for name in ("enrollments", "users", "classes")]

    for answer in answers:
        validate(answer.json(), COLLECTION_SCHEMAS[next(iter(answer.json()))])
    statuses = sorted((e["status"], "endDate" in e) for e in answers[0].json()["enrollments"])
    assert statuses == [("active", False), ("active", False), ("active", True), ("tobedeleted", True)]


def test_a_district_above_the_school_is_an_org_with_the_school_as_its_child(roster_client, district):
    orgs = roster_client.get(f"{BASE}/orgs").json()

    validate(orgs, "OrgSetDType")
    school, district = orgs["orgs"]
    assert school["parent"]["sourcedId"] == district["sourcedId"] == DISTRICT
    assert district["children"][0]["sourcedId"] == school["sourcedId"]
    assert roster_client.get(f"{BASE}/schools").json()["orgs"] == [school]
