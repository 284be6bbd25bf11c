"""The whole API fuzzed against its own OpenAPI schema by schemathesis, with every check it has.

Every operation gets a fixed budget of generated requests (valid and invalid) from each of five fixed seeds, once as
a superuser and once as a view-only user; then the stateful phase chains operations along the links schemathesis
infers (create a student, enroll it, read its history, …) under the same seeds. Any 5xx, undocumented status, content
type or header, response that does not match the schema, invalid input accepted or valid input refused fails the
test: fix the schema or the code, never the checks.
"""

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import CHECKS, is_check_class, load_all_checks

from config import throttling
from config.wsgi import application
from conftest import token_for, zip_of
from courses.tests.factories import CourseFactory
from scoping.models import Membership
from students.enrollment import services
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory

EXAMPLES_PER_OPERATION = 40
SEEDS = (1, 2, 3, 4, 5)
STATEFUL_EXAMPLES = 15
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


# Imports take files as the body: a CSV (any bytes: the job reports what it cannot read) and a zip holding a manifest
# and files of any content (a zip without a manifest is no bundle, refused at once: invalid data).
schemathesis.openapi.media_type("text/csv", st.binary(min_size=1))
schemathesis.openapi.media_type(
    "application/zip",
    st.builds(
        lambda manifest, users: zip_of({"manifest.csv": manifest, "users.csv": users}),
        st.binary(),
        st.binary(),
    ),
)
load_all_checks()
EVERY_CHECK = [check for check in CHECKS.get_all() if not is_check_class(check)]
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
    """A superuser and a view-only user, and a little data for the generated ids to find, made through the entry
    points as real use makes it: so there is history, a waitlist, a dropped and a completed course."""
    courses = CourseFactory.create_batch(3, capacity=2)
    students = StudentFactory.create_batch(4)
    actor = Actor(channel=Channel.COMMAND)
    for student in students:
        services.change_courses(student_id=student.id, enroll=[c.id for c in courses], actor=actor, waitlist=True)
    services.drop(student_id=students[0].id, course_id=courses[0].id, actor=actor)
    services.change_status(student_id=students[1].id, course_id=courses[1].id, status="completed", actor=actor)
    superuser = User.objects.create_superuser("fuzz-admin", "fa@school.example", "a-long-test-password")
    viewer = User.objects.create_user("fuzz-viewer", password="a-long-test-password")
    viewer.user_permissions.set(Permission.objects.filter(codename__startswith="view_"))
    Membership.objects.create(user=viewer, org=None)  # the district's
    return {role: token_for(user) for role, user in (("superuser", superuser), ("viewer", viewer))}


def fuzzed_with(seed: int):
    @schema.parametrize()
    @hypothesis.seed(seed)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @pytest.mark.parametrize("role", ["superuser", "viewer"])
    def test(case, tokens, role):
        case.call_and_validate(headers={"Authorization": f"Token {tokens[role]}"}, checks=EVERY_CHECK)

    return test


test_every_operation_answers_as_its_schema_says_seed_1 = fuzzed_with(SEEDS[0])
test_every_operation_answers_as_its_schema_says_seed_2 = fuzzed_with(SEEDS[1])
test_every_operation_answers_as_its_schema_says_seed_3 = fuzzed_with(SEEDS[2])
test_every_operation_answers_as_its_schema_says_seed_4 = fuzzed_with(SEEDS[3])
test_every_operation_answers_as_its_schema_says_seed_5 = fuzzed_with(SEEDS[4])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("role", ["superuser", "viewer"])
def test_chained_operations_answer_as_the_schema_says(tokens, role, seed):
    @hypothesis.seed(seed)
    class Workflow(schema.as_state_machine()):
        """Each example starts from the same data: its changes are rolled back when it ends, so what one example
        created cannot change what the next one may do (hypothesis requires generation to be reproducible)."""

        def setup(self):
            self.savepoint = transaction.savepoint()
            cache.clear()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def get_call_kwargs(self, case):
            return {"headers": {"Authorization": f"Token {tokens[role]}"}}

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(response, checks=EVERY_CHECK, headers=kwargs.get("headers"), recorder=self.recorder)

    Workflow.run(
        settings=settings(
            max_examples=STATEFUL_EXAMPLES,
            stateful_step_count=6,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
    )
