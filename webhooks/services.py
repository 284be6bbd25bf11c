"""What staff and API clients do with subscriptions: create, retry after failures, replay from a feed position."""

from collections.abc import Sequence

from django.db import transaction

from changes.selectors import head
from webhooks.dispatch import deliver_webhooks
from webhooks.errors import ReplayPastEnd
from webhooks.models import Subscription, SubscriptionStatus, new_secret
from webhooks.secrets import resealed, sealed
from webhooks.targets import check


def _deliver_after_commit() -> None:
    transaction.on_commit(lambda: deliver_webhooks.enqueue(), robust=True)


def check_url(url: str) -> None:
    """Raises ``UnsafeTarget`` for a URL deliveries may not go to."""
    check(url)


@transaction.atomic
def create_subscription(
    *, url: str, event_types: Sequence[str] = (), description: str = "", is_active: bool = True
) -> Subscription:
    """A subscription that receives the changes committed from now on (``replay`` sends older ones). Its signing
    secret is stored encrypted; ``shown_secret`` holds it, for the answer to the creation only."""
    check_url(url)
    secret = new_secret()
    subscription = Subscription.objects.create(
        url=url,
        event_types=list(event_types),
        description=description,
        is_active=is_active,
        cursor=head(),
        secret=sealed(secret),
    )
    subscription.shown_secret = secret
    return subscription


@transaction.atomic
def reseal_secrets() -> int:
    """Encrypts every signing secret under the current secret key (after a rotation); how many there are."""
    subscriptions = Subscription.objects.select_for_update().only("id", "secret")
    for subscription in subscriptions:
        Subscription.objects.filter(pk=subscription.pk).update(secret=resealed(subscription.secret))
    return len(subscriptions)


@transaction.atomic
def retry(*, subscription_id: int) -> None:
    """Resumes deliveries at once, from the entry that failed, with a fresh retry schedule."""
    Subscription.objects.filter(id=subscription_id).update(
        status=SubscriptionStatus.HEALTHY, failed_attempts=0, next_attempt_at=None
    )
    _deliver_after_commit()


@transaction.atomic
def replay(*, subscription_id: int, after: int) -> None:
    """Delivers again every entry after feed position ``after`` (0: the whole feed), then carries on."""
    end = head()
    if after > end:
        raise ReplayPastEnd(f"The position {after} is past the end of the feed ({end}).")
    Subscription.objects.filter(id=subscription_id).update(
        cursor=after,
        status=SubscriptionStatus.HEALTHY,
        failed_attempts=0,
        next_attempt_at=None,
        leased_until=None,
        lease_token="",
    )
    _deliver_after_commit()
