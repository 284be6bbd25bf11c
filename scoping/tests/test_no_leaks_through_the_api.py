"""The API's proof of scoping: an account of one school walks every route of the API's own schema, every method,
with the ids of both schools' records in every path parameter and in every body that names one, and no answer
(body or headers) carries a name, an e-mail, a code or a sourcedId of the other school's records; every list's
``X-Total-Count`` counts only what it shows; and nothing of the other school changes.

The routes come from the schema, so a new endpoint is walked without anyone adding it here."""

import itertools
import json
import re
from collections import Counter
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Permission, User

from config import throttling
from conftest import token_client, with_permissions
from scoping.tests.two_schools import ids_named, snapshot_of_south, south_ids, south_secrets
from students.models import StudentCourse
from teachers.models import Assignment

pytestmark = pytest.mark.django_db
PARAMETER = re.compile(r"\{(\w+)\}")
OUR_APPS = ("accounts", "changes", "courses", "oneroster", "schools", "students", "teachers", "webhooks")


@pytest.fixture(autouse=True)
def generous_rates(monkeypatch):
    """The walk makes thousands of requests in a minute: rate limits would answer most of them 429."""
    rates = {"user": "1000000/minute", "anon": "1000000/minute"}
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def north_account(world):
    """An account of North holding every permission of our apps: only its scope keeps South from it."""
    user = User.objects.create_user("north-office", password="a-long-test-password")
    perms = Permission.objects.filter(content_type__app_label__in=OUR_APPS)
    with_permissions(
        user, [f"{p.content_type.app_label}.{p.codename}" for p in perms], schools=[world["north"]["school"]]
    )
    return token_client(user)


def routes(api_client) -> list[tuple[str, str]]:
    """Every operation of the schema: reads first, then writes, deletions last (its own token spared: deleting it
    would end the walk)."""
    schema = api_client.get("/api/v1/schema/?format=json").json()
    operations = [(path, method.upper()) for path, item in schema["paths"].items() for method in item]
    order = {"GET": 0, "HEAD": 0, "OPTIONS": 0, "DELETE": 2}
    return sorted(
        (op for op in operations if op != ("/api/v1/tokens/{id}/", "DELETE")), key=lambda op: order.get(op[1], 1)
    )


def every_id(world) -> list[int]:
    ids = set()
    for school in world.values():
        ids |= {school["school"].id} | {o.id for kind in ("students", "courses", "teachers") for o in school[kind]}
    ids |= set(StudentCourse.objects.values_list("id", flat=True)) | set(
        Assignment.objects.values_list("id", flat=True)
    )
    return sorted(ids)


def bodies(world) -> list[dict]:
    """Bodies naming South's records (and a valid North student's shape, which must not land in South)."""
    south, north = world["south"], world["north"]
    course, student, teacher = south["courses"][0].id, south["students"][0].id, south["teachers"][0].id
    return [
        {},
        {"course_id": course},
        {"course_ids": [course]},
        {"course_ids": [north["courses"][0].id]},
        {"student_ids": [student]},
        {"status": "dropped"},
        {"first_name": "Moved", "last_name": "Away", "email": "moved@north.example", "school": south["school"].id},
        {"code": "NEW-1", "title": "New", "school": south["school"].id},
        {"teacher": teacher, "course": north["courses"][0].id, "role": "primary"},
        {"capacity": 0},
        {"first_name": "New", "last_name": "Pupil", "email": "new-pupil@north.example"},  # North's, unnamed
        {"code": "NORTH-NEW", "title": "A new course"},
    ]


def answers(client, path: str, method: str, ids: list[int], world):
    names = PARAMETER.findall(path)
    for values in itertools.product(ids, repeat=len(names)):
        url = path
        for name, value in zip(names, values, strict=True):
            url = url.replace("{" + name + "}", str(value))
        if method in ("GET", "HEAD", "OPTIONS"):
            yield url, client.generic(method, url + ("?page_size=500" if method == "GET" else ""))
        else:
            for body in bodies(world):
                yield url, client.generic(method, url, json.dumps(body), content_type="application/json")


def test_an_account_of_one_school_reads_and_changes_nothing_of_another(api_client, north_account, world):
    secrets, before, leaks, walked, statuses = south_secrets(world), snapshot_of_south(world), [], 0, Counter()
    ids_of_south, counted = south_ids(world), 0
    ids = every_id(world)
    for path, method in routes(api_client):
        if path.endswith("/schema/") or ("{" in path and len(PARAMETER.findall(path)) > 2):
            continue
        for url, response in answers(north_account, path, method, ids, world):
            walked += 1
            statuses[response.status_code] += 1
            assert response.status_code < 500, (method, url, response.content[:300])
            text = response.content.decode(errors="replace") + json.dumps(dict(response.headers))
            if found := sorted(secret for secret in secrets if secret and secret in text):
                leaks.append((method, url, response.status_code, found))
            if response.get("Content-Type", "").startswith("application/json") and response.content:
                collection = url.rstrip("/").split("/")[-1]
                if named := ids_named(response.json(), collection, ids_of_south):
                    leaks.append((method, url, response.status_code, sorted(named)))
            if method == "GET" and response.status_code == HTTPStatus.OK and "count" in (body := response.json()):
                assert body["count"] == len(body["results"]), url  # one page of 500: a count counts what it shows
                counted += 1
    assert leaks == []
    assert snapshot_of_south(world) == before
    assert walked > 3000  # the walk went through every route, none of it refused for its pace
    assert not statuses[HTTPStatus.TOO_MANY_REQUESTS]
    assert statuses[HTTPStatus.OK] > 50  # North's records answered
    assert statuses[HTTPStatus.CREATED] > 0  # and made
    assert statuses[HTTPStatus.NOT_FOUND] > 1000  # South's not found
    assert counted > 10  # the lists' counts were compared
