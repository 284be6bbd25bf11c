"""/api/v1/webhooks: subscriptions over the API, the secret shown once, retry, replay and the attempts."""

from http import HTTPStatus

import pytest

from students.tests.factories import StudentFactory
from webhooks.delivery import deliver_due
from webhooks.models import Subscription

pytestmark = pytest.mark.django_db
URL = "/api/v1/webhooks"


def test_creating_a_subscription_answers_its_signing_secret_once(api_client):
    created = api_client.post(URL, {"url": "https://lms.school.example/hooks"}, format="json")
    assert created.status_code == HTTPStatus.CREATED
    assert created.json()["secret"].startswith("whsec_")
    shown = api_client.get(f"{URL}/{created.json()['id']}").json()
    assert "secret" not in shown
    assert "secret" not in api_client.get(URL).json()["results"][0]


def test_a_new_subscription_starts_at_the_end_of_the_feed(api_client):
    StudentFactory.create_batch(2)
    created = api_client.post(URL, {"url": "https://lms.school.example/hooks"}, format="json").json()
    assert created["cursor"] == "2"


def test_event_types_must_be_change_types(api_client):
    body = {"url": "https://lms.school.example/hooks", "event_types": ["student.eaten"]}
    assert api_client.post(URL, body, format="json").status_code == HTTPStatus.BAD_REQUEST


@pytest.mark.parametrize("url", ["ftp://lms.school.example/", "not a url", "https://"])
def test_a_url_that_is_not_http_is_refused(api_client, url):
    assert api_client.post(URL, {"url": url}, format="json").status_code == HTTPStatus.BAD_REQUEST


def test_viewing_is_not_enough_to_subscribe(client_with_permissions):
    client = client_with_permissions("webhooks.view_subscription")
    assert client.get(URL).status_code == HTTPStatus.OK
    answer = client.post(URL, {"url": "https://lms.school.example/hooks"}, format="json")
    assert answer.status_code == HTTPStatus.FORBIDDEN


def test_retrying_needs_the_change_permission(client_with_permissions):
    subscription = Subscription.objects.create(url="https://lms.school.example/hooks")
    client = client_with_permissions("webhooks.view_subscription")
    assert client.post(f"{URL}/{subscription.id}/retry").status_code == HTTPStatus.FORBIDDEN


def test_replaying_past_the_end_of_the_feed_is_refused(api_client):
    subscription = Subscription.objects.create(url="https://lms.school.example/hooks")
    response = api_client.post(f"{URL}/{subscription.id}/replay", {"after": "5"}, format="json")
    assert response.status_code == HTTPStatus.UNPROCESSABLE_ENTITY
    assert response.json()["code"] == "cursor_ahead"


@pytest.mark.django_db(transaction=True)
def test_the_attempts_show_each_answer_and_its_latency(api_client, receiver):
    subscription = api_client.post(URL, {"url": receiver.url}, format="json").json()
    StudentFactory()
    deliver_due(subscription["id"])
    [attempt] = api_client.get(f"{URL}/{subscription['id']}/attempts").json()["results"]
    assert (attempt["status_code"], attempt["succeeded"], attempt["cursor"]) == (200, True, "1")
    assert attempt["latency_ms"] >= 0
