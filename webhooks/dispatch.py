"""When deliveries run: a task per committed transaction that recorded changes (while any subscription is active),
a follow-up in case the worker running it dies, and one at the time of the next retry.

The tasks only say *when* to look: what is due is always read from the subscriptions' cursors and the feed, so a
task lost (a crash between a commit and its enqueue, a broker message dropped) delays a delivery, never loses it.
"""

import logging
import time
from datetime import timedelta

from django.conf import settings
from django.db.models import Min
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone
from django_tasks import task

from changes.selectors import head
from webhooks.delivery import deliver_due, due
from webhooks.models import Subscription, SubscriptionStatus

logger = logging.getLogger(__name__)
_ACTIVE_CHECKED_FOR = 5.0  # seconds a process trusts its answer to "is any subscription active?"
_active = {"value": False, "checked_at": float("-inf")}


def any_active_subscription() -> bool:
    if time.monotonic() - _active["checked_at"] > _ACTIVE_CHECKED_FOR:
        _active.update(value=Subscription.objects.filter(is_active=True).exists(), checked_at=time.monotonic())
    return _active["value"]


@receiver([post_save, post_delete], sender=Subscription)
def _forget_active_answer(**kwargs) -> None:
    _active["checked_at"] = float("-inf")


def changes_committed(**kwargs) -> None:
    """After a transaction that recorded changes commits: deliveries may be due."""
    try:
        if any_active_subscription():
            deliver_webhooks.enqueue()
    except Exception:  # the change has committed; its delivery waits for the next task, it is not lost
        logger.exception("could not enqueue webhook deliveries")


@task()
def deliver_webhooks() -> int:
    """Delivers what is due to every subscription; returns how many entries were delivered."""
    now = timezone.now()
    behind = Subscription.objects.filter(due(), cursor__lt=head())
    if behind.exists():  # should this worker die mid-delivery, the follow-up resumes once the lease has expired
        deliver_webhooks.using(run_after=now + timedelta(seconds=settings.WEBHOOKS_LEASE_SECONDS + 1)).enqueue()
    delivered = sum(deliver_due(subscription_id) for subscription_id in behind.values_list("id", flat=True))
    next_retry = Subscription.objects.filter(
        is_active=True, status=SubscriptionStatus.HEALTHY, next_attempt_at__gt=timezone.now()
    ).aggregate(at=Min("next_attempt_at"))["at"]
    if next_retry is not None:
        deliver_webhooks.using(run_after=next_retry).enqueue()
    return delivered
