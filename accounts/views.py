from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.permissions import IsAuthenticated

from accounts import tokens
from accounts.serializers import ApiTokenSerializer
from config.viewsets import ModelViewSet


@extend_schema_view(
    list=extend_schema(summary="Your API tokens (never their keys)"),
    retrieve=extend_schema(summary="One of your API tokens"),
    destroy=extend_schema(summary="Revoke one of your API tokens (the one in use too)"),
)
class ApiTokenViewSet(ModelViewSet):
    """The caller's own API tokens: what each is for, when it was made and expires, which one is in use; and revoking
    one. Staff make tokens (the admin, ``manage.py drf_create_token``) and revoke anyone's in the admin."""

    serializer_class = ApiTokenSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []
    http_method_names = ["get", "delete", "head", "options"]

    school_scoped = True  # each account's own tokens

    def get_queryset(self):
        return tokens.tokens_of(user=self.request.user)

    def perform_destroy(self, instance) -> None:
        tokens.revoke(user=self.request.user, token_id=instance.pk)
