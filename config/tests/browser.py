"""Fixtures for the admin in a real browser: headless Chromium (Debian's) driven by Playwright, against a live server.

Tests save a screenshot of every page they check under ``$TEST_ARTIFACTS/screenshots`` (``make test`` prints where).
Without Chromium the browser tests are skipped, except in CI (``CI=true``), where a missing browser fails. Loaded for
every app's tests by the root ``conftest.py``.
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.auth.models import User

from conftest import with_permissions

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOTS = Path(os.environ.get("TEST_ARTIFACTS", "test-artifacts")) / "screenshots"
PASSWORD = "a-long-browser-password"


@pytest.fixture(scope="module")
def browser() -> Iterator:
    if not shutil.which(CHROMIUM):
        message = f"Chromium is not installed at {CHROMIUM} (apt-get install -y chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{message}; CI must run the browser tests.")
        pytest.skip(message)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield chromium
        chromium.close()


def staff_user(*perms: str, username: str = "staff") -> User:
    """A staff account of the whole district holding exactly ``perms``."""
    return with_permissions(User.objects.create_user(username, password=PASSWORD, is_staff=True), perms)


@pytest.fixture
def page_as(browser, live_server):
    """Opens a browser page logged into the admin as the given user."""
    contexts = []

    def login(user: User, time_zone: str = "UTC"):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, timezone_id=time_zone)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{live_server.url}/admin/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_selector("#user-tools")
        page.base_url = live_server.url
        return page

    yield login
    for context in contexts:
        context.close()


def screenshot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
