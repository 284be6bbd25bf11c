"""Who may read: OAuth 2.0 client credentials with OneRoster's scopes; refusals in OneRoster's error shape."""

import datetime as dt
import logging
from http import HTTPStatus

import pytest
from django.db import OperationalError
from django.utils import timezone
from oauth2_provider.models import AccessToken
from rest_framework.test import APIClient

from oneroster.auth import CORE, DEMOGRAPHICS, EXPIRED, ROSTER, ClientRateThrottle
from oneroster.clients import register_client
from oneroster.tests.conftest import BASE, request_token, token_response
from oneroster.tests.schemas import validate


def code_minor(response) -> str:
    return response.json()["imsx_CodeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"]


def test_the_token_endpoint_grants_the_scopes_asked_for_and_keeps_only_a_hash_of_the_token(registered_client):
    token = request_token(*registered_client, CORE)

    assert token["token_type"] == "Bearer"
    assert token["scope"] == CORE
    assert token["access_token"] not in AccessToken.objects.values_list("token", flat=True)


def test_a_request_without_a_token_is_unauthorised_and_told_to_bring_a_bearer_token(db):
    response = APIClient().get(f"{BASE}/users")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response["WWW-Authenticate"].startswith("Bearer")
    validate(response.json(), "imsx_StatusInfoDType")
    assert code_minor(response) == "unauthorisedrequest"


def test_an_unknown_or_expired_token_is_unauthorised(client_with):
    client = client_with(CORE)
    AccessToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")

    for response in (client.get(f"{BASE}/users"), stranger.get(f"{BASE}/users")):
        assert response.status_code == HTTPStatus.UNAUTHORIZED
        assert code_minor(response) == "unauthorisedrequest"


def test_an_expired_token_is_told_so_and_where_to_get_a_new_one(client_with):
    client = client_with(CORE)
    AccessToken.objects.update(expires=timezone.now() - dt.timedelta(seconds=1))

    response = client.get(f"{BASE}/users")

    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert response.json()["imsx_description"] == EXPIRED
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_our_own_apis_tokens_do_not_open_the_rostering_service(api_client):
    assert api_client.get(f"{BASE}/users").status_code == HTTPStatus.UNAUTHORIZED


def test_the_core_scope_reads_the_collections_and_records(client_with, school):
    client = client_with(CORE)

    assert client.get(f"{BASE}/users").status_code == HTTPStatus.OK
    assert client.get(f"{BASE}/orgs").status_code == HTTPStatus.OK
    record = client.get(f"{BASE}/users/{school.ada.sourced_id}")
    assert record.status_code == HTTPStatus.OK
    assert record.json()["user"]["givenName"] == "Ada"


def test_the_core_scope_does_not_read_the_nested_collections(client_with, settings):
    response = client_with(CORE).get(f"{BASE}/schools/{settings.ONEROSTER_SCHOOL['sourced_id']}/classes")

    assert response.status_code == HTTPStatus.FORBIDDEN
    validate(response.json(), "imsx_StatusInfoDType")
    assert code_minor(response) == "forbidden"


def test_the_roster_scope_reads_everything_but_demographics(client_with, settings):
    client = client_with(ROSTER)

    school_classes = client.get(f"{BASE}/schools/{settings.ONEROSTER_SCHOOL['sourced_id']}/classes")
    assert school_classes.status_code == HTTPStatus.OK
    assert client.get(f"{BASE}/users").status_code == HTTPStatus.OK
    assert client.get(f"{BASE}/demographics").status_code == HTTPStatus.FORBIDDEN


def test_demographics_need_their_own_scope(client_with):
    assert client_with(DEMOGRAPHICS).get(f"{BASE}/demographics").json() == {"demographics": []}


def test_a_scope_outside_the_standard_is_not_granted(registered_client):
    response = token_response(*registered_client, "write")

    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json()["error"] == "invalid_scope"


