"""Fixtures shared by every app's tests."""

import io
import os
import zipfile
from collections.abc import Callable

import factory.random
import pytest
from django.contrib.auth.models import Permission, User
from django.core.cache import cache
from hypothesis import settings as hypothesis_settings
from rest_framework.test import APIClient

from accounts.tokens import create_token
from courses.tests.factories import CourseFactory
from scoping.models import Membership
from students.tests.factories import StudentFactory

pytest_plugins = ["config.tests.browser"]  # the browser and page_as fixtures, for every app's admin tests


# Hypothesis in CI: the same examples on every run (a red run reproduces), the failing one printed as a blob.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@pytest.fixture(autouse=True)
def seeded_factories(request) -> None:
    """The factories' random values (Faker's names and emails) are the same on every run of a test, whatever ran
    before it and on whichever worker: a failure reproduces."""
    factory.random.reseed_random(request.node.nodeid)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with no request counts: the cache outlives each test's database rollback."""
    cache.clear()


@pytest.fixture
def anonymous_client() -> APIClient:
    return APIClient()


def zip_of(files: dict[str, str | bytes]) -> bytes:
    """A zip archive holding these files (name: contents), as bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def token_for(user: User) -> str:
    """A new API token's key for the user."""
    return create_token(user=user)[1]


def token_client(user: User) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user)}")
    return client


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root", "root@school.example", "a-long-test-password")


@pytest.fixture
def api_client(superuser) -> APIClient:
    """A client authenticated with a superuser's token."""
    return token_client(superuser)


def with_permissions(user: User, perms, *, schools=None) -> User:
    """The user, holding the named permissions, seeing ``schools`` (orgs; ``None``: the whole district)."""
    for perm in perms:
        app_label, codename = perm.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    for org in [None] if schools is None else schools:
        Membership.objects.create(user=user, org=org)
    return user


@pytest.fixture
def client_with_permissions(db) -> Callable[..., APIClient]:
    """Makes a client for a non-superuser of the district holding exactly the named permissions
    ("students.view_student", ...)."""

    def make(*perms: str) -> APIClient:
        user = User.objects.create_user(f"user{User.objects.count()}", password="a-long-test-password")
        return token_client(with_permissions(user, perms))

    return make


@pytest.fixture
def student(db):
    return StudentFactory()


@pytest.fixture
def course(db):
    return CourseFactory()


@pytest.fixture
def staff_member(db) -> Callable[..., User]:
    """Makes a staff account of the district holding exactly the named permissions ("accounts.view_apitoken", ...)."""

    def make(*perms: str, username: str | None = None) -> User:
        user = User.objects.create_user(
            username or f"staff{User.objects.count()}", password="a-long-test-password", is_staff=True
        )
        return with_permissions(user, perms)

    return make
