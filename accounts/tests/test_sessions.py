"""Admin sessions are stored by the digest of their key, never the key (a session key is a bearer secret)."""

from http import HTTPStatus

import pytest
from django.contrib.sessions.models import Session

from accounts.sessions import digest

pytestmark = pytest.mark.django_db


def test_signing_in_stores_only_the_digest_of_the_session_key(client, superuser):
    response = client.post("/admin/login/", {"username": "root", "password": "a-long-test-password"})
    assert response.status_code == HTTPStatus.FOUND
    key = client.cookies["sessionid"].value
    assert not Session.objects.filter(session_key=key).exists()
    assert Session.objects.filter(session_key=digest(key)).exists()
    assert client.get("/admin/").status_code == HTTPStatus.OK


def test_signing_out_deletes_the_session(client, superuser):
    client.post("/admin/login/", {"username": "root", "password": "a-long-test-password"})
    client.post("/admin/logout/")
    assert not Session.objects.exists()


def test_a_stolen_digest_is_no_session_key(client, superuser):
    client.post("/admin/login/", {"username": "root", "password": "a-long-test-password"})
    stolen = Session.objects.get().session_key
    thief = type(client)()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/admin/").status_code == HTTPStatus.FOUND  # to the login page
