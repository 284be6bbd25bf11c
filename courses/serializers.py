from rest_framework.validators import UniqueValidator

from config.fields import StrictCharField, StrictModelSerializer
from courses.models import COURSE_API_FIELDS, COURSE_CODE_VALIDATOR, Course, normalize_course_code


class CourseCodeField(StrictCharField):
    """A course code such as ``CS101`` (the model field's rule); stored upper-case."""

    def __init__(self, **kwargs) -> None:
        super().__init__(max_length=Course._meta.get_field("code").max_length, **kwargs)
        self.validators.append(COURSE_CODE_VALIDATOR)

    def to_internal_value(self, data):
        return normalize_course_code(super().to_internal_value(data))


class CourseSerializer(StrictModelSerializer):
    code = CourseCodeField(
        validators=[UniqueValidator(queryset=Course.objects.all(), message="A course with this code exists.")],
        help_text="Unique, case-insensitively; stored upper-case, e.g. CS101.",
    )

    class Meta:
        model = Course
        fields = list(COURSE_API_FIELDS)
        read_only_fields = ["id", "catalog_course", "created_at", "updated_at"]
        extra_kwargs = {
            "capacity": {"min_value": 1, "max_value": 1_000_000},
            "school": {
                "help_text": "The id of the school that offers it (/api/v1/schools); the first school if omitted."
            },
            "term": {
                "help_text": "The id of the session it is taught in (/api/v1/sessions); the first term if omitted."
            },
        }
