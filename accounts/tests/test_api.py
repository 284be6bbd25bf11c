"""Owners list their own API tokens (never a key) and revoke them, the one in use included."""

from http import HTTPStatus

import pytest

from accounts import tokens

pytestmark = pytest.mark.django_db


def client_for(anonymous_client, user):
    token, key = tokens.create_token(user=user, name="script")
    anonymous_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return anonymous_client, token, key


def test_an_owner_lists_their_tokens_without_keys(anonymous_client, staff_member, superuser):
    client, token, key = client_for(anonymous_client, staff_member())
    tokens.create_token(user=superuser)
    response = client.get("/api/v1/tokens")
    assert response.status_code == HTTPStatus.OK
    (item,) = response.json()["results"]
    assert item == {**item, "id": token.pk, "name": "script", "starts_with": key[:15], "current": True}
    assert key not in response.content.decode()
    assert token.digest not in response.content.decode()


def test_an_owner_revokes_the_token_in_use(anonymous_client, staff_member):
    client, token, _ = client_for(anonymous_client, staff_member())
    assert client.delete(f"/api/v1/tokens/{token.pk}").status_code == HTTPStatus.NO_CONTENT
    assert client.get("/api/v1/tokens").status_code == HTTPStatus.UNAUTHORIZED


def test_another_accounts_token_is_not_found(anonymous_client, staff_member, superuser):
    client, _, _ = client_for(anonymous_client, staff_member())
    theirs, key = tokens.create_token(user=superuser)
    assert client.get(f"/api/v1/tokens/{theirs.pk}").status_code == HTTPStatus.NOT_FOUND
    assert client.delete(f"/api/v1/tokens/{theirs.pk}").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == HTTPStatus.OK


def test_tokens_cannot_be_made_or_changed_over_the_api(anonymous_client, staff_member):
    client, token, _ = client_for(anonymous_client, staff_member())
    assert client.post("/api/v1/tokens", {}, format="json").status_code == HTTPStatus.METHOD_NOT_ALLOWED
    response = client.patch(f"/api/v1/tokens/{token.pk}", {"name": "x"}, format="json")
    assert response.status_code == HTTPStatus.METHOD_NOT_ALLOWED
