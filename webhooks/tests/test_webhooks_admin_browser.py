"""Staff subscribe a receiver in the admin, in a real browser, and read its delivery attempts there."""

import re

import pytest
from django.contrib.auth.models import User

from config.tests.browser import PASSWORD, screenshot
from courses.tests.factories import CourseFactory
from students.enrollment import services as enrollment
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory
from webhooks.delivery import deliver_due
from webhooks.models import Subscription

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_subscribe_see_the_secret_once_and_then_each_attempt(page_as, receiver):
    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/webhooks/subscription/add/")
    page.fill("#id_url", receiver.url)
    page.check("input[name=event_types][value='enrollment.enrolled']")
    page.click("input[name=_save]")
    message = page.locator(".messagelist").inner_text()
    subscription = Subscription.objects.get()
    assert subscription.signing_secret in message
    assert subscription.event_types == ["enrollment.enrolled"]
    screenshot(page, "webhook-added")

    receiver.secret = subscription.signing_secret
    student, course = StudentFactory(), CourseFactory()
    enrollment.change_courses(student_id=student.id, enroll=[course.id], actor=Actor(channel=Channel.SYSTEM))
    assert deliver_due(subscription.id) == 1

    page.goto(f"{page.base_url}/admin/webhooks/subscription/{subscription.id}/change/")
    attempts = page.locator(".field-recent_attempts table").inner_text()
    assert re.search(r"msg_\d+\s+\d+\s+200\s+\d+ ms", attempts), attempts
    assert subscription.signing_secret not in page.content()
    screenshot(page, "webhook-attempts")


def test_a_subscription_whose_receiver_refuses_every_delivery_is_shown_retrying_not_healthy(page_as, receiver):
    receiver.answer = lambda number: (503, 0)
    subscription = Subscription.objects.create(url=receiver.url)
    student, course = StudentFactory(), CourseFactory()
    enrollment.change_courses(student_id=student.id, enroll=[course.id], actor=Actor(channel=Channel.SYSTEM))
    assert deliver_due(subscription.id) == 0

    page = page_as(User.objects.create_superuser("chief", "chief@school.example", PASSWORD))
    page.goto(f"{page.base_url}/admin/webhooks/subscription/")
    health = page.locator("td.field-health").inner_text().strip()
    assert health.startswith("Retrying: the last 1 attempt(s) failed, next try at"), health
    assert "Healthy" not in health
    screenshot(page, "webhook-retrying")
