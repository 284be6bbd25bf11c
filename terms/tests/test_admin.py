"""The admin's action on academic sessions: one term chosen, the next asked for, the dry run shown, then done."""

from http import HTTPStatus

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from conftest import with_permissions
from courses.models import Course
from students.models import StudentCourse

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:schools_academicsession_changelist")


def act(client, term, **fields):
    return client.post(
        CHANGELIST, {"action": "close_and_roll_over", "_selected_action": [term.pk], **fields}, follow=True
    )


def test_choosing_the_action_asks_for_the_next_term(admin_client, fall, spring):
    page = act(admin_client, fall).content.decode()
    assert "Roll its courses over into" in page
    assert "Spring 2027" in page
    assert "See what it would do" in page


def test_the_page_shows_the_dry_run_and_changes_nothing(admin_client, algebra, fall, spring):
    page = act(admin_client, fall, into=spring.pk, preview="1").content.decode()
    assert "ALG1-A-SPRING2027" in page
    assert "2 enrollments would be completed" in page
    assert not Course.objects.filter(rolled_over_from=algebra).exists()
    assert StudentCourse.objects.filter(course=algebra, status="enrolled").count() == 2


def test_confirming_closes_the_term_and_says_what_it_did(admin_client, algebra, fall, spring):
    response = act(admin_client, fall, into=spring.pk, apply="1")
    assert response.status_code == HTTPStatus.OK
    assert "2 enrollments were completed" in response.content.decode()
    assert Course.objects.get(rolled_over_from=algebra).code == "ALG1-A-SPRING2027"
    assert not StudentCourse.objects.filter(course=algebra, status__in=["enrolled", "waitlisted"]).exists()


def test_a_refusal_is_shown_on_the_page_and_nothing_changes(admin_client, algebra, fall, spring):
    Course.objects.create(code="ALG1-A-SPRING2027", title="Taken")
    page = act(admin_client, fall, into=spring.pk, apply="1").content.decode()
    assert "ALG1-A-SPRING2027: another course has this code" in page
    assert StudentCourse.objects.filter(course=algebra, status="enrolled").count() == 2


def test_staff_without_the_permissions_are_not_offered_the_action(client, fall):
    staff = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(with_permissions(staff, ["schools.view_academicsession", "students.change_studentcourse"]))
    page = client.get(CHANGELIST).content.decode()
    assert "close_and_roll_over" not in page
