"""Orgs and academic sessions are the district's rows: a school or term staff add is served at once, with its parent
and children, and the nested collections of a school or term that holds no courses yet are empty, not unknown."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.conf import settings

from oneroster.tests.conftest import BASE
from oneroster.tests.schemas import validate
from schools.models import AcademicSession, Org, OrgType, SessionType

pytestmark = pytest.mark.django_db


@pytest.fixture
def year():
    """A school year above the settings' term, and a grading period in the term."""
    year = AcademicSession.objects.create(
        title="2026-2027",
        type=SessionType.SCHOOL_YEAR,
        start_date=dt.date(2026, 8, 17),
        end_date=dt.date(2027, 7, 1),
        school_year="2027",
    )
    term = AcademicSession.objects.get(type=SessionType.TERM)
    term.parent = year
    term.save()
    period = AcademicSession.objects.create(
        title="First quarter",
        type=SessionType.GRADING_PERIOD,
        start_date=dt.date(2026, 8, 17),
        end_date=dt.date(2026, 10, 24),
        school_year="2027",
        parent=term,
    )
    return year, term, period


def test_a_school_staff_add_is_served_with_the_others(roster_client):
    added = Org.objects.create(name="Shelbyville High", type=OrgType.SCHOOL, identifier="SH")

    schools = roster_client.get(f"{BASE}/schools").json()

    validate(schools, "OrgSetDType")
    assert [s["name"] for s in schools["orgs"]] == [settings.ONEROSTER_SCHOOL["name"], "Shelbyville High"]
    assert roster_client.get(f"{BASE}/schools/{added.sourced_id}").json()["org"]["identifier"] == "SH"


def test_a_school_without_courses_yet_has_empty_collections(roster_client, school):
    added = Org.objects.create(name="Shelbyville High", type=OrgType.SCHOOL)

    for nested in ("classes", "courses", "enrollments", "students"):
        response = roster_client.get(f"{BASE}/schools/{added.sourced_id}/{nested}")
        assert response.status_code == HTTPStatus.OK, nested
        assert response.json()[next(iter(response.json()))] == [], nested


def test_the_first_school_holds_the_courses(roster_client, school):
    Org.objects.create(name="Shelbyville High", type=OrgType.SCHOOL)

    classes = roster_client.get(f"{BASE}/schools/{settings.ONEROSTER_SCHOOL['sourced_id']}/classes").json()

    assert len(classes["classes"]) == 3


def test_an_org_that_is_no_school_is_no_school(roster_client, district):
    response = roster_client.get(f"{BASE}/schools/{district.sourced_id}/classes")

    assert response.status_code == HTTPStatus.NOT_FOUND


def test_sessions_carry_their_parent_and_children(roster_client, year):
    school_year, term, period = year

    sessions = roster_client.get(f"{BASE}/academicSessions").json()

    validate(sessions, "AcademicSessionSetDType")
    by_title = {s["title"]: s for s in sessions["academicSessions"]}
    assert by_title[term.title]["parent"]["sourcedId"] == str(school_year.sourced_id)
    assert [c["sourcedId"] for c in by_title["2026-2027"]["children"]] == [str(term.sourced_id)]
    assert [c["sourcedId"] for c in by_title[term.title]["children"]] == [str(period.sourced_id)]


def test_a_terms_grading_periods_are_its_children(roster_client, year):
    _, term, period = year

    periods = roster_client.get(f"{BASE}/terms/{term.sourced_id}/gradingPeriods").json()["academicSessions"]

    assert [p["sourcedId"] for p in periods] == [str(period.sourced_id)]
    assert roster_client.get(f"{BASE}/gradingPeriods").json()["academicSessions"][0]["title"] == "First quarter"


def test_terms_lists_only_terms(roster_client, year):
    terms = roster_client.get(f"{BASE}/terms").json()["academicSessions"]

    assert [t["type"] for t in terms] == ["term"]


def test_a_term_that_is_not_the_courses_term_has_no_classes(roster_client, school):
    spring = AcademicSession.objects.create(
        title="Spring", start_date=dt.date(2027, 1, 10), end_date=dt.date(2027, 6, 1), school_year="2027"
    )

    assert roster_client.get(f"{BASE}/terms/{spring.sourced_id}/classes").json() == {"classes": []}
