"""Staff manage subscriptions in the admin: the secret shown once, the attempts, retry and replay."""

from http import HTTPStatus

import pytest

from changes.models import Change
from students.tests.factories import StudentFactory
from webhooks.delivery import deliver_due
from webhooks.models import Subscription, SubscriptionStatus

pytestmark = pytest.mark.django_db(transaction=True)
ADD = "/admin/webhooks/subscription/add/"


def test_adding_a_subscription_shows_its_secret_once(admin_client):
    response = admin_client.post(ADD, {"url": "https://lms.school.example/hooks", "is_active": "on"}, follow=True)
    subscription = Subscription.objects.get()
    assert subscription.signing_secret in response.content.decode()
    page = admin_client.get(f"/admin/webhooks/subscription/{subscription.id}/change/")
    assert subscription.signing_secret not in page.content.decode()


def test_a_loopback_target_is_refused_in_production(admin_client, settings):
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    response = admin_client.post(ADD, {"url": "http://127.0.0.1:9/", "is_active": "on"})
    assert response.status_code == HTTPStatus.OK  # the form again, with the error
    assert "public hosts only" in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_change_page_lists_each_attempt_with_its_status_and_latency(admin_client, receiver):
    receiver.answer = lambda number: (500, 0.0)
    subscription = Subscription.objects.create(url=receiver.url)
    StudentFactory()
    deliver_due(subscription.id)
    message_id = f"msg_{Change.objects.get().id}"
    page = admin_client.get(f"/admin/webhooks/subscription/{subscription.id}/change/").content.decode()
    assert "<td>500</td>" in page
    assert message_id in page
    every = admin_client.get(f"/admin/webhooks/deliveryattempt/?subscription__id__exact={subscription.id}")
    assert every.status_code == HTTPStatus.OK
    assert message_id in every.content.decode()


def test_the_retry_action_makes_a_failing_subscription_healthy(admin_client):
    subscription = Subscription.objects.create(
        url="https://lms.school.example/hooks", status=SubscriptionStatus.FAILING, failed_attempts=8
    )
    admin_client.post("/admin/webhooks/subscription/", {"action": "retry_now", "_selected_action": [subscription.id]})
    subscription.refresh_from_db()
    assert (subscription.status, subscription.failed_attempts) == (SubscriptionStatus.HEALTHY, 0)


def test_replaying_from_a_position_moves_the_cursor_back(admin_client):
    StudentFactory.create_batch(3)
    subscription = Subscription.objects.create(url="https://lms.school.example/hooks", cursor=3)
    admin_client.post(
        f"/admin/webhooks/subscription/{subscription.id}/change/",
        {"url": subscription.url, "is_active": "on", "replay_after": "1"},
    )
    subscription.refresh_from_db()
    assert subscription.cursor == 1
