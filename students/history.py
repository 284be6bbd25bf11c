"""The enrollment-history endpoints' declaration, shared by the student and course viewsets."""

from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from students.filters import EnrollmentEventFilter
from students.models import EnrollmentEvent
from students.serializers import EnrollmentEventSerializer


def history_action(*, summary: str, url_path: str, permission_class: type):
    """``@action`` for a paginated, ``since``/``until``-filtered list of enrollment events, with its schema."""

    def decorate(method):
        method = action(
            detail=True,
            methods=["get"],
            url_path=url_path,
            queryset=EnrollmentEvent.objects.all(),
            serializer_class=EnrollmentEventSerializer,
            filterset_class=EnrollmentEventFilter,
            filter_backends=[DjangoFilterBackend],
            permission_classes=[permission_class],
        )(method)
        return extend_schema(summary=summary, responses=EnrollmentEventSerializer(many=True))(method)

    return decorate
