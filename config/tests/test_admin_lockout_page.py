"""After too many failed sign-ins a person meets a page in the admin's look that says for how long, and the way
back; a body larger than the largest upload is refused before anything reads it."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.core.cache import caches

from config.tests.browser import PASSWORD, screenshot


@pytest.fixture
def locked_out(client, settings, db):
    caches["default"].clear()
    settings.AXES_COOLOFF_TIME = 0.25
    User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/admin/login/", {"username": "clerk", "password": "wrong"})
    yield client.post("/admin/login/", {"username": "clerk", "password": PASSWORD})
    caches["default"].clear()


def test_the_lockout_page_says_for_how_long_and_links_back_to_the_sign_in(locked_out):
    page = locked_out.content.decode()

    assert locked_out.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "locked here for 15 minutes, until" in page
    assert 'href="/admin/login/"' in page
    assert "axes_reset_username clerk" in page


def test_the_lockout_page_tells_the_client_when_to_try_again(locked_out):
    assert locked_out["Retry-After"] == "900"


def test_the_lockout_page_is_in_the_admins_look(locked_out):
    assert 'id="site-name"' in locked_out.content.decode()


def test_a_body_declared_larger_than_the_largest_upload_is_refused_unread(client, settings, db):
    settings.API_MAX_UPLOAD_BYTES = 1000

    response = client.generic(
        "POST", "/admin/login/", b"x", content_type="multipart/form-data; boundary=b", CONTENT_LENGTH="999999999"
    )

    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_person_locked_out_in_a_browser_reads_how_long_and_finds_the_way_back(browser, live_server, settings):
    caches["default"].clear()
    User.objects.create_user("clerk", password=PASSWORD, is_staff=True)
    context = browser.new_context()
    page = context.new_page()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", "clerk")
        page.fill("#id_password", "wrong")
        page.click("input[type=submit]")
    text = page.locator("#content").inner_text()
    screenshot(page, "locked-out")
    page.click("text=Back to the sign-in page")
    assert "minutes, until" in text
    assert page.locator("#id_username").count() == 1
    context.close()
    caches["default"].clear()
