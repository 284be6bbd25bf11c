from http import HTTPStatus

import pytest

from courses.models import CAPACITY_MESSAGE, Course


@pytest.mark.parametrize("capacity", ["0", "-3"])
def test_a_capacity_under_one_is_refused_with_one_plain_message(admin_client, capacity):
    response = admin_client.post(
        "/admin/courses/course/add/", {"code": "CS404", "title": "Lost", "description": "", "capacity": capacity}
    )

    assert response.status_code == HTTPStatus.OK  # the form again, with its error
    page = response.content.decode()
    assert CAPACITY_MESSAGE in page
    assert "Constraint" not in page
    assert not Course.objects.filter(code="CS404").exists()


def test_an_empty_capacity_is_no_limit(admin_client):
    admin_client.post(
        "/admin/courses/course/add/", {"code": "CS405", "title": "Open", "description": "", "capacity": ""}
    )

    assert Course.objects.get(code="CS405").capacity is None
