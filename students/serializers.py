from django.conf import settings
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from config.fields import (
    IdField,
    LowerCaseEmailField,
    QueryBooleanField,
    QueryChoiceField,
    StrictBooleanField,
    StrictModelSerializer,
)
from config.schema import ProblemSerializer
from students.enrollment.selectors import STATUS_FILTERS
from students.models import STUDENT_API_FIELDS, Channel, EnrollmentEvent, EnrollmentStatus, Student


class StudentSerializer(StrictModelSerializer):
    email = LowerCaseEmailField(
        max_length=254,
        validators=[UniqueValidator(queryset=Student.objects.all(), message="A student with this email exists.")],
        help_text="Unique, case-insensitively; stored lower-case.",
    )

    class Meta:
        model = Student
        fields = list(STUDENT_API_FIELDS)
        read_only_fields = ["id", "created_at", "updated_at"]
        extra_kwargs = {"school": {"help_text": "The id of their school (/api/v1/schools); the first if omitted."}}


class StudentCourseSerializer(serializers.Serializer):
    """One course of a student, with when it was associated."""

    id = serializers.IntegerField(help_text="The course's id.")
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    enrolled_at = serializers.DateTimeField(help_text="When the student was last enrolled.")
    begin_date = serializers.DateField(
        allow_null=True, help_text="The first day the student takes the course; null while waitlisted."
    )
    end_date = serializers.DateField(
        allow_null=True, help_text="The day after the last one (exclusive); null while it goes on."
    )
    status = serializers.ChoiceField(choices=EnrollmentStatus.choices)
    waitlist_position = serializers.IntegerField(
        allow_null=True, help_text="1 = next to be enrolled; null unless waitlisted."
    )


WAITLIST_HELP = "Put the student on the waitlist of a full course instead of refusing (409 course_full)."


class CourseIdSerializer(serializers.Serializer):
    course_id = IdField(help_text="The id of the course to enroll in.")
    waitlist = StrictBooleanField(default=False, help_text=WAITLIST_HELP)


class CourseIdsSerializer(serializers.Serializer):
    course_ids = serializers.ListField(
        child=IdField(),
        max_length=settings.API_MAX_COURSE_IDS,
        help_text=f"Course ids, at most {settings.API_MAX_COURSE_IDS}; duplicates count once.",
    )
    waitlist = StrictBooleanField(default=False, help_text=WAITLIST_HELP)


STATUS_CHANGES = [EnrollmentStatus.ENROLLED, EnrollmentStatus.DROPPED, EnrollmentStatus.COMPLETED]
STATUS_FILTER_NAMES = list(STATUS_FILTERS)


class StatusChangeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=STATUS_CHANGES)


class CourseStatusQuerySerializer(serializers.Serializer):
    status = QueryChoiceField(
        choices=STATUS_FILTER_NAMES, default="enrolled", help_text="Default enrolled (all with active_on)."
    )
    active_on = serializers.DateField(
        required=False,
        help_text="Only the courses the student takes on this day (YYYY-MM-DD): begin_date ≤ day < end_date.",
    )


class DryRunQuerySerializer(serializers.Serializer):
    dry_run = QueryBooleanField(default=False, help_text="Describe what would change; change nothing.")


class DryRunSerializer(serializers.Serializer):
    """What a PATCH or PUT would do (``?dry_run=true``): course ids, ascending."""

    added = serializers.ListField(child=serializers.IntegerField(), help_text="Would be enrolled.")
    removed = serializers.ListField(child=serializers.IntegerField(), help_text="Would be dropped.")
    waitlisted = serializers.ListField(child=serializers.IntegerField(), help_text="Would join the waitlist.")
    unchanged = serializers.ListField(child=serializers.IntegerField(), help_text="Already so.")
    full = serializers.ListField(
        child=serializers.IntegerField(), help_text="No free seat: without waitlist the request would be refused."
    )


class EnrollmentEventSerializer(serializers.ModelSerializer):
    course_code = serializers.CharField(source="course.code", read_only=True)
    previous_status = serializers.ChoiceField(
        choices=EnrollmentStatus.choices,
        allow_blank=True,
        read_only=True,
        help_text="Empty when the change created the association.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    actor = serializers.CharField(source="actor_username", help_text="Username, empty for the system.")
    reason = serializers.CharField(help_text="Why, when the change said (such as a term's close); else empty.")

    class Meta:
        model = EnrollmentEvent
        fields = [
            "id",
            "student",
            "course",
            "course_code",
            "previous_status",
            "new_status",
            "actor",
            "channel",
            "reason",
            "created_at",
        ]
        read_only_fields = fields


class EnrollmentProblemSerializer(ProblemSerializer):
    """The problem body, with the members the enrollment errors add (OpenAPI only)."""

    course_ids = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="The courses concerned, ascending."
    )
