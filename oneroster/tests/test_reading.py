"""The rules of OneRoster's reads that a schema cannot express: paging and its headers, field selection, sorting,
filters (their grammar, precedence and strictness), delta sync with tombstones, dates, what is no enrollment."""

import datetime as dt
from http import HTTPStatus

import pytest
from django.utils import timezone

from courses.tests.factories import CourseFactory
from oneroster.tests.conftest import ACTOR, BASE
from schools.models import Org
from students.enrollment import services
from students.models import Student
from students.tests.factories import StudentFactory


def code_minor(response) -> str:
    return response.json()["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def given_names(response) -> list[str]:
    return [user["givenName"] for user in response.json()["users"]]


# Paging ---------------------------------------------------------------------------------------------------------


def test_the_total_count_is_the_whole_collection_whatever_the_limit(roster_client, school):
    counts = {limit: roster_client.get(f"{BASE}/users?limit={limit}")["X-Total-Count"] for limit in (1, 2, 100)}

    assert counts == {1: "4", 2: "4", 100: "4"}


def test_without_a_limit_a_page_holds_100_records(roster_client, db):
    Student.objects.bulk_create(StudentFactory.build(school=Org.objects.first_school()) for _ in range(105))

    response = roster_client.get(f"{BASE}/users")

    assert len(response.json()["users"]) == 100
    assert response["X-Total-Count"] == "105"


def test_the_link_header_points_to_the_first_previous_next_and_last_pages_keeping_the_other_parameters(
    roster_client, school
):
    response = roster_client.get(f"{BASE}/users?limit=1&offset=1&sort=givenName")

    link = response["Link"]
    page = "http://testserver/ims/oneroster/rostering/v1p2/users?sort=givenName&limit=1&offset={}"
    assert f'<{page.format(0)}>; rel="first"' in link
    assert f'<{page.format(3)}>; rel="last"' in link
    assert f'<{page.format(0)}>; rel="prev"' in link
    assert f'<{page.format(2)}>; rel="next"' in link


def test_the_last_page_has_no_next_link_and_the_first_no_previous(roster_client, school):
    first, last = (roster_client.get(f"{BASE}/users?limit=2&offset={offset}")["Link"] for offset in (0, 2))

    assert 'rel="prev"' not in first
    assert 'rel="next"' in first
    assert 'rel="next"' not in last


def test_pages_follow_one_another_without_gaps_or_repeats(roster_client, school):
    pages = [given_names(roster_client.get(f"{BASE}/users?limit=3&offset={offset}")) for offset in (0, 3)]

    assert sorted(pages[0] + pages[1]) == ["Ada", "Alan", "Edsger", "Grace"]


@pytest.mark.parametrize("query", ["limit=0", "limit=-1", "limit=ten", "offset=-1", "orderBy=up"])
def test_a_limit_offset_or_order_that_is_not_a_number_or_word_the_standard_allows_is_invalid_data(
    roster_client, school, query
):
    response = roster_client.get(f"{BASE}/users?{query}")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert code_minor(response) == "invaliddata"


# Fields and sorting ---------------------------------------------------------------------------------------------


def test_fields_selects_the_properties_each_record_carries(roster_client, school):
    response = roster_client.get(f"{BASE}/users?fields=sourcedId,givenName&filter=givenName='Ada'")

    assert response.json() == {"users": [{"sourcedId": str(school.ada.sourced_id), "givenName": "Ada"}]}


def test_fields_applies_to_a_single_record_too(roster_client, school):
    response = roster_client.get(f"{BASE}/classes/{school.full.sourced_id}?fields=classCode")

    assert response.json() == {"class": {"classCode": school.full.code}}


def test_an_unknown_field_to_select_is_an_invalid_selection_field(roster_client, school):
    response = roster_client.get(f"{BASE}/users?fields=sourcedId,shoeSize")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert code_minor(response) == "invalid_selection_field"
    assert "shoeSize" in response.json()["imsx_description"]


def test_records_sort_on_a_field_in_either_order(roster_client, school):
    ascending = given_names(roster_client.get(f"{BASE}/users?sort=givenName"))
    descending = given_names(roster_client.get(f"{BASE}/users?sort=givenName&orderBy=desc"))

    assert ascending == ["Ada", "Alan", "Edsger", "Grace"]
    assert descending == ascending[::-1]


def test_sorting_on_an_unknown_field_is_refused(roster_client, school):
    response = roster_client.get(f"{BASE}/users?sort=shoeSize")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert code_minor(response) == "invalid_selection_field"


# Filters --------------------------------------------------------------------------------------------------------


def test_and_binds_tighter_than_or(roster_client, school):
    response = roster_client.get(f"{BASE}/users?filter=givenName='Ada' OR givenName='Grace' AND familyName='None'")

    assert given_names(response) == ["Ada"]  # (Ada) OR (Grace AND None), not (Ada OR Grace) AND None


def test_parentheses_group_before_and(roster_client, school):
    response = roster_client.get(f"{BASE}/users?filter=(givenName='Ada' OR givenName='Grace') AND givenName!='Ada'")

    assert given_names(response) == ["Grace"]


def test_any_number_of_predicates_combine(roster_client, school):
    StudentFactory(first_name="Barbara")  # named by no predicate
    query = "givenName='Ada' OR givenName='Grace' OR givenName='Alan' OR givenName='Edsger' AND status='active'"

    names = given_names(roster_client.get(f"{BASE}/users?filter={query}&limit=10"))

    assert sorted(names) == ["Ada", "Alan", "Edsger", "Grace"]


def test_contains_ignores_case(roster_client, school):
    assert given_names(roster_client.get(f"{BASE}/users?filter=givenName~'DSG'")) == ["Edsger"]


@pytest.mark.parametrize("op", ["=", "!=", ">", ">=", "<", "<="])
def test_each_comparison_compares_as_python_does_on_text(roster_client, school, op):
    compare = {
        "=": str.__eq__,
        "!=": str.__ne__,
        ">": str.__gt__,
        ">=": str.__ge__,
        "<": str.__lt__,
        "<=": str.__le__,
    }[op]

    found = given_names(roster_client.get(f"{BASE}/users?filter=givenName{op}'Alan'&sort=givenName"))

    assert found == [name for name in ["Ada", "Alan", "Edsger", "Grace"] if compare(name, "Alan")]


def test_a_dotted_field_filters_on_the_referenced_record(roster_client, school):
    response = roster_client.get(f"{BASE}/enrollments?filter=class.sourcedId='{school.full.sourced_id}'")

    users = [e["user"]["sourcedId"] for e in response.json()["enrollments"]]
    assert users == [str(school.ada.sourced_id)]  # Grace waits for a seat: no enrollment yet


@pytest.mark.parametrize(
    "text",
    [
        "givenName='Ada",
        "givenName=Ada",
        "givenName='Ada' AND",
        "givenName='Ada' and familyName='X'",
        "givenName='Ada'AND familyName='X'",
        "(givenName='Ada'",
        "givenName=='Ada'",
        "",
    ],
)
def test_a_malformed_filter_is_refused_never_ignored(roster_client, school, text):
    response = roster_client.get(f"{BASE}/users", {"filter": text})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert code_minor(response) == "invalid_filter_field"


@pytest.mark.parametrize(
    ("path", "text"),
    [
        ("users", "shoeSize='42'"),
        ("users", "roles.colour='red'"),
        ("enrollments", "dateLastModified>'yesterday'"),
        ("enrollments", "beginDate>'2026-13-01'"),
        ("enrollments", "status>'active'"),
        ("orgs", "dateLastModified>'soon'"),
        ("orgs", "nickname='x'"),
    ],
)
def test_an_unknown_field_or_a_value_of_the_wrong_kind_is_an_invalid_filter_field(roster_client, school, path, text):
    response = roster_client.get(f"{BASE}/{path}", {"filter": text})

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert code_minor(response) == "invalid_filter_field"


def test_a_quote_inside_a_value_is_written_twice(roster_client, school):
    StudentFactory(first_name="Mary", last_name="O'Hara")

    response = roster_client.get(f"{BASE}/users", {"filter": "familyName='O''Hara'"})

    assert given_names(response) == ["Mary"]


def test_filters_on_records_held_in_memory_follow_the_same_grammar(roster_client, school, district):
    assert len(roster_client.get(f"{BASE}/orgs").json()["orgs"]) == 2
    found = roster_client.get(f"{BASE}/orgs", {"filter": "type='school' AND dateLastModified>='2026-01-01T00:00:00Z'"})
    missed = roster_client.get(f"{BASE}/academicSessions", {"filter": "startDate>'2030-01-01'"})

    assert len(found.json()["orgs"]) == 1
    assert missed.json() == {"academicSessions": []}
    assert missed["X-Total-Count"] == "0"


# Delta sync, dates, and what is an enrollment ---------------------------------------------------------------------


def test_a_delta_query_returns_what_changed_since_including_dropped_enrollments(roster_client, school):
    since = timezone.now()
    services.drop(student_id=school.ada.id, course_id=school.open.id, actor=ACTOR)
    stamp = since.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    response = roster_client.get(f"{BASE}/enrollments", {"filter": f"dateLastModified>'{stamp}'"})

    ((changed,),) = [response.json()["enrollments"]]
    assert changed["sourcedId"] == str(school.association(school.ada, school.open).sourced_id)
    assert changed["status"] == "tobedeleted"


def test_the_date_last_modified_of_a_student_changes_with_the_student(roster_client, school, api_client):
    before = roster_client.get(f"{BASE}/users/{school.ada.sourced_id}").json()["user"]["dateLastModified"]

    api_client.patch(f"/api/v1/students/{school.ada.id}", {"last_name": "King"}, format="json")

    after = roster_client.get(f"{BASE}/users/{school.ada.sourced_id}").json()["user"]
    assert after["familyName"] == "King"
    assert after["dateLastModified"] > before


def test_a_completed_enrollment_ends_the_day_after_it_was_completed_since_end_dates_are_exclusive(
    roster_client, school
):
    completed = school.association(school.alan, school.open)
    last_day = timezone.localdate(completed.status_changed_at)
    end = (last_day + dt.timedelta(days=1)).isoformat()

    record = roster_client.get(f"{BASE}/enrollments/{completed.sourced_id}").json()["enrollment"]
    on_end = roster_client.get(f"{BASE}/enrollments", {"filter": f"endDate='{end}'"}).json()["enrollments"]
    ended_by_last_day = roster_client.get(f"{BASE}/enrollments", {"filter": f"endDate<='{last_day}'"})

    assert record["endDate"] == end
    assert record["beginDate"] == timezone.localdate(completed.enrolled_at).isoformat()
    assert {e["sourcedId"] for e in on_end} == {
        str(completed.sourced_id),
        str(school.association(school.edsger, school.open).sourced_id),
    }
    assert ended_by_last_day.json()["enrollments"] == []


def test_an_enrollment_still_going_has_no_end_date_and_matches_not_equal_to_any(roster_client, school):
    going = school.association(school.ada, school.full)

    response = roster_client.get(f"{BASE}/enrollments", {"filter": "endDate!='2000-01-01' AND status='active'"})

    ids = {e["sourcedId"] for e in response.json()["enrollments"]}
    completed_today = school.association(school.alan, school.open)  # its end date is today's, not 2000-01-01
    others = {str(school.association(school.ada, school.open).sourced_id), str(completed_today.sourced_id)}
    assert ids == {str(going.sourced_id), *others}  # the dropped one (tobedeleted) and the waitlisted one are not


def test_a_waitlisted_association_is_no_enrollment(roster_client, school):
    waiting = school.association(school.grace, school.full)

    single = roster_client.get(f"{BASE}/enrollments/{waiting.sourced_id}")
    students = roster_client.get(f"{BASE}/classes/{school.full.sourced_id}/students")

    assert single.status_code == HTTPStatus.NOT_FOUND
    assert given_names(students) == ["Ada"]


def test_a_students_classes_are_those_the_student_takes_or_completed(roster_client, school):
    alan = roster_client.get(f"{BASE}/students/{school.alan.sourced_id}/classes").json()["classes"]
    edsger = roster_client.get(f"{BASE}/users/{school.edsger.sourced_id}/classes").json()["classes"]

    assert [c["classCode"] for c in alan] == [school.open.code]
    assert edsger == []


# Query counts -----------------------------------------------------------------------------------------------------


# the token (with its client), the schools the client reads (its scope), the count, the page; the school's
# sourcedId, which every record names (and a class the term's); a school's collection checks the school exists
QUERIES = {"users": 5, "classes": 4, "courses": 4, "enrollments": 5, "schools/{school}/enrollments": 6}


@pytest.mark.parametrize("path", list(QUERIES))
def test_a_page_costs_the_same_queries_whatever_its_size(
    roster_client, school, django_assert_num_queries, settings, path
):
    for _ in range(20):
        services.change_courses(
            student_id=StudentFactory().id, enroll=[CourseFactory().id, school.open.id], actor=ACTOR
        )
    url = f"{BASE}/{path}".replace("{school}", settings.ONEROSTER_SCHOOL["sourced_id"])
    with django_assert_num_queries(QUERIES[path]):
        small = roster_client.get(f"{url}?limit=2")
    with django_assert_num_queries(QUERIES[path]):
        large = roster_client.get(f"{url}?limit=1000")

    assert len(large.json()[next(iter(large.json()))]) > len(small.json()[next(iter(small.json()))])
