from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.viewsets import ModelViewSet
from courses.filters import CourseFilter
from courses.models import Course
from courses.serializers import CourseSerializer
from students.enrollment import selectors, services
from students.filters import STUDENT_ORDERING_FIELDS, STUDENT_SEARCH_FIELDS, StudentFilter
from students.history import history_action
from students.models import Student
from students.permissions import CourseHistoryPermission, CourseStudentsPermission
from students.serializers import EnrollmentEventSerializer, StudentSerializer


@extend_schema_view(
    list=extend_schema(summary="List courses"),
    create=extend_schema(summary="Create a course"),
    retrieve=extend_schema(summary="Get a course"),
    update=extend_schema(summary="Replace a course"),
    partial_update=extend_schema(summary="Update a course"),
    destroy=extend_schema(summary="Delete a course without enrollment history (409 otherwise)"),
)
class CourseViewSet(ModelViewSet):
    """Courses, and under ``/courses/{id}/students`` the students who take each one."""

    queryset = Course.objects.all()
    school_scoped = True
    serializer_class = CourseSerializer
    filterset_class = CourseFilter
    search_fields = ["code", "title"]
    ordering_fields = ["id", "code", "title", "created_at"]

    @extend_schema(summary="List the course's students (paginated)", responses={200: StudentSerializer(many=True)})
    @action(
        detail=True,
        methods=["get"],
        url_path="students",
        queryset=Student.objects.all(),
        serializer_class=StudentSerializer,
        filterset_class=StudentFilter,
        search_fields=STUDENT_SEARCH_FIELDS,
        ordering_fields=STUDENT_ORDERING_FIELDS,
        permission_classes=[CourseStudentsPermission],
    )
    def students(self, request: Request, pk: str) -> Response:
        """The course's enrolled students, paginated: plain rows of the serializer's fields (a hot path)."""
        course = get_object_or_404(request.scope.visible(Course.objects.only("id")), id=self.lookup_id())
        students = self.filter_queryset(request.scope.visible(selectors.course_students(course_id=course.id)))
        page = self.paginate_queryset(students.values(*StudentSerializer.Meta.fields))
        return self.get_paginated_response(page)

    @history_action(
        summary="The course's enrollment history (newest first)",
        url_path="history",
        permission_class=CourseHistoryPermission,
    )
    def history(self, request: Request, pk: str) -> Response:
        course = get_object_or_404(request.scope.visible(Course.objects.only("id")), id=self.lookup_id())
        events = request.scope.visible(selectors.enrollment_history(course_id=course.id))
        return self.page_of(events, EnrollmentEventSerializer)

    def perform_update(self, serializer: CourseSerializer) -> None:
        """Through the service, so that a capacity increase promotes waitlisted students at once."""
        serializer.instance = services.update_course(
            course_id=serializer.instance.id, changes=serializer.validated_data
        )

    def perform_destroy(self, instance: Course) -> None:
        services.delete_course(course_id=instance.id)
