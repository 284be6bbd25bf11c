"""Staff register a OneRoster client in the admin, in a real browser; its credentials then open the service."""

import re
from http import HTTPStatus

import pytest
import requests
from django.contrib.auth.models import User
from oauth2_provider.models import get_application_model

from config.tests.browser import PASSWORD, screenshot
from oneroster.auth import CORE, ROSTER
from oneroster.tests.conftest import BASE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_register_a_client_see_its_secret_once_and_the_client_reads_the_roster(page_as, live_server):
    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/oauth2_provider/application/add/")
    page.fill("#id_name", "District LMS")
    page.check(f"input[name=scopes][value='{ROSTER}']")  # beside roster-core, checked for a new client
    page.click("input[name=_save]")
    message = page.locator(".messagelist").inner_text()
    screenshot(page, "oneroster-client-added")
    client_id, secret = re.search(r"Client id: (\S+) — client secret: (\S+) —", message).groups()
    client = get_application_model().objects.get()
    assert (client.name, client.client_id) == ("District LMS", client_id)
    assert client.client_secret != secret  # kept hashed
    assert sorted(client.oneroster_scopes.scopes) == sorted([CORE, ROSTER])

    token = requests.post(
        f"{live_server.url}/oauth/token",
        data={"grant_type": "client_credentials", "scope": ROSTER},
        auth=(client_id, secret),
        timeout=10,
    ).json()["access_token"]
    school = requests.get(f"{live_server.url}{BASE}/schools", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    classes = requests.get(
        f"{school.url}/{school.json()['orgs'][0]['sourcedId']}/classes",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert classes.status_code == HTTPStatus.OK  # a nested collection: the roster scope

    page.goto(f"{page.base_url}/admin/oauth2_provider/application/{client.pk}/change/")
    assert secret not in page.content()
    assert page.locator("a.viewsitelink").count() == 0  # no link to pages this service does not serve
    screenshot(page, "oneroster-client")
