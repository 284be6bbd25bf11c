from collections.abc import Callable, Collection
from dataclasses import asdict
from http import HTTPStatus

from django.db import transaction
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_view,
)
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from config.conditional import check_if_match
from config.fields import path_id
from config.viewsets import ModelViewSet
from courses.models import Course
from students.enrollment import selectors, services
from students.enrollment.errors import CourseNotFound, StudentNotFound
from students.enrollment.planning import ACTIVE
from students.enrollment.writing import Actor
from students.filters import STUDENT_ORDERING_FIELDS, STUDENT_SEARCH_FIELDS, StudentFilter
from students.history import history_action
from students.models import Channel, EnrollmentStatus, Student, StudentCourse
from students.permissions import StudentCoursePermission, StudentCoursesPermission, StudentHistoryPermission
from students.serializers import (
    CourseIdSerializer,
    CourseIdsSerializer,
    CourseStatusQuerySerializer,
    DryRunQuerySerializer,
    DryRunSerializer,
    EnrollmentEventSerializer,
    StatusChangeSerializer,
    StudentCourseSerializer,
    StudentSerializer,
)

COURSE_LIST = StudentCourseSerializer(many=True)
COURSE_LIST_OR_DRY_RUN = {
    200: OpenApiResponse(
        PolymorphicProxySerializer(
            component_name="CourseListOrDryRun",
            serializers=[COURSE_LIST, DryRunSerializer],
            resource_type_field_name=None,
            many=False,
        ),
        description="The full updated list; with ?dry_run=true what would change, and nothing is changed.",
    ),
}


def api_actor(request: Request) -> Actor:
    return Actor(channel=Channel.API, user=request.user)


