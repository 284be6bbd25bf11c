import base64
import secrets

from django.db import models
from django.utils import timezone

from changes.models import Change, ChangeType
from webhooks.secrets import sealed, unsealed


def new_secret() -> str:
    """A Standard Webhooks signing secret: ``whsec_`` and 32 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def new_sealed_secret() -> str:
    """A new signing secret, as stored (``services.create_subscription`` keeps it to show it once)."""
    return sealed(new_secret())


class SubscriptionStatus(models.TextChoices):
    HEALTHY = "healthy"
    FAILING = "failing", "failing (retries exhausted; retry or replay to resume)"


class Subscription(models.Model):
    """A receiver of the change feed's entries, delivered one by one, in feed order, signed with ``secret``.

    ``cursor`` is the feed position delivered up to: a delivery is due for every later entry of the wanted types
    (the feed is the outbox: an entry exists if and only if its change committed). ``failed_attempts`` counts the
    failed attempts of the next entry; past the retry schedule the subscription is ``failing`` until staff retry.
    """

    url = models.URLField(max_length=2000, help_text="Where entries are POSTed (http or https).")
    event_types = models.JSONField(
        default=list, blank=True, help_text="The change types to deliver; empty for every type."
    )
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive subscriptions keep their place in the feed.")
    secret = models.CharField(
        max_length=255,
        default=new_sealed_secret,
        editable=False,
        help_text="The signing secret, encrypted (secrets.py).",
    )
    cursor = models.BigIntegerField(default=0, help_text="The feed position delivered up to.")
    status = models.CharField(max_length=16, choices=SubscriptionStatus.choices, default=SubscriptionStatus.HEALTHY)
    failed_attempts = models.PositiveIntegerField(default=0, editable=False)
    next_attempt_at = models.DateTimeField(null=True, blank=True, editable=False)
    leased_until = models.DateTimeField(null=True, blank=True, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "webhook_subscriptions"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.url

    @property
    def signing_secret(self) -> str:
        return unsealed(self.secret)

    def wants(self, change_type: str) -> bool:
        return not self.event_types or change_type in self.event_types


class DeliveryAttempt(models.Model):
    """One attempt to deliver one feed entry to one subscription: its answer and how long it took."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="attempts")
    change = models.ForeignKey(Change, on_delete=models.PROTECT, related_name="+")
    message_id = models.CharField(max_length=64, help_text="The webhook-id header: the same on every retry.")
    attempted_at = models.DateTimeField(default=timezone.now)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    latency_ms = models.PositiveIntegerField()
    error = models.CharField(max_length=500, blank=True)
    succeeded = models.BooleanField()

    class Meta:
        db_table = "webhook_delivery_attempts"
        ordering = ["-attempted_at", "-id"]
        indexes = [models.Index(fields=["subscription", "-attempted_at", "-id"], name="webhook_attempts_sub_idx")]

    def __str__(self) -> str:
        return f"{self.message_id} → {self.status_code or self.error}"


EVENT_TYPES = ChangeType.values
