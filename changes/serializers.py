from rest_framework import serializers

from changes.models import Change, ChangeType
from config.fields import PresentWhenEmpty

MAX_CURSOR = 2**63 - 1
FEED_MAX_LIMIT = 1000


class QueryIntegerField(PresentWhenEmpty, serializers.IntegerField):
    """A whole number in the query string, digits only (DRF's would also take ``1.0``)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data.isascii() or not data.isdigit():
            self.fail("invalid")
        return super().to_internal_value(data)


class ChangeTypesField(PresentWhenEmpty, serializers.CharField):
    """Change types, comma-separated (``types=enrollment.enrolled,enrollment.dropped``)."""

    def to_internal_value(self, data) -> list[str]:
        names = super().to_internal_value(data).split(",")
        if not set(names) <= set(ChangeType.values):
            raise serializers.ValidationError(f"Name change types among: {', '.join(ChangeType.values)}.")
        return names


class FeedQuerySerializer(serializers.Serializer):
    after = QueryIntegerField(
        min_value=0, max_value=MAX_CURSOR, default=0, help_text="A cursor from an earlier answer; 0 for the start."
    )
    limit = QueryIntegerField(min_value=1, max_value=FEED_MAX_LIMIT, default=100, help_text="Default 100.")
    types = ChangeTypesField(required=False, help_text="Only these types (comma-separated); all by default.")


class ChangeSerializer(serializers.ModelSerializer):
    cursor = serializers.SerializerMethodField(help_text="The entry's position in the feed: continue after it.")
    actor = serializers.CharField(source="actor_username", help_text="The user who made it; empty for the system.")
    data = serializers.DictField(help_text="The object as the API showed it then; only its id once deleted.")

    class Meta:
        model = Change
        fields = ["id", "cursor", "type", "object_type", "object_id", "occurred_at", "actor", "channel", "data"]

    def get_cursor(self, change: Change) -> str:
        return str(change.position)

    def to_representation(self, change: Change) -> dict:
        return change.as_entry()  # one shape for the feed and the webhooks


class FeedPageSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True)
    cursor = serializers.CharField(help_text="Pass it as ?after= to continue; unchanged when nothing is new.")
    has_more = serializers.BooleanField(help_text="More entries wait past this page: ask again at once.")
