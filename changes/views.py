from http import HTTPStatus

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from changes.models import Change, ChangeType
from changes.selectors import changes_after
from changes.serializers import FeedPageSerializer, FeedQuerySerializer
from config.permissions import DistrictScope
from config.throttling import ThrottleFirst

TYPES_PARAMETER = OpenApiParameter(
    "types",
    {"type": "array", "items": {"type": "string", "enum": ChangeType.values}, "minItems": 1},
    style="form",
    explode=False,
    description="Only these types, comma-separated; all by default.",
)


class ChangeFeedView(ThrottleFirst, GenericAPIView):
    """Every committed change, oldest first, from a cursor: students and courses created, updated and deleted,
    and every enrollment status change. Needs the ``changes.view_change`` permission."""

    queryset = Change.objects.all()
    permission_classes = [DistrictScope]  # the feed spans every school
    problem_statuses = (HTTPStatus.UNPROCESSABLE_ENTITY,)  # cursor_ahead
    pagination_class = None
    filter_backends = []

    @extend_schema(
        summary="Follow the change feed",
        parameters=[FeedQuerySerializer, TYPES_PARAMETER],
        responses=FeedPageSerializer,
    )
    def get(self, request: Request) -> Response:
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        page = changes_after(**query.validated_data)
        return Response(FeedPageSerializer(page).data)