def validated(serializer_class, data) -> dict:
    serializer = serializer_class(data=data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema_view(
    list=extend_schema(summary="List students"),
    create=extend_schema(summary="Create a student"),
    retrieve=extend_schema(summary="Get a student"),
    update=extend_schema(summary="Replace a student"),
    partial_update=extend_schema(summary="Update a student"),
    destroy=extend_schema(summary="Delete a student without enrollment history (409 otherwise)"),
)
class StudentViewSet(ModelViewSet):
    """Students, and under ``/students/{id}/courses`` the courses each one takes."""

    queryset = Student.objects.all()
    school_scoped = True
    serializer_class = StudentSerializer
    filterset_class = StudentFilter
    search_fields = STUDENT_SEARCH_FIELDS
    ordering_fields = STUDENT_ORDERING_FIELDS

    @extend_schema(
        summary="List the student's courses", parameters=[CourseStatusQuerySerializer], responses=COURSE_LIST
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="courses",
        pagination_class=None,
        filter_backends=[],
        serializer_class=StudentCourseSerializer,
        permission_classes=[StudentCoursesPermission],
    )
    def courses(self, request: Request, pk: str) -> Response:
        """The student's enrolled courses ordered by code (``?status=`` for the others; ``?active_on=`` for those
        taken on a day, whatever their status unless one is named). Not paginated."""
        status, active_on = EnrollmentStatus.ENROLLED, None  # most requests name neither: nothing to validate
        if request.query_params:
            query = validated(CourseStatusQuerySerializer, request.query_params)
            active_on = query.get("active_on")
            status = "all" if active_on and "status" not in request.query_params else query["status"]
        courses = selectors.student_courses(
            student_id=self.lookup_id(), status=status, active_on=active_on, schools=request.scope.schools
        )
        return Response(courses)

    @extend_schema(
        summary="Enroll the student in one course",
        request=CourseIdSerializer,
        responses={
            201: OpenApiResponse(StudentCourseSerializer, description="Newly enrolled (or re-enrolled)."),
            202: OpenApiResponse(StudentCourseSerializer, description="The course is full: waitlisted."),
            200: OpenApiResponse(StudentCourseSerializer, description="Already so; nothing changed."),
        },
        examples=[
            OpenApiExample("Enroll", value={"course_id": 7}, request_only=True),
            OpenApiExample("Enroll or wait", value={"course_id": 7, "waitlist": True}, request_only=True),
        ],
    )
    @courses.mapping.post
    def associate_course(self, request: Request, pk: str) -> Response:
        student_id = self.lookup_id()
        data = validated(CourseIdSerializer, request.data)
        self._check_in_scope(student_id, [data["course_id"]])
        with transaction.atomic():  # the answer is read before the change commits: a failure rolls it back
            change = services.change_courses(
                student_id=student_id,
                enroll=[data["course_id"]],
                actor=api_actor(request),
                waitlist=data["waitlist"],
                before_change=self._if_course_list_matches(student_id),
            )
            item = self._association(student_id, data["course_id"])
        status = HTTPStatus.CREATED if change.added else HTTPStatus.ACCEPTED if change.waitlisted else HTTPStatus.OK
        return Response(item, status=status)

    @extend_schema(
        summary="Enroll the student in several courses",
        description="Courses already enrolled in are left as they are. All or nothing: a full course makes it 409 "
        "course_full unless `waitlist` is true. `?dry_run=true` describes the change and makes none.",
        parameters=[DryRunQuerySerializer],
        request=CourseIdsSerializer,
        responses=COURSE_LIST_OR_DRY_RUN,
        examples=[OpenApiExample("Two courses", value={"course_ids": [7, 8]}, request_only=True)],
    )
    @courses.mapping.patch
    def associate_courses(self, request: Request, pk: str) -> Response:
        return self._change_courses(request, replace=False)

    @extend_schema(
        summary="Set the student's courses",
        description="The student's enrolled and waitlisted courses become exactly the listed set; the others are "
        "dropped (`[]` drops all). All or nothing, like PATCH; `?dry_run=true` likewise.",
        parameters=[DryRunQuerySerializer],
        request=CourseIdsSerializer,
        responses=COURSE_LIST_OR_DRY_RUN,
        examples=[OpenApiExample("Exactly these", value={"course_ids": [7, 9]}, request_only=True)],
    )
    @courses.mapping.put
    def set_courses(self, request: Request, pk: str) -> Response:
        return self._change_courses(request, replace=True)

    def _change_courses(self, request: Request, *, replace: bool) -> Response:
        student_id = self.lookup_id()
        dry_run = validated(DryRunQuerySerializer, request.query_params)["dry_run"]
        data = validated(CourseIdsSerializer, request.data)
        self._check_in_scope(student_id, data["course_ids"])
        options = {
            "actor": api_actor(request),
            "waitlist": data["waitlist"],
            "dry_run": dry_run,
            "before_change": self._if_course_list_matches(student_id),
        }
        with transaction.atomic():  # the answer is read before the change commits: a failure rolls it back
            if replace and request.scope.is_district:
                change = services.set_courses(student_id=student_id, course_ids=data["course_ids"], **options)
            elif replace:  # the courses the account sees become the list; another school's are not its to drop
                seen = set(self._active_courses_in_scope(student_id))
                drop = seen - set(data["course_ids"])
                change = services.change_courses(student_id=student_id, enroll=data["course_ids"], drop=drop, **options)
            else:
                change = services.change_courses(student_id=student_id, enroll=data["course_ids"], **options)
            answer = asdict(change) if dry_run else self._course_list(student_id)
        return Response(answer)

    @extend_schema(
        operation_id="students_course_status_update",
        summary="Change one association's status",
        description="`completed` (from enrolled), `dropped` (from enrolled or waitlisted) or `enrolled` (needs a "
        "free seat). Dropping an enrolled course promotes the longest-waiting student.",
        request=StatusChangeSerializer,
        responses={200: StudentCourseSerializer},
    )
    @action(
        detail=True,
        methods=["patch"],
        url_path=r"courses/(?P<course_id>[0-9]+)",
        permission_classes=[StudentCoursePermission],
    )
    def course(self, request: Request, pk: str, course_id: str) -> Response:
        student_id, course = self.lookup_id(), self._course_id()
        status = validated(StatusChangeSerializer, request.data)["status"]
        self._check_association_in_scope(student_id, course)
        with transaction.atomic():  # the answer is read before the change commits: a failure rolls it back
            services.change_status(
                student_id=student_id,
                course_id=course,
                status=status,
                actor=api_actor(request),
                before_change=self._if_course_matches(student_id, course),
            )
            item = self._association(student_id, course)
        return Response(item)

    @extend_schema(summary="Drop one course (enrolled or waitlisted)", request=None, responses={204: None})
    @course.mapping.delete
    def drop_course(self, request: Request, pk: str, course_id: str) -> Response:
        student_id, course = self.lookup_id(), self._course_id()
        self._check_association_in_scope(student_id, course)
        services.drop(
            student_id=student_id,
            course_id=course,
            actor=api_actor(request),
            before_change=self._if_course_matches(student_id, course),
        )
        return Response(status=HTTPStatus.NO_CONTENT)

    @history_action(
        summary="The student's enrollment history (newest first)",
        url_path="courses/history",
        permission_class=StudentHistoryPermission,
    )
    def history(self, request: Request, pk: str) -> Response:
        scope = request.scope
        student = get_object_or_404(scope.visible(Student.objects.only("id")), id=self.lookup_id())
        events = scope.visible(selectors.enrollment_history(student_id=student.id))
        return self.page_of(events, EnrollmentEventSerializer)

    def _course_list(self, student_id: int) -> list[dict]:
        """The student's enrolled courses as GET …/courses answers the request (its scope's)."""
        return selectors.student_courses(student_id=student_id, schools=self.request.scope.schools)

    def _association(self, student_id: int, course_id: int) -> dict:
        return selectors.student_course(student_id=student_id, course_id=course_id, schools=self.request.scope.schools)

    def _check_in_scope(self, student_id: int, course_ids: Collection[int]) -> None:
        """Refuses, as if they did not exist, a student or courses the request's scope does not see (an account of
        some schools enrolls their students in their courses; one that sees both schools may cross them)."""
        scope = self.request.scope
        if scope.is_district:
            return
        if not scope.visible(Student.objects.filter(id=student_id)).exists():
            raise StudentNotFound(f"No student has the id {student_id}.")
        seen = set(scope.visible(Course.objects.filter(id__in=course_ids)).values_list("id", flat=True))
        if missing := sorted(set(course_ids) - seen):
            raise CourseNotFound(missing)

    def _check_association_in_scope(self, student_id: int, course_id: int) -> None:
        if not self.request.scope.is_district:
            self._association(student_id, course_id)  # AssociationNotFound (404) unless the scope sees it

    def _active_courses_in_scope(self, student_id: int) -> list[int]:
        rows = StudentCourse.objects.filter(student_id=student_id, status__in=ACTIVE)
        return list(self.request.scope.visible(rows).values_list("course_id", flat=True))

    def _if_course_list_matches(self, student_id: int) -> Callable[[], None]:
        """The If-Match check of the student's course list (as GET …/courses answers it), run under the locks."""
        return lambda: check_if_match(self.request, lambda: self._course_list(student_id))

    def _if_course_matches(self, student_id: int, course_id: int) -> Callable[[], None]:
        """The If-Match check of one association (as its PATCH answers it), run under the locks."""
        return lambda: check_if_match(self.request, lambda: self._association(student_id, course_id))

    def perform_destroy(self, instance: Student) -> None:
        services.delete_student(student_id=instance.id)

    def _course_id(self) -> int:
        return path_id(self.kwargs["course_id"])
