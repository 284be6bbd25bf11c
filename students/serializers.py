from django.conf import settings
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from config.fields import IdField
from students.models import Student


class LowerCaseEmailField(serializers.EmailField):
    """An email address, stored lower-case so that uniqueness is case-insensitive."""

    def to_internal_value(self, data):
        return super().to_internal_value(data).strip().lower()


class StudentSerializer(serializers.ModelSerializer):
    email = LowerCaseEmailField(
        max_length=254,
        validators=[UniqueValidator(queryset=Student.objects.all(), message="A student with this email exists.")],
        help_text="Unique, case-insensitively; stored lower-case.",
    )

    class Meta:
        model = Student
        fields = ["id", "first_name", "last_name", "email", "created_at", "updated_at"]
        read_only_fields = ["id", "created_at", "updated_at"]


class StudentCourseSerializer(serializers.Serializer):
    """One course of a student, with when it was associated."""

    id = serializers.IntegerField(help_text="The course's id.")
    code = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    enrolled_at = serializers.DateTimeField()


class CourseIdSerializer(serializers.Serializer):
    course_id = IdField(help_text="The id of the course to associate.")


class CourseIdsSerializer(serializers.Serializer):
    course_ids = serializers.ListField(
        child=IdField(),
        max_length=settings.API_MAX_COURSE_IDS,
        help_text=f"Course ids, at most {settings.API_MAX_COURSE_IDS}; duplicates count once.",
    )
