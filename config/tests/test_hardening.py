"""Production settings, throttling, limits, request ids and logs, admin lockout."""

import json
import logging
import os
import subprocess
import sys
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.cache import caches

from config import throttling
from conftest import token_for

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "x7Vq2-" * 12,
    "DJANGO_ALLOWED_HOSTS": "enrollments.example.org",
    "DATABASE_URL": "sqlite:////tmp/enrollments-check-deploy.sqlite3",
    "CACHE_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={"PATH": os.environ["PATH"], **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_documented_production_settings_pass_check_deploy_without_a_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("key", ["", "short", "django-insecure-" + "k" * 60, "a" * 60])
def test_start_up_refuses_a_missing_or_weak_secret_key(key):
    result = manage("check", **{**PRODUCTION, "DJANGO_SECRET_KEY": key})
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.fixture
def tight_rates(monkeypatch):
    caches["default"].clear()
    monkeypatch.setattr(throttling.UserRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})
    monkeypatch.setattr(throttling.AnonRateThrottle, "THROTTLE_RATES", {"user": "3/minute", "anon": "2/minute"})
    yield
    caches["default"].clear()


def test_a_user_over_the_rate_gets_429_problem_with_retry_after(api_client, tight_rates):
    statuses = [api_client.get("/api/v1/students/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    response = api_client.get("/api/v1/students/")
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0


def test_anonymous_clients_are_throttled_by_address(anonymous_client, tight_rates):
    statuses = [anonymous_client.get("/api/v1/students/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_bad_tokens_are_throttled_too(anonymous_client, tight_rates):
    anonymous_client.credentials(HTTP_AUTHORIZATION="Token guessed-token")
    statuses = [anonymous_client.get("/api/v1/students/").status_code for _ in range(3)]
    assert statuses == [401, 401, 429]


def test_requests_are_served_when_the_cache_is_unreachable(api_client, settings, monkeypatch):
    from django.core.cache.backends.redis import RedisCache

    broken = RedisCache("redis://127.0.0.1:1/0", {})
    monkeypatch.setattr(throttling.UserRateThrottle, "cache", broken)
    assert api_client.get("/api/v1/students/").status_code == HTTPStatus.OK


def test_a_body_over_the_limit_is_refused_with_413(api_client, student, settings):
    settings.API_MAX_BODY_BYTES = 100
    body = json.dumps({"course_ids": list(range(1, 60))})
    response = api_client.generic(
        "PATCH", f"/api/v1/students/{student.id}/courses", body, content_type="application/json"
    )
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert response.json()["code"] == "payload_too_large"


def test_every_response_carries_a_request_id(api_client):
    response = api_client.get("/api/v1/students/")
    assert len(response["X-Request-ID"]) == 32


def test_a_sane_incoming_request_id_is_kept_and_a_strange_one_replaced(api_client):
    assert api_client.get("/api/v1/students/", HTTP_X_REQUEST_ID="abc-123")["X-Request-ID"] == "abc-123"
    assert api_client.get("/api/v1/students/", HTTP_X_REQUEST_ID="x" * 200)["X-Request-ID"] != "x" * 200


def test_logs_carry_the_request_id_and_never_the_token(anonymous_client, caplog, superuser):
    key = token_for(superuser)
    with caplog.at_level(logging.INFO, logger="enrollments.access"):
        response = anonymous_client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {key}")
    (record,) = [r for r in caplog.records if r.name == "enrollments.access"]
    assert record.request_id == response["X-Request-ID"]
    assert (record.status, record.path, record.user_id) == (200, "/api/v1/students/", superuser.pk)
    assert key not in caplog.text


def test_the_configured_json_log_format_is_one_object_per_line_with_the_production_keys():
    from django.utils.module_loading import import_string

    from config.request_context import RequestIdFilter

    configured = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(configured.pop("()"))(**configured)  # as logging.config builds it
    record = logging.LogRecord("enrollments.access", logging.INFO, __file__, 1, "request", (), None)
    RequestIdFilter().filter(record)
    text = formatter.format(record)
    line = json.loads(text)
    assert "\n" not in text
    assert {"time", "level", "logger", "message", "request_id"} <= set(line)
    assert (line["level"], line["logger"], line["request_id"]) == ("INFO", "enrollments.access", "-")


def test_admin_logins_are_locked_after_repeated_failures(client, superuser, settings):
    caches["default"].clear()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": superuser.username, "password": "wrong"}, REMOTE_ADDR="10.9.9.9")
    locked = client.post(
        "/admin/login/", {"username": superuser.username, "password": "a-long-test-password"}, REMOTE_ADDR="10.9.9.9"
    )
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    caches["default"].clear()
