"""``/api/v1/schools`` and ``/api/v1/sessions``: the district's orgs and academic sessions, read-only here (staff keep
them in the admin)."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from config.viewsets import ModelViewSet
from schools.filters import AcademicSessionFilter, OrgFilter
from schools.models import AcademicSession, Org
from schools.serializers import AcademicSessionSerializer, OrgSerializer


@extend_schema_view(
    list=extend_schema(summary="List the district's orgs"), retrieve=extend_schema(summary="Get an org")
)
class OrgViewSet(ModelViewSet):
    """The district and its schools (OneRoster's org types). Kept by staff in the admin."""

    queryset = Org.objects.all()
    serializer_class = OrgSerializer
    filterset_class = OrgFilter
    search_fields = ["name", "identifier"]
    ordering_fields = ["id", "name", "type"]
    http_method_names = ["get", "head", "options"]


@extend_schema_view(
    list=extend_schema(summary="List the academic sessions"), retrieve=extend_schema(summary="Get an academic session")
)
class AcademicSessionViewSet(ModelViewSet):
    """School years, semesters, terms and grading periods. Kept by staff in the admin."""

    queryset = AcademicSession.objects.all()
    serializer_class = AcademicSessionSerializer
    filterset_class = AcademicSessionFilter
    search_fields = ["title"]
    ordering_fields = ["id", "title", "start_date", "end_date"]
    http_method_names = ["get", "head", "options"]