def test_a_client_over_its_rate_is_told_the_server_is_busy_and_when_to_retry(client_with, monkeypatch):
    monkeypatch.setattr(ClientRateThrottle, "THROTTLE_RATES", {"oneroster": "2/minute"})
    client = client_with(CORE)

    answers = [client.get(f"{BASE}/orgs") for _ in range(3)]

    assert [a.status_code for a in answers] == [HTTPStatus.OK, HTTPStatus.OK, HTTPStatus.TOO_MANY_REQUESTS]
    validate(answers[2].json(), "imsx_StatusInfoDType")
    assert code_minor(answers[2]) == "server_busy"
    assert int(answers[2]["Retry-After"]) > 0


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_service_only_reads(client_with, method):
    response = getattr(client_with(CORE), method)(f"{BASE}/users")

    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
    validate(response.json(), "imsx_StatusInfoDType")


def test_each_request_is_logged_with_its_client_and_never_its_token(registered_client, caplog):
    token = request_token(*registered_client, CORE)["access_token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")

    with caplog.at_level(logging.INFO, logger="enrollments.access"):
        client.get(f"{BASE}/orgs")

    (record,) = [r for r in caplog.records if r.name == "enrollments.access"]
    assert (record.status, record.client_id, record.user_id) == (200, registered_client[0], None)
    assert token not in caplog.text


def test_a_failure_on_our_side_is_an_internal_server_error_in_the_standards_shape(client_with, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("oneroster.paging.query", broken)

    response = client_with(CORE).get(f"{BASE}/users")

    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    validate(response.json(), "imsx_StatusInfoDType")
    assert code_minor(response) == "internal_server_error"


def test_an_unreachable_database_is_unavailable_with_retry_after_not_a_server_error(client_with, monkeypatch):
    client = client_with(CORE)

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("oneroster.paging.query", unreachable)

    response = client.get(f"{BASE}/users")

    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert response["Retry-After"] == "5"
    validate(response.json(), "imsx_StatusInfoDType")
    assert code_minor(response) == "server_busy"


def test_a_client_gets_only_the_scopes_staff_gave_it(db):
    application, secret = register_client(name="Quiz app", scopes=[CORE])

    assert request_token(application.client_id, secret, CORE)["scope"] == CORE
    refused = token_response(application.client_id, secret, ROSTER)
    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["error"] == "invalid_scope"


@pytest.mark.parametrize("asked", [CORE, None], ids=["asking-for-core", "asking-for-none"])
def test_a_client_given_no_scope_gets_no_token(db, asked):
    application, secret = register_client(name="Not yet", scopes=[])

    refused = token_response(application.client_id, secret, asked)

    assert refused.status_code == HTTPStatus.BAD_REQUEST
    assert refused.json()["error"] == "invalid_scope"


def test_a_token_asked_for_without_a_scope_carries_every_scope_the_client_was_given(db):
    application, secret = register_client(name="Gradebook", scopes=[ROSTER, DEMOGRAPHICS])

    assert set(request_token(application.client_id, secret, None)["scope"].split()) == {ROSTER, DEMOGRAPHICS}


def test_a_token_without_the_scope_an_endpoint_needs_is_told_which_scope_that_is(client_with, settings):
    response = client_with(CORE).get(f"{BASE}/schools/{settings.ONEROSTER_SCHOOL['sourced_id']}/classes")

    assert response.status_code == HTTPStatus.FORBIDDEN
    assert ROSTER in response.json()["imsx_description"]


def test_a_request_for_scopes_the_client_was_not_all_given_is_narrowed_to_those_it_was(db):
    application, secret = register_client(name="Classroom", scopes=[CORE, ROSTER])
    gradebook = "https://purl.imsglobal.org/spec/or/v1p2/scope/gradebook.readonly"

    answer = request_token(application.client_id, secret, f"{ROSTER} {gradebook} {CORE}")

    assert answer["scope"].split() == [ROSTER, CORE]
    assert set(AccessToken.objects.get().scope.split()) == {ROSTER, CORE}
