"""Staff see API tokens without their keys, make them (the key shown once) and revoke them; a view-only account
cannot borrow a superuser's rights through the token list (the privilege escalation of issue #22)."""

import re
from http import HTTPStatus

import pytest

from accounts import tokens
from accounts.models import ApiToken

pytestmark = pytest.mark.django_db
LIST = "/admin/accounts/apitoken/"


def keys_in(html: str) -> set[str]:
    return set(re.findall(r"enr_[0-9a-f]{64}", html))


def test_a_view_only_staff_member_sees_the_tokens_but_never_a_key_or_digest(client, superuser, staff_member):
    token, key = tokens.create_token(user=superuser, name="SIS sync")
    client.force_login(staff_member("accounts.view_apitoken"))
    for url in (LIST, f"{LIST}{token.pk}/change/"):
        page = client.get(url).content.decode()
        assert "SIS sync" in page
        assert token.token_key in page
        assert key not in page
        assert token.digest not in page
        assert not keys_in(page)


def test_a_staff_member_makes_a_token_for_themselves_and_sees_its_key_once(client, staff_member, anonymous_client):
    clerk = staff_member("accounts.add_apitoken", "accounts.view_apitoken", "students.view_student")
    client.force_login(clerk)
    response = client.post(f"{LIST}add/", {"user": clerk.pk, "name": "laptop", "days": 30}, follow=True)
    (key,) = keys_in(response.content.decode())
    token = ApiToken.objects.get(user=clerk)
    assert (token.name, token.created_by) == ("laptop", clerk)
    assert anonymous_client.get("/api/v1/students/", HTTP_AUTHORIZATION=f"Token {key}").status_code == HTTPStatus.OK
    assert not keys_in(client.get(f"{LIST}{token.pk}/change/").content.decode())


def test_a_staff_member_cannot_make_a_token_for_a_superuser(client, superuser, staff_member):
    clerk = staff_member("accounts.add_apitoken", "accounts.view_apitoken")
    client.force_login(clerk)
    response = client.post(f"{LIST}add/", {"user": superuser.pk, "name": "borrowed", "days": 30})
    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    assert not ApiToken.objects.filter(user=superuser).exists()
    assert not keys_in(response.content.decode())


def test_a_superuser_makes_a_token_for_another_account(client, superuser, staff_member):
    clerk = staff_member()
    client.force_login(superuser)
    response = client.post(f"{LIST}add/", {"user": clerk.pk, "name": "for the clerk", "days": ""}, follow=True)
    assert len(keys_in(response.content.decode())) == 1
    token = ApiToken.objects.get(user=clerk)
    assert (token.created_by, token.expiry) == (superuser, None)


def test_staff_revoke_tokens_and_they_stop_working(client, superuser, staff_member, anonymous_client):
    token, key = tokens.create_token(user=superuser)
    client.force_login(staff_member("accounts.view_apitoken", "accounts.delete_apitoken"))
    response = client.post(LIST, {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == HTTPStatus.FOUND
    assert anonymous_client.get("/api/v1/", HTTP_AUTHORIZATION=f"Token {key}").status_code == HTTPStatus.UNAUTHORIZED
