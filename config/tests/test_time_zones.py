"""The admin's times follow the browser's zone, named in a cookie; a cookie naming no zone changes nothing."""

from http import HTTPStatus

import pytest


@pytest.mark.parametrize("cookie", ["Mars/Olympus_Mons", "../../etc/passwd", "X" * 5000, "", "UTC\x00"])
def test_a_cookie_naming_no_time_zone_leaves_the_admin_in_the_settings_zone(admin_client, settings, cookie):
    settings.TIME_ZONE = "Europe/Lisbon"
    admin_client.cookies["time_zone"] = cookie

    response = admin_client.get("/admin/")

    assert response.status_code == HTTPStatus.OK
    assert "Times are shown in Europe/Lisbon." in response.content.decode()


def test_the_browsers_zone_is_named_at_the_foot_of_the_admins_pages(admin_client):
    admin_client.cookies["time_zone"] = "Asia/Kolkata"

    assert "Times are shown in Asia/Kolkata." in admin_client.get("/admin/").content.decode()


def test_the_api_answers_in_utc_whatever_the_cookie(admin_client, student):
    admin_client.cookies["time_zone"] = "Asia/Kolkata"

    created = admin_client.get(f"/api/v1/students/{student.id}", HTTP_ACCEPT="application/json").json()["created_at"]

    assert created.endswith("Z")
