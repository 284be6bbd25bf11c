"""The whole API fuzzed against its own OpenAPI schema by schemathesis, with all its default checks.

Every operation gets a fixed budget of generated requests from a fixed seed (``derandomize``), once as a
superuser and once as a view-only user. Any 5xx, undocumented status, content type or header, or response that does
not match the schema fails the test: fix the schema or the code, never the checks.
"""

import pytest
import schemathesis
from django.contrib.auth.models import Permission, User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token

from config import throttling
from config.wsgi import application
from courses.tests.factories import CourseFactory
from students.tests.factories import StudentCourseFactory

EXAMPLES_PER_OPERATION = 25
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """Requests go straight to the WSGI app; like Django's test client, keep it from closing the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def generous_rates(monkeypatch):
    rates = {"user": "1000000/minute", "anon": "1000000/minute"}
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", rates)
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", rates)


@pytest.fixture
def tokens(db) -> dict[str, str]:
    """A superuser and a view-only user, and a little data for the generated ids to find."""
    for course in CourseFactory.create_batch(3, capacity=2):
        StudentCourseFactory(course=course)
    superuser = User.objects.create_superuser("fuzz-admin", "fa@school.example", "a-long-test-password")
    viewer = User.objects.create_user("fuzz-viewer", password="a-long-test-password")
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    return {role: Token.objects.create(user=user).key for role, user in (("superuser", superuser), ("viewer", viewer))}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.parametrize("role", ["superuser", "viewer"])
def test_every_operation_answers_as_its_schema_says(case, tokens, role):
    case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"})
