"""Until every admin page is filtered school by school, the admin is the district's staff's alone."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User

from conftest import with_permissions
from scoping.models import Membership

pytestmark = pytest.mark.django_db


def staff_of(*schools) -> User:
    user = User.objects.create_user(f"staff{User.objects.count()}", password="a-long-test-password", is_staff=True)
    return with_permissions(user, ["students.view_student"], schools=list(schools))


def test_a_schools_staff_cannot_open_the_admin(client, north):
    client.force_login(staff_of(north))
    response = client.get("/admin/students/student/")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"].startswith("/admin/login/")


def test_the_districts_staff_open_it(client, north):
    client.force_login(staff_of(None))
    assert client.get("/admin/students/student/").status_code == HTTPStatus.OK


def test_the_user_page_shows_and_saves_the_accounts_scope(admin_client, north, south):
    user = User.objects.create_user("office")
    page = admin_client.get(f"/admin/auth/user/{user.id}/change/")
    assert b"Scope: the schools this account sees" in page.content
    Membership.objects.create(user=user, org=north)
    assert admin_client.get(f"/admin/auth/user/{user.id}/change/").status_code == HTTPStatus.OK
