from rest_framework.exceptions import ValidationError
from rest_framework.validators import UniqueValidator

from config.fields import LowerCaseEmailField, StrictModelSerializer
from config.problems import INCONSISTENT
from teachers.models import ASSIGNMENT_API_FIELDS, TEACHER_API_FIELDS, Assignment, Teacher


class TeacherSerializer(StrictModelSerializer):
    email = LowerCaseEmailField(
        max_length=254,
        validators=[UniqueValidator(queryset=Teacher.objects.all(), message="A teacher with this email exists.")],
        help_text="Unique, case-insensitively; stored lower-case (how learning platforms look a teacher up).",
    )

    class Meta:
        model = Teacher
        fields = list(TEACHER_API_FIELDS)
        read_only_fields = ["id", "sourced_id", "created_at", "updated_at"]
        extra_kwargs = {
            "school": {"help_text": "The id of their school (/api/v1/schools)."},
        }


class AssignmentSerializer(StrictModelSerializer):
    class Meta:
        model = Assignment
        fields = list(ASSIGNMENT_API_FIELDS)
        read_only_fields = ["id", "sourced_id"]
        extra_kwargs = {
            "teacher": {"help_text": "The teacher's id (/api/v1/teachers)."},
            "course": {"help_text": "The course's id (/api/v1/courses): the section they teach."},
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        begin = attrs.get("begin_date", getattr(self.instance, "begin_date", None))
        end = attrs.get("end_date", getattr(self.instance, "end_date", None))
        if begin is not None and end is not None and end <= begin:
            raise ValidationError(
                {"end_date": ["The end date is the day after the last one: after the begin date."]}, code=INCONSISTENT
            )
        return attrs
