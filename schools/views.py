"""``/api/v1/schools`` and ``/api/v1/sessions``: the district's orgs and academic sessions, kept by staff here or in
the admin (model permissions of ``schools``). One still holding students, courses, teachers or other records
cannot be deleted (``409``), nor can the first school or the first term (every record naming none is theirs)."""

from http import HTTPStatus

from drf_spectacular.utils import extend_schema, extend_schema_view

from config.exceptions import DomainError
from config.viewsets import ModelViewSet
from schools.filters import AcademicSessionFilter, OrgFilter
from schools.models import AcademicSession, Org
from schools.serializers import AcademicSessionSerializer, OrgSerializer


class FirstOfItsKind(DomainError):
    code = "in_use"
    status = HTTPStatus.CONFLICT


@extend_schema_view(
    list=extend_schema(summary="List the district's orgs"),
    create=extend_schema(summary="Add an org (a school, the district, …)"),
    retrieve=extend_schema(summary="Get an org"),
    update=extend_schema(summary="Replace an org"),
    partial_update=extend_schema(summary="Update an org"),
    destroy=extend_schema(summary="Delete an org that holds nothing (409 otherwise)"),
)
class OrgViewSet(ModelViewSet):
    """The district and its schools (OneRoster's org types)."""

    queryset = Org.objects.all()
    school_scoped, district_writes = True, True  # a school's account reads its school and the orgs above
    serializer_class = OrgSerializer
    filterset_class = OrgFilter
    search_fields = ["name", "identifier"]
    ordering_fields = ["id", "name", "type"]

    def perform_destroy(self, instance: Org) -> None:
        if instance == Org.objects.first_school():
            raise FirstOfItsKind("The first school holds every student and course that names none; it stays.")
        instance.delete()


@extend_schema_view(
    list=extend_schema(summary="List the academic sessions"),
    create=extend_schema(summary="Add an academic session (a school year, a term, a grading period)"),
    retrieve=extend_schema(summary="Get an academic session"),
    update=extend_schema(summary="Replace an academic session"),
    partial_update=extend_schema(summary="Update an academic session"),
    destroy=extend_schema(summary="Delete an academic session that holds nothing (409 otherwise)"),
)
class AcademicSessionViewSet(ModelViewSet):
    """School years, semesters, terms and grading periods."""

    queryset = AcademicSession.objects.all()
    school_scoped, district_writes = True, True  # the district's calendar: every account reads it
    serializer_class = AcademicSessionSerializer
    filterset_class = AcademicSessionFilter
    search_fields = ["title"]
    ordering_fields = ["id", "title", "start_date", "end_date"]

    def perform_destroy(self, instance: AcademicSession) -> None:
        if instance == AcademicSession.objects.first_term():
            raise FirstOfItsKind("The first term holds every course that names none; it stays.")
        instance.delete()
