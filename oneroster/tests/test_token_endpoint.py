"""/oauth/token: wrong secrets are throttled per address and per client id before any is checked, only the client
credentials grant is served, and no request answers a 5xx (issue #22, findings 2 and 5)."""

import base64
import string
from http import HTTPStatus
from urllib.parse import urlencode

import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from oneroster.auth import CORE
from oneroster.clients import register_client

pytestmark = pytest.mark.django_db
GRANTS = [
    "client_credentials",
    "authorization_code",
    "password",
    "refresh_token",
    "implicit",
    "urn:ietf:params:oauth:grant-type:device_code",
    "urn:ietf:params:oauth:grant-type:jwt-bearer",
    "urn:ietf:params:oauth:grant-type:token-exchange",
]


def basic(client_id: str, secret: str) -> str:
    return "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()


def token_request(client: APIClient, fields: dict, authorization: str | None = None, **extra):
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    return client.post(
        "/oauth/token",
        data=urlencode(fields),
        content_type="application/x-www-form-urlencoded",
        **headers,
        **extra,
    )


@pytest.fixture
def known_client(db) -> tuple[str, str]:
    application, secret = register_client(name="Vendor", scopes=[CORE])
    return application.client_id, secret


def test_wrong_secrets_for_a_client_are_refused_with_429_and_retry_after(known_client, settings):
    settings.OAUTH_THROTTLE_RATE = "5/minute"
    client_id, _ = known_client
    answers = [
        token_request(APIClient(), {"grant_type": "client_credentials"}, basic(client_id, f"wrong-{n}"))
        for n in range(7)
    ]
    assert [a.status_code for a in answers] == [HTTPStatus.UNAUTHORIZED] * 5 + [HTTPStatus.TOO_MANY_REQUESTS] * 2
    assert answers[-1].json()["error"] == "slow_down"
    assert int(answers[-1]["Retry-After"]) > 0


def test_one_client_is_throttled_whatever_address_the_guesses_come_from(known_client, settings):
    settings.OAUTH_THROTTLE_RATE = "5/minute"
    client_id, _ = known_client
    statuses = [
        token_request(
            APIClient(), {"grant_type": "client_credentials"}, basic(client_id, "wrong"), REMOTE_ADDR=f"198.51.100.{n}"
        ).status_code
        for n in range(6)
    ]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS


def test_one_address_is_throttled_whatever_client_ids_it_tries(db, settings):
    settings.OAUTH_THROTTLE_RATE = "5/minute"
    statuses = [
        token_request(APIClient(), {"grant_type": "client_credentials"}, basic(f"made-up-{n}", "x")).status_code
        for n in range(6)
    ]
    assert statuses == [HTTPStatus.UNAUTHORIZED] * 5 + [HTTPStatus.TOO_MANY_REQUESTS]


def test_the_right_secret_still_gets_a_token(known_client):
    answer = token_request(APIClient(), {"grant_type": "client_credentials", "scope": CORE}, basic(*known_client))
    assert answer.status_code == HTTPStatus.OK
    assert answer.json()["token_type"] == "Bearer"


def test_revoking_is_throttled_too(known_client, settings):
    settings.OAUTH_THROTTLE_RATE = "2/minute"
    statuses = [
        APIClient()
        .post(
            "/oauth/revoke",
            data=urlencode({"token": "x"}),
            content_type="application/x-www-form-urlencoded",
            HTTP_AUTHORIZATION=basic(known_client[0], "wrong"),
        )
        .status_code
        for _ in range(3)
    ]
    assert statuses[-1] == HTTPStatus.TOO_MANY_REQUESTS


@pytest.mark.parametrize("grant", [g for g in GRANTS if g != "client_credentials"] + ["", "CLIENT_CREDENTIALS"])
def test_a_grant_other_than_client_credentials_is_unsupported(known_client, grant):
    answer = token_request(APIClient(), {"grant_type": grant}, basic(*known_client))
    assert answer.status_code == HTTPStatus.BAD_REQUEST
    assert answer.json()["error"] == "unsupported_grant_type"


def test_the_device_flow_without_a_device_code_is_refused_not_a_server_error(db):
    answer = token_request(APIClient(), {"grant_type": "urn:ietf:params:oauth:grant-type:device_code"})
    assert answer.status_code == HTTPStatus.BAD_REQUEST


def test_reading_the_token_endpoint_is_not_allowed(db):
    assert APIClient().get("/oauth/token").status_code == HTTPStatus.METHOD_NOT_ALLOWED


text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)
header_text = st.text(alphabet=string.printable.replace("\r", "").replace("\n", ""), max_size=60)
fields = st.dictionaries(
    st.sampled_from(["grant_type", "client_id", "client_secret", "scope", "code", "device_code", "refresh_token"]),
    st.one_of(st.sampled_from(GRANTS), text),
    max_size=6,
)
authorization = st.one_of(
    st.none(),
    st.builds(lambda i, s: basic(i, s), text, text),
    st.builds(lambda t: f"Basic {t}", header_text),
    st.builds(lambda t: f"Bearer {t}", header_text),
    header_text,
)


@pytest.fixture
def unthrottled(settings):
    settings.OAUTH_THROTTLE_RATE = "1000000/minute"


@hypothesis.seed(22)
@settings(max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(fields=fields, authorization=authorization, with_known_client=st.booleans())
def test_no_token_request_answers_a_server_error(known_client, unthrottled, fields, authorization, with_known_client):
    if with_known_client and authorization is None:
        fields = {**fields, "client_id": known_client[0]}
    answer = token_request(APIClient(), fields, authorization)
    assert answer.status_code in (HTTPStatus.OK, HTTPStatus.BAD_REQUEST, HTTPStatus.UNAUTHORIZED), answer.content
    assert "error" in answer.json() or answer.status_code == HTTPStatus.OK
