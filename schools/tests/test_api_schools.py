"""``/api/v1/schools`` and ``/api/v1/sessions``: the district's orgs and academic sessions, filtered, written with
permissions, in the change feed."""

import datetime as dt
from http import HTTPStatus

import pytest

from changes.models import Change
from schools.models import AcademicSession, Org, OrgType, SessionType

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    above = Org.objects.create(name="Springfield", type=OrgType.DISTRICT)
    Org.objects.filter(type=OrgType.SCHOOL).update(parent=above)
    Org.objects.create(name="Shelbyville High", parent=above)
    return above


@pytest.fixture
def year():
    year = AcademicSession.objects.create(
        title="2026-2027",
        type=SessionType.SCHOOL_YEAR,
        start_date=dt.date(2026, 8, 17),
        end_date=dt.date(2027, 7, 1),
        school_year="2027",
    )
    AcademicSession.objects.filter(type=SessionType.TERM).update(parent=year)
    AcademicSession.objects.create(
        title="Spring", start_date=dt.date(2027, 1, 10), end_date=dt.date(2027, 6, 1), school_year="2027", parent=year
    )
    return year


def names(response) -> list[str]:
    return sorted(row.get("name") or row.get("title") for row in response.json()["results"])


def test_a_districts_schools_are_listed_by_parent(api_client, district):
    response = api_client.get(f"/api/v1/schools?parent={district.id}")

    assert response.status_code == HTTPStatus.OK
    assert names(response) == ["Enrollments Demo School", "Shelbyville High"]


def test_orgs_filter_by_type(api_client, district):
    assert names(api_client.get("/api/v1/schools?type=district")) == ["Springfield"]


def test_the_sessions_going_on_a_day_are_those_it_falls_in(api_client, year):
    response = api_client.get("/api/v1/sessions?active_on=2027-03-01")

    assert names(response) == ["2026-2027", "School year 2026-2027", "Spring"]
    assert names(api_client.get("/api/v1/sessions?active_on=2027-07-01")) == []  # the end is exclusive


def test_a_years_terms_are_listed_by_parent(api_client, year):
    assert names(api_client.get(f"/api/v1/sessions?parent={year.id}&type=term")) == ["School year 2026-2027", "Spring"]


@pytest.mark.parametrize(
    "query", ["type=planet", "active_on=yesterday", "parent=x", "school_year=%00", "search=%00", "ordering=secret"]
)
def test_a_bad_filter_is_refused_with_400(api_client, query):
    response = api_client.get(f"/api/v1/sessions?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST


def test_a_school_is_added_under_its_district_and_is_in_the_feed(api_client, district):
    response = api_client.post("/api/v1/schools", {"name": "Ogdenville High", "parent": district.id}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    school = Org.objects.get(name="Ogdenville High")
    assert (school.type, school.parent) == (OrgType.SCHOOL, district)
    (entry,) = Change.objects.filter(type="org.created", object_id=str(school.id))
    assert entry.data["name"] == "Ogdenville High"


def test_an_org_cannot_be_put_inside_itself(api_client, district):
    school = Org.objects.filter(parent=district).first()
    response = api_client.patch(f"/api/v1/schools/{district.id}", {"parent": school.id}, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "inconsistent"
    assert [error["attr"] for error in response.json()["errors"]] == ["parent"]
    district.refresh_from_db()
    assert district.parent is None


def test_an_org_holding_students_or_courses_and_the_first_school_are_not_deleted(api_client, district):
    first = Org.objects.first_school()
    empty = Org.objects.create(name="Closed school", parent=district)

    assert api_client.delete(f"/api/v1/schools/{first.id}").status_code == HTTPStatus.CONFLICT
    assert api_client.delete(f"/api/v1/schools/{district.id}").status_code == HTTPStatus.CONFLICT  # its schools
    assert api_client.delete(f"/api/v1/schools/{empty.id}").status_code == HTTPStatus.NO_CONTENT
    assert Change.objects.filter(type="org.deleted", object_id=str(empty.id)).exists()


def test_a_term_is_added_in_its_school_year_and_is_in_the_feed(api_client, year):
    body = {
        "title": "Summer",
        "type": "term",
        "start_date": "2027-06-10",
        "end_date": "2027-07-01",
        "school_year": "2027",
        "parent": year.id,
    }
    response = api_client.post("/api/v1/sessions", body, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert Change.objects.filter(type="session.created", data__title="Summer").exists()


def test_a_session_ending_before_it_starts_is_refused(api_client, year):
    response = api_client.patch(f"/api/v1/sessions/{year.id}", {"end_date": "2026-08-17"}, format="json")

    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "inconsistent"
    assert [error["attr"] for error in response.json()["errors"]] == ["end_date"]


def test_the_first_term_is_not_deleted(api_client):
    first = AcademicSession.objects.first_term()
    assert api_client.delete(f"/api/v1/sessions/{first.id}").status_code == HTTPStatus.CONFLICT
    assert AcademicSession.objects.filter(id=first.id).exists()


def test_writing_them_needs_the_add_permission(client, db):
    from django.contrib.auth.models import Permission, User

    from conftest import token_for

    user = User.objects.create_user("clerk", password="pw-pw-pw-pw-pw")
    user.user_permissions.add(Permission.objects.get(codename="view_org"))
    response = client.post(
        "/api/v1/schools",
        {"name": "New"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token_for(user)}",
    )

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert not Org.objects.filter(name="New").exists()


def test_a_catalog_course_made_for_a_course_is_in_the_feed(api_client):
    response = api_client.post("/api/v1/courses", {"code": "GEO1", "title": "Geology"}, format="json")

    assert response.status_code == HTTPStatus.CREATED
    assert Change.objects.filter(type="catalog_course.created", data__code="GEO1").exists()


def test_reading_them_needs_the_view_permission(client, db):
    from django.contrib.auth.models import User

    from conftest import token_for

    user = User.objects.create_user("clerk", password="pw-pw-pw-pw-pw")
    response = client.get("/api/v1/schools", HTTP_AUTHORIZATION=f"Token {token_for(user)}")

    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("query", ["type=", "active_on="])
def test_an_empty_filter_value_is_refused_not_taken_for_no_filter(api_client, query):
    assert api_client.get(f"/api/v1/sessions?{query}").status_code == HTTPStatus.BAD_REQUEST
