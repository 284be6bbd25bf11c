"""The rostering service fuzzed against 1EdTech's OpenAPI file (oneroster/tests/openapi.py) by schemathesis, with
every check it has: generated requests, valid and invalid, from fixed seeds, with a token holding every scope, on a
small school made through the entry points. Any 5xx, an answer outside the file's schemas (the records, the imsx
errors), an undocumented header, invalid input accepted or valid input refused fails the test. ``schemathesis.toml``
names what the file cannot say (a filter, sort or field name is a string to the file, and ours are checked: 400;
a sourcedId that names nothing: 404)."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import CHECKS, is_check_class, load_all_checks

from config.wsgi import application
from oneroster.auth import CORE, DEMOGRAPHICS, ROSTER, ClientRateThrottle
from oneroster.tests.openapi import document

EXAMPLES_PER_OPERATION = 30
SEEDS = (1, 2, 3)
schema = schemathesis.openapi.from_dict(document())
schema.app = application
load_all_checks()
EVERY_CHECK = [check for check in CHECKS.get_all() if not is_check_class(check)]
pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]


@pytest.fixture(autouse=True)
def generous_rate(monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"oneroster": "1000000/minute"})


@pytest.fixture
def bearer(school, client_with):
    """A token holding every scope (from the token endpoint), for a school with enrollments of every kind. Then the
    requests go straight to the WSGI app: like Django's test client, keep them from closing the test's connection
    (after the token's request, whose test client reconnected that)."""
    client = client_with(CORE, ROSTER, DEMOGRAPHICS)
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield {"Authorization": client._credentials["HTTP_AUTHORIZATION"]}
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def fuzzed_with(seed: int):
    @schema.parametrize()
    @hypothesis.seed(seed)
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def test(case, bearer):
        case.call_and_validate(headers=bearer, checks=EVERY_CHECK)

    return test


test_every_rostering_endpoint_answers_as_1edtechs_file_says_seed_1 = fuzzed_with(SEEDS[0])
test_every_rostering_endpoint_answers_as_1edtechs_file_says_seed_2 = fuzzed_with(SEEDS[1])
test_every_rostering_endpoint_answers_as_1edtechs_file_says_seed_3 = fuzzed_with(SEEDS[2])
