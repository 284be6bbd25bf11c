"""API tokens are stored as digests, shown once, expire, and are revoked by their owner and by staff."""

import datetime as dt
import io
import re
from http import HTTPStatus

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from knox.crypto import hash_token

from accounts import tokens
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db


def columns_of(token: ApiToken) -> list[str]:
    return [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]


def test_a_tokens_key_is_stored_only_as_its_digest_and_first_characters(superuser):
    token, key = tokens.create_token(user=superuser)
    assert key.startswith("enr_")
    assert len(key) == 68
    assert not any(key in column for column in columns_of(token))
    assert (token.digest, token.token_key) == (hash_token(key), key[:15])


def test_a_new_token_expires_after_the_configured_lifetime(superuser, settings):
    token, _ = tokens.create_token(user=superuser)
    assert abs(token.expiry - (timezone.now() + dt.timedelta(days=365))) < dt.timedelta(minutes=1)


def test_the_command_prints_the_line_scripts_read_and_the_key_authenticates(superuser, anonymous_client):
    out = io.StringIO()
    call_command("drf_create_token", superuser.username, stdout=out)
    line = re.fullmatch(rf"Generated token (enr_[0-9a-f]{{64}}) for user {superuser.username}\n", out.getvalue())
    assert line is not None
    response = anonymous_client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {line[1]}")
    assert response.status_code == HTTPStatus.OK


def test_the_command_makes_a_new_token_each_time_and_reset_revokes_the_others(superuser):
    for _ in range(2):
        call_command("drf_create_token", superuser.username, stdout=io.StringIO())
    call_command("drf_create_token", superuser.username, "--reset", stdout=io.StringIO())
    assert ApiToken.objects.filter(user=superuser).count() == 1


def test_the_command_names_a_token_and_sets_its_lifetime(superuser):
    call_command("drf_create_token", superuser.username, "--name", "SIS sync", "--days", "7", stdout=io.StringIO())
    token = ApiToken.objects.get(user=superuser)
    assert token.name == "SIS sync"
    assert abs(token.expiry - (timezone.now() + dt.timedelta(days=7))) < dt.timedelta(minutes=1)


def test_the_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="user nobody does not exist"):
        call_command("drf_create_token", "nobody", stdout=io.StringIO())


def test_an_expired_token_is_refused_saying_so(superuser, anonymous_client):
    token, key = tokens.create_token(user=superuser)
    ApiToken.objects.filter(pk=token.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = anonymous_client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == HTTPStatus.UNAUTHORIZED
    assert "expired" in response.json()["detail"]


def test_a_token_made_without_a_lifetime_never_expires(superuser, anonymous_client):
    token, key = tokens.create_token(user=superuser, lifetime=None)
    assert token.expiry is None
    assert anonymous_client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {key}").status_code == HTTPStatus.OK


def test_expired_tokens_are_cleaned_up_when_their_owner_gets_a_new_one(superuser):
    old, _ = tokens.create_token(user=superuser)
    ApiToken.objects.filter(pk=old.pk).update(expiry=timezone.now() - dt.timedelta(days=1))
    tokens.create_token(user=superuser)
    assert not ApiToken.objects.filter(pk=old.pk).exists()


def test_only_a_superuser_may_make_a_token_for_another_account(superuser, staff_member):
    clerk = staff_member("accounts.add_apitoken")
    with pytest.raises(tokens.TokenForbidden):
        tokens.create_token(user=superuser, created_by=clerk)
    assert tokens.create_token(user=clerk, created_by=clerk)[0].created_by == clerk
    assert tokens.create_token(user=clerk, created_by=superuser)[0].created_by == superuser
