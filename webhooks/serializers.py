import re

from rest_framework import serializers

from changes.models import ChangeType
from config.fields import StrictBooleanField, StrictModelSerializer
from webhooks.models import DeliveryAttempt, Subscription
from webhooks.services import check_url

_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_PORT = "(?:6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[1-9][0-9]{0,3})"
WEBHOOK_URL = f"^https?://{_LABEL}(?:\\.{_LABEL})*(?::{_PORT})?(?:/[!-~]*)?$"


class SubscriptionSerializer(StrictModelSerializer):
    url = serializers.RegexField(
        WEBHOOK_URL,
        max_length=2000,
        help_text="An http or https URL with a host name or IPv4 address; in production a public address only.",
        error_messages={"invalid": "Enter an http or https URL with a host name."},
    )
    event_types = serializers.ListField(
        child=serializers.ChoiceField(
            choices=ChangeType.choices, error_messages={"invalid_choice": "Not a change type (see /changes)."}
        ),
        required=False,
        max_length=len(ChangeType.values),
        help_text="The change types to deliver; empty (the default) for every type.",
    )
    is_active = StrictBooleanField(required=False, default=True)
    cursor = serializers.CharField(read_only=True, help_text="The feed position delivered up to.")

    class Meta:
        model = Subscription
        fields = [
            "id",
            "url",
            "event_types",
            "description",
            "is_active",
            "status",
            "cursor",
            "failed_attempts",
            "next_attempt_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "status", "failed_attempts", "next_attempt_at", "created_at", "updated_at"]

    def validate_url(self, url: str) -> str:
        if not re.fullmatch(WEBHOOK_URL, url):  # the pattern's $ would let a final newline through
            raise serializers.ValidationError("Enter an http or https URL with a host name.", code="invalid")
        check_url(url)
        return url

    def validate_event_types(self, types: list[str]) -> list[str]:
        return sorted(set(types))


class NewSubscriptionSerializer(SubscriptionSerializer):
    """The answer to a creation: the only one that shows the signing secret."""

    secret = serializers.CharField(
        source="shown_secret", read_only=True, help_text="The signing secret: shown this once, keep it."
    )

    class Meta(SubscriptionSerializer.Meta):
        fields = [*SubscriptionSerializer.Meta.fields, "secret"]


class ReplaySerializer(serializers.Serializer):
    after = serializers.RegexField(
        r"^[0-9]{1,18}\Z", help_text="A feed cursor: every entry after it is delivered again (0: the whole feed)."
    )


class DeliveryAttemptSerializer(serializers.ModelSerializer):
    cursor = serializers.SerializerMethodField()

    class Meta:
        model = DeliveryAttempt
        fields = ["id", "message_id", "cursor", "attempted_at", "status_code", "latency_ms", "error", "succeeded"]

    def get_cursor(self, attempt: DeliveryAttempt) -> str:
        return str(attempt.change.position)
