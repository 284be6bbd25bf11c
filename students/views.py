from http import HTTPStatus

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from config.fields import MAX_ID
from config.viewsets import ModelViewSet
from students import selectors, services
from students.filters import StudentFilter
from students.models import Student, StudentCourse
from students.serializers import CourseIdSerializer, CourseIdsSerializer, StudentCourseSerializer, StudentSerializer

ASSOCIATION_PERMISSIONS = {
    "GET": ["students.view_studentcourse"],
    "HEAD": ["students.view_studentcourse"],
    "OPTIONS": ["students.view_studentcourse"],
    "POST": ["students.add_studentcourse"],
    "PATCH": ["students.add_studentcourse"],
    "PUT": ["students.add_studentcourse", "students.delete_studentcourse"],
    "DELETE": ["students.delete_studentcourse"],
}

COURSE_LIST = StudentCourseSerializer(many=True)


@extend_schema_view(
    list=extend_schema(summary="List students"),
    create=extend_schema(summary="Create a student"),
    retrieve=extend_schema(summary="Get a student"),
    update=extend_schema(summary="Replace a student"),
    partial_update=extend_schema(summary="Update a student"),
    destroy=extend_schema(summary="Delete a student (and their associations)"),
)
class StudentViewSet(ModelViewSet):
    """Students, and under ``/students/{id}/courses`` the courses each one takes."""

    queryset = Student.objects.all()
    serializer_class = StudentSerializer
    filterset_class = StudentFilter
    search_fields = ["first_name", "last_name", "email"]
    ordering_fields = ["id", "last_name", "first_name", "email", "created_at"]

    def _course_list(self, student_id: int) -> Response:
        return Response(selectors.student_courses(student_id=student_id))

    @extend_schema(summary="List the student's courses", responses={200: COURSE_LIST}, filters=False)
    @action(
        detail=True,
        methods=["get"],
        url_path="courses",
        pagination_class=None,
        filter_backends=[],
        serializer_class=StudentCourseSerializer,
        permission_model=StudentCourse,
        permission_view_models=[Student],
        permission_methods_map=ASSOCIATION_PERMISSIONS,
    )
    def courses(self, request: Request, pk: str) -> Response:
        """The student's courses ordered by code (not paginated: a student takes a bounded number)."""
        return self._course_list(self.lookup_id())

    @extend_schema(
        summary="Associate one course with the student",
        request=CourseIdSerializer,
        responses={
            201: OpenApiResponse(StudentCourseSerializer, description="Newly associated."),
            200: OpenApiResponse(StudentCourseSerializer, description="It was associated already; nothing changed."),
        },
        examples=[OpenApiExample("One course", value={"course_id": 7}, request_only=True)],
    )
    @courses.mapping.post
    def associate_course(self, request: Request, pk: str) -> Response:
        student_id = self.lookup_id()
        serializer = CourseIdSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        course_id = serializer.validated_data["course_id"]
        created = services.associate_course(student_id=student_id, course_id=course_id)
        return Response(
            selectors.student_course(student_id=student_id, course_id=course_id),
            status=HTTPStatus.CREATED if created else HTTPStatus.OK,
        )

    @extend_schema(
        summary="Associate several courses with the student",
        description="Courses already associated are left as they are. All or nothing.",
        request=CourseIdsSerializer,
        responses={200: COURSE_LIST},
        examples=[OpenApiExample("Two courses", value={"course_ids": [7, 8]}, request_only=True)],
    )
    @courses.mapping.patch
    def associate_courses(self, request: Request, pk: str) -> Response:
        student_id = self.lookup_id()
        services.associate_courses(student_id=student_id, course_ids=self._course_ids(request))
        return self._course_list(student_id)

    @extend_schema(
        summary="Set the student's courses",
        description="The student's courses become exactly the listed set; `[]` removes them all. All or nothing.",
        request=CourseIdsSerializer,
        responses={200: COURSE_LIST},
        examples=[OpenApiExample("Exactly these", value={"course_ids": [7, 9]}, request_only=True)],
    )
    @courses.mapping.put
    def set_courses(self, request: Request, pk: str) -> Response:
        student_id = self.lookup_id()
        services.set_courses(student_id=student_id, course_ids=self._course_ids(request))
        return self._course_list(student_id)

    @extend_schema(summary="Remove one course from the student", request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"courses/(?P<course_id>[0-9]+)",
        permission_model=StudentCourse,
        permission_view_models=[Student],
        permission_methods_map=ASSOCIATION_PERMISSIONS,
    )
    def remove_course(self, request: Request, pk: str, course_id: str) -> Response:
        course = int(course_id)
        if course > MAX_ID:
            raise NotFound()
        services.remove_course(student_id=self.lookup_id(), course_id=course)
        return Response(status=HTTPStatus.NO_CONTENT)

    @staticmethod
    def _course_ids(request: Request) -> list[int]:
        serializer = CourseIdsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data["course_ids"]
