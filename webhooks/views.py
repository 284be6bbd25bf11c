from http import HTTPStatus

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.permissions import ModelPermissions
from config.viewsets import ModelViewSet
from webhooks import services
from webhooks.models import DeliveryAttempt, Subscription
from webhooks.serializers import (
    DeliveryAttemptSerializer,
    NewSubscriptionSerializer,
    ReplaySerializer,
    SubscriptionSerializer,
)


class ChangeSubscription(ModelPermissions):
    """Retrying and replaying change a subscription: ``webhooks.change_subscription``, whatever the method."""

    model = Subscription
    perms_map = {**ModelPermissions.perms_map, "POST": ["%(app_label)s.change_%(model_name)s"]}


@extend_schema_view(
    list=extend_schema(summary="List webhook subscriptions"),
    create=extend_schema(
        summary="Subscribe to changes (the answer shows the signing secret, once)",
        responses={201: NewSubscriptionSerializer},
    ),
    retrieve=extend_schema(summary="Get a webhook subscription"),
    update=extend_schema(summary="Replace a webhook subscription"),
    partial_update=extend_schema(summary="Update a webhook subscription"),
    destroy=extend_schema(summary="Delete a webhook subscription and its delivery log"),
)
class SubscriptionViewSet(ModelViewSet):
    """Webhook subscriptions: each receives the change feed's entries of the types it wants, signed (Standard
    Webhooks), in feed order, at least once."""

    queryset = Subscription.objects.all()
    serializer_class = SubscriptionSerializer
    filter_backends = []

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        subscription = services.create_subscription(**serializer.validated_data)
        return Response(NewSubscriptionSerializer(subscription).data, status=HTTPStatus.CREATED)

    @extend_schema(summary="Retry now, from the entry that failed", request=None, responses=SubscriptionSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ChangeSubscription])
    def retry(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        services.retry(subscription_id=subscription.id)
        subscription.refresh_from_db()
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(
        summary="Deliver again every entry after a feed cursor",
        request=ReplaySerializer,
        responses=SubscriptionSerializer,
    )
    @action(detail=True, methods=["post"], permission_classes=[ChangeSubscription])
    def replay(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        body = ReplaySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.replay(subscription_id=subscription.id, after=int(body.validated_data["after"]))
        subscription.refresh_from_db()
        return Response(SubscriptionSerializer(subscription).data)

    @extend_schema(
        summary="The subscription's delivery attempts (newest first)", responses=DeliveryAttemptSerializer(many=True)
    )
    @action(detail=True, methods=["get"], serializer_class=DeliveryAttemptSerializer)
    def attempts(self, request: Request, pk: str) -> Response:
        subscription = self.get_object()
        attempts = DeliveryAttempt.objects.filter(subscription=subscription).select_related("change")
        return self.page_of(attempts, DeliveryAttemptSerializer)
