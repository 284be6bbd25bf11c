"""``/api/v1/schools`` and ``/api/v1/sessions``: the district's orgs and academic sessions, read-only, filtered."""

import datetime as dt
from http import HTTPStatus

import pytest

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


def test_the_api_does_not_write_them(api_client):
    response = api_client.post("/api/v1/schools", {"name": "New"}, format="json")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    assert not Org.objects.filter(name="New").exists()


def test_reading_them_needs_the_view_permission(client, db):
    from django.contrib.auth.models import User

    from conftest import token_for

    user = User.objects.create_user("clerk", password="pw-pw-pw-pw-pw")
    response = client.get("/api/v1/schools", HTTP_AUTHORIZATION=f"Token {token_for(user)}")

    assert response.status_code == HTTPStatus.FORBIDDEN


@pytest.mark.parametrize("query", ["type=", "active_on="])
def test_an_empty_filter_value_is_refused_not_taken_for_no_filter(api_client, query):
    assert api_client.get(f"/api/v1/sessions?{query}").status_code == HTTPStatus.BAD_REQUEST
