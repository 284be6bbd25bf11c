"""Delivering to one subscription, run in the test process against the real receiver: retries, the failing state,
types, the outbox, and targets refused in production."""

from http import HTTPStatus

import pytest
from django.db import transaction

from changes.models import Change
from courses.tests.factories import CourseFactory
from students.enrollment import services as enrollment
from students.enrollment.writing import Actor
from students.models import Channel
from students.tests.factories import StudentFactory
from webhooks import services
from webhooks.delivery import deliver_due
from webhooks.models import DeliveryAttempt, Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db(transaction=True)
ACTOR = Actor(channel=Channel.SYSTEM)


@pytest.fixture
def subscription(receiver) -> Subscription:
    created = services.create_subscription(url=receiver.url)
    receiver.secret = created.shown_secret
    return created


def test_an_entry_arrives_signed_with_the_standard_webhooks_headers_and_the_feed_entry_as_data(receiver, subscription):
    student = StudentFactory()
    assert deliver_due(subscription.id) == 1
    [delivery] = receiver.deliveries
    assert delivery.verified
    change = Change.objects.get()
    assert delivery.message_id == f"msg_{change.id}"
    assert delivery.body["type"] == "student.created"
    assert delivery.body["data"] == change.as_entry()
    assert delivery.body["data"]["data"]["id"] == student.id


def test_a_failed_attempt_is_logged_and_retried_later_with_the_same_id(receiver, subscription, settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0.0, 0.0]
    receiver.answer = lambda number: (503 if number == 1 else 200, 0.0)
    StudentFactory()
    assert deliver_due(subscription.id) == 0
    subscription.refresh_from_db()
    assert (subscription.failed_attempts, subscription.status) == (1, SubscriptionStatus.HEALTHY)
    assert deliver_due(subscription.id) == 1
    attempts = list(DeliveryAttempt.objects.order_by("id").values_list("status_code", "succeeded", "message_id"))
    assert [a[:2] for a in attempts] == [(503, False), (200, True)]
    assert attempts[0][2] == attempts[1][2]


def test_after_the_last_retry_the_subscription_is_failing_until_staff_retry(receiver, subscription, settings):
    settings.WEBHOOKS_RETRY_SCHEDULE = [0.0]
    receiver.answer = lambda number: (500 if number <= 2 else 200, 0.0)
    StudentFactory()
    deliver_due(subscription.id)
    deliver_due(subscription.id)
    subscription.refresh_from_db()
    assert subscription.status == SubscriptionStatus.FAILING
    assert deliver_due(subscription.id) == 0  # failing: nothing is attempted
    services.retry(subscription_id=subscription.id)
    assert deliver_due(subscription.id) == 1


def test_only_the_wanted_types_are_sent_and_the_cursor_moves_past_the_others(receiver):
    subscription = services.create_subscription(url=receiver.url, event_types=["course.created"])
    StudentFactory.create_batch(2)
    CourseFactory()
    StudentFactory()
    assert deliver_due(subscription.id) == 1
    assert [d.body["type"] for d in receiver.deliveries] == ["course.created"]
    subscription.refresh_from_db()
    assert subscription.cursor == Change.objects.count()


def test_replay_sends_again_every_entry_after_the_position_with_the_same_ids(receiver, subscription):
    StudentFactory.create_batch(3)
    deliver_due(subscription.id)
    services.replay(subscription_id=subscription.id, after=1)
    deliver_due(subscription.id)
    assert receiver.ids()[3:] == receiver.ids()[1:3]


def test_a_change_rolled_back_leaves_nothing_to_deliver(receiver, subscription):
    student, course = StudentFactory(), CourseFactory()
    deliver_due(subscription.id)
    before = len(receiver.deliveries)

    def enroll_then_fail() -> None:
        with transaction.atomic():
            enrollment.change_courses(student_id=student.id, enroll=[course.id], actor=ACTOR)
            raise RuntimeError("the request failed after the change")

    with pytest.raises(RuntimeError):
        enroll_then_fail()
    assert deliver_due(subscription.id) == 0
    assert len(receiver.deliveries) == before
    assert not Change.objects.filter(type="enrollment.enrolled").exists()


def test_in_production_a_loopback_target_is_refused_when_subscribing(api_client, receiver, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = api_client.post("/api/v1/webhooks", {"url": receiver.url}, format="json")
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "public hosts only" in str(response.json())
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("url", ["http://10.1.2.3/", "http://169.254.169.254/latest/meta-data", "http://[::1]/"])
def test_in_production_private_and_link_local_targets_are_refused(api_client, settings, url):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    assert api_client.post("/api/v1/webhooks", {"url": url}, format="json").status_code == HTTPStatus.BAD_REQUEST


def test_in_production_a_target_that_became_private_is_not_called(receiver, subscription, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False  # say the name now resolves to a private address
    StudentFactory()
    assert deliver_due(subscription.id) == 0
    assert receiver.requests == 0
    assert "public hosts only" in DeliveryAttempt.objects.get().error
