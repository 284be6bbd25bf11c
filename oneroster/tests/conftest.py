"""A small school as the services make it, and OAuth clients holding tokens from the real token endpoint."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest
from rest_framework.test import APIClient

from courses.models import Course
from courses.tests.factories import CourseFactory
from oneroster.auth import CORE, DEMOGRAPHICS, ROSTER
from oneroster.clients import register_client
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentStatus, Student, StudentCourse
from students.tests.factories import StudentFactory

ACTOR = Actor(channel=Channel.COMMAND)
BASE = "/ims/oneroster/rostering/v1p2"


def token_response(client_id: str, secret: str, scope: str | None):
    """The token endpoint's answer to a client asking for ``scope`` (``None``: asking for none)."""
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    asked = {"grant_type": "client_credentials"} | ({} if scope is None else {"scope": scope})
    return APIClient().post(
        "/oauth/token",
        data=urlencode(asked),
        content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Basic {credentials}",
    )


def request_token(client_id: str, secret: str, scope: str | None) -> dict:
    response = token_response(client_id, secret, scope)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def registered_client(db) -> tuple[str, str]:
    """A client registered as staff register one, given every scope: its id and secret."""
    application, secret = register_client(name="District LMS", scopes=[CORE, ROSTER, DEMOGRAPHICS])
    return application.client_id, secret


@pytest.fixture
def client_with(registered_client) -> Callable[..., APIClient]:
    """Makes an API client whose bearer token, from the token endpoint, holds the named scopes."""

    def make(*scopes: str) -> APIClient:
        token = request_token(*registered_client, " ".join(scopes))["access_token"]
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
        return client

    return make


@pytest.fixture
def roster_client(client_with) -> APIClient:
    """Holds every scope: reads every endpoint."""
    return client_with(ROSTER, CORE, DEMOGRAPHICS)


@dataclass
class School:
    full: Course  # capacity 1: Ada enrolled, Grace waitlisted
    open: Course  # no capacity: Ada enrolled, Alan completed it, Edsger dropped it
    empty: Course
    ada: Student
    grace: Student
    alan: Student
    edsger: Student

    def association(self, student: Student, course: Course) -> StudentCourse:
        return StudentCourse.objects.get(student=student, course=course)


@pytest.fixture
def school(db) -> School:
    full, open_, empty = CourseFactory(capacity=1), CourseFactory(capacity=None), CourseFactory()
    ada, grace, alan, edsger = (StudentFactory(first_name=name) for name in ("Ada", "Grace", "Alan", "Edsger"))
    services.change_courses(student_id=ada.id, enroll=[full.id, open_.id], actor=ACTOR)
    services.change_courses(student_id=grace.id, enroll=[full.id], waitlist=True, actor=ACTOR)
    for student in (alan, edsger):
        services.change_courses(student_id=student.id, enroll=[open_.id], actor=ACTOR)
    services.change_status(student_id=alan.id, course_id=open_.id, status=EnrollmentStatus.COMPLETED, actor=ACTOR)
    services.drop(student_id=edsger.id, course_id=open_.id, actor=ACTOR)
    return School(full, open_, empty, ada, grace, alan, edsger)


DISTRICT = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"


@pytest.fixture
def district(db):
    """A district above the school (the school the settings made, the first)."""
    from schools.models import Org, OrgType

    above = Org.objects.create(sourced_id=DISTRICT, name="Springfield", type=OrgType.DISTRICT, identifier="D1")
    Org.objects.filter(type=OrgType.SCHOOL).update(parent=above)
    return above
