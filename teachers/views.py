"""``/api/v1/teachers`` and ``/api/v1/assignments``: the people who teach, and who teaches which course, in which
role, from when to when. Both are written with the model permissions of ``teachers``."""

from drf_spectacular.utils import extend_schema, extend_schema_view

from config.viewsets import ModelViewSet
from teachers.filters import AssignmentFilter, TeacherFilter
from teachers.models import Assignment, Teacher
from teachers.serializers import AssignmentSerializer, TeacherSerializer


@extend_schema_view(
    list=extend_schema(summary="List teachers"),
    create=extend_schema(summary="Add a teacher"),
    retrieve=extend_schema(summary="Get a teacher"),
    update=extend_schema(summary="Replace a teacher"),
    partial_update=extend_schema(summary="Update a teacher"),
    destroy=extend_schema(summary="Delete a teacher who has no assignment (409 otherwise)"),
)
class TeacherViewSet(ModelViewSet):
    """Teachers, each at a school; ``?course=`` gives a course's teachers, ``?email=`` finds one by email."""

    queryset = Teacher.objects.all()
    school_scoped = True
    serializer_class = TeacherSerializer
    filterset_class = TeacherFilter
    search_fields = ["first_name", "last_name", "email", "identifier"]
    ordering_fields = ["id", "last_name", "first_name", "email", "created_at"]


@extend_schema_view(
    list=extend_schema(summary="List teachers' assignments to courses"),
    create=extend_schema(summary="Assign a teacher to a course"),
    retrieve=extend_schema(summary="Get an assignment"),
    update=extend_schema(summary="Replace an assignment"),
    partial_update=extend_schema(summary="Update an assignment"),
    destroy=extend_schema(summary="Remove a teacher from a course"),
)
class AssignmentViewSet(ModelViewSet):
    """Who teaches which course: ``?teacher=`` gives a teacher's courses, ``?course=`` a course's teachers."""

    queryset = Assignment.objects.all()
    school_scoped = True
    serializer_class = AssignmentSerializer
    filterset_class = AssignmentFilter
    ordering_fields = ["id", "begin_date", "end_date"]
