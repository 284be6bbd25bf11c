"""Delivering the feed to one subscription: in feed order, one entry at a time, at least once.

A worker first takes the subscription's lease (a conditional UPDATE: one worker per subscription at a time, on any
number of machines), then sends the next due entry, records the attempt and moves the cursor, renewing the lease as
it goes. Every write that follows names the lease, so a worker that lost it (it stalled past the lease, or staff
replayed meanwhile) stops instead of moving the cursor. A worker killed mid-delivery leaves a lease that expires:
the entry is sent again later with the same ``webhook-id``, which is what at-least-once means.
"""

import json
import random
import secrets
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from standardwebhooks import Webhook

from changes.models import Change
from changes.selectors import head
from config.api_values import api_value
from webhooks.models import DeliveryAttempt, Subscription, SubscriptionStatus
from webhooks.targets import Answer, post


def message_id(change: Change) -> str:
    """The ``webhook-id`` of an entry: the same on every attempt and replay, so receivers can drop repeats."""
    return f"msg_{change.id}"


def payload(change: Change) -> bytes:
    body = {"type": change.type, "timestamp": api_value(change.occurred_at), "data": change.as_entry()}
    return json.dumps(body, separators=(",", ":")).encode()


def send(subscription: Subscription, change: Change) -> Answer:
    """One signed POST of the entry (Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature)."""
    body, msg_id, now = payload(change), message_id(change), datetime.now(tz=UTC)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Enrollments-Webhooks/1",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": Webhook(subscription.signing_secret).sign(msg_id, now, body.decode()),
    }
    return post(subscription.url, body, headers)


def due() -> Q:
    """Subscriptions a worker may deliver to now."""
    now = timezone.now()
    return (
        Q(is_active=True, status=SubscriptionStatus.HEALTHY)
        & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        & (Q(leased_until__isnull=True) | Q(leased_until__lt=now))
    )


def retry_delay(failed_attempts: int) -> timedelta | None:
    """How long to wait after the ``failed_attempts``-th failure (with ±20 % jitter); None when retries are over."""
    schedule = settings.WEBHOOKS_RETRY_SCHEDULE
    if failed_attempts > len(schedule):
        return None
    return timedelta(seconds=schedule[failed_attempts - 1] * random.uniform(0.8, 1.2))


def deliver_due(subscription_id: int) -> int:
    """Delivers what is due to the subscription, until it is caught up or an attempt fails; returns how many
    entries were delivered. Does nothing if another worker holds the subscription or it is not due."""
    token = secrets.token_hex(16)
    lease = timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS)
    if not Subscription.objects.filter(due(), id=subscription_id).update(
        leased_until=timezone.now() + lease, lease_token=token
    ):
        return 0
    mine = Subscription.objects.filter(id=subscription_id, lease_token=token)
    delivered = 0
    try:
        while True:
            subscription = mine.first()
            if subscription is None:  # the lease was lost
                return delivered
            end = head()
            entries = Change.objects.filter(position__gt=subscription.cursor, position__lte=end)
            if subscription.event_types:
                entries = entries.filter(type__in=subscription.event_types)
            change = entries.order_by("position").first()
            if change is None:  # caught up: skip the entries of other types too
                mine.filter(cursor=subscription.cursor).update(cursor=end)
                return delivered
            answer = send(subscription, change)
            DeliveryAttempt.objects.create(
                subscription_id=subscription_id,
                change=change,
                message_id=message_id(change),
                status_code=answer.status_code,
                latency_ms=answer.latency_ms,
                error=answer.error,
                succeeded=answer.succeeded,
            )
            if not answer.succeeded:
                _schedule_retry(mine, subscription.failed_attempts + 1)
                return delivered
            moved = mine.filter(cursor=subscription.cursor).update(
                cursor=change.position, failed_attempts=0, next_attempt_at=None, leased_until=timezone.now() + lease
            )
            if not moved:  # staff replayed or retried meanwhile: their cursor stands
                return delivered
            delivered += 1
    finally:
        mine.update(leased_until=None, lease_token="")


def _schedule_retry(mine, failed_attempts: int) -> None:
    delay = retry_delay(failed_attempts)
    if delay is None:
        mine.update(failed_attempts=failed_attempts, next_attempt_at=None, status=SubscriptionStatus.FAILING)
    else:
        mine.update(failed_attempts=failed_attempts, next_attempt_at=timezone.now() + delay)
