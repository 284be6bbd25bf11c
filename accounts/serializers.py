from rest_framework import serializers

from accounts.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):
    """One of the caller's tokens: never its key (only a digest is stored), only how to recognise it."""

    starts_with = serializers.CharField(source="token_key", read_only=True, help_text="The key's first characters.")
    expires = serializers.DateTimeField(source="expiry", read_only=True, allow_null=True, help_text="null: never.")
    current = serializers.SerializerMethodField(help_text="Whether this request was authenticated with it.")

    class Meta:
        model = ApiToken
        fields = ["id", "name", "starts_with", "created", "expires", "current"]
        read_only_fields = fields

    def get_current(self, token: ApiToken) -> bool:
        used = getattr(self.context.get("request"), "auth", None)
        return isinstance(used, ApiToken) and used.pk == token.pk
