"""OneRoster's proof of scoping: a client registered for North walks every rostering endpoint (the service's own
URL list), with the sourcedId of every record of both schools in every path parameter, and no answer (body or
headers, ``X-Total-Count`` and ``Link`` included) carries a name, an e-mail, a code or a sourcedId of South's."""

import itertools
import json
import re
from collections import Counter, defaultdict
from http import HTTPStatus

import pytest
from django.db.models import Q
from rest_framework.test import APIClient

from courses.models import CatalogCourse, Course
from oneroster.auth import CORE, DEMOGRAPHICS, ROSTER, ClientRateThrottle
from oneroster.clients import register_client
from oneroster.tests.conftest import BASE, request_token
from oneroster.urls import urlpatterns
from schools.models import AcademicSession, Org
from scoping.tests.two_schools import south_secrets
from students.models import Student, StudentCourse
from teachers.models import Assignment, Teacher

pytestmark = pytest.mark.django_db
PARAMETER = re.compile(r"<str:(\w+)>")


@pytest.fixture(autouse=True)
def generous_rates(monkeypatch):
    """The walk asks thousands of times a minute: the client's rate limit would answer most of it 429."""
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"oneroster": "1000000/minute"})


def client_of(*schools) -> APIClient:
    application, secret = register_client(name="North LMS", scopes=[CORE, ROSTER, DEMOGRAPHICS], schools=schools)
    token = request_token(application.client_id, secret, f"{CORE} {ROSTER} {DEMOGRAPHICS}")["access_token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def unseen_by_north(world) -> set[str]:
    """The sourcedIds of South's records, and of the links across the two schools."""
    south = world["south"]["school"]
    rows = (
        Org.objects.filter(id=south.id),
        Student.objects.filter(school=south),
        Course.objects.filter(school=south),
        CatalogCourse.objects.filter(org=south),
        Teacher.objects.filter(school=south),
        StudentCourse.objects.filter(Q(student__school=south) | Q(course__school=south)),
        Assignment.objects.filter(Q(teacher__school=south) | Q(course__school=south)),
    )
    return {str(s) for queryset in rows for s in queryset.values_list("sourced_id", flat=True)}


def every_sourced_id() -> list[str]:
    models = (Org, AcademicSession, CatalogCourse, Course, Student, Teacher, StudentCourse, Assignment)
    return sorted({str(s) for model in models for s in model.objects.values_list("sourced_id", flat=True)})


def test_a_client_of_one_school_reads_nothing_of_another(world):
    client, secrets, ids = client_of(world["north"]["school"]), south_secrets(world), every_sourced_id()
    secrets |= {
        str(s)
        for s in StudentCourse.objects.filter(course__school=world["south"]["school"]).values_list(
            "sourced_id", flat=True
        )
    }
    leaks, statuses, answered = [], Counter(), defaultdict(set)
    unseen = unseen_by_north(world)
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        for values in itertools.product(ids, repeat=len(PARAMETER.findall(route))):
            url = route
            for value in values:
                url = PARAMETER.sub(value, url, count=1)
            response = client.get(f"{BASE}/{url}?limit=1000")
            statuses[response.status_code] += 1
            answered[route].add(response.status_code)
            assert response.status_code < HTTPStatus.INTERNAL_SERVER_ERROR, (url, response.content[:300])
            text = response.content.decode() + json.dumps(dict(response.headers))
            asked = set(values)  # a refusal names what was asked for: no leak
            if asked & unseen:  # another school's record is not found, as if it did not exist
                assert response.status_code == HTTPStatus.NOT_FOUND, (url, response.status_code)
            if found := sorted(secret for secret in secrets - asked if secret and secret in text):
                leaks.append((url, response.status_code, found))
    assert leaks == []
    unanswered = sorted(route for route, codes in answered.items() if HTTPStatus.OK not in codes)
    assert unanswered == ["demographics/<str:sourced_id>", "gradingPeriods/<str:sourced_id>"]  # the data has none
    assert not statuses[HTTPStatus.TOO_MANY_REQUESTS]
    assert statuses[HTTPStatus.NOT_FOUND] > 1000  # and found none of South's


def test_a_client_registered_for_no_school_in_particular_reads_the_district(world):
    names = [s["name"] for s in client_of().get(f"{BASE}/schools").json()["orgs"]]
    assert world["south"]["school"].name in names


def test_a_client_of_one_school_is_not_told_another_school_exists(world):
    south = world["south"]["school"]
    response = client_of(world["north"]["school"]).get(f"{BASE}/schools/{south.sourced_id}/students")
    assert response.status_code == HTTPStatus.NOT_FOUND
