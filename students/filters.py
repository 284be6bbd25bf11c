from django_filters import rest_framework as filters

from config.fields import IdFilter, UtcDateTimeFilter
from students.models import EnrollmentEvent, EnrollmentStatus, Student

STUDENT_SEARCH_FIELDS = ["first_name", "last_name", "email"]
STUDENT_ORDERING_FIELDS = ["id", "last_name", "first_name", "email", "created_at"]


class StudentFilter(filters.FilterSet):
    course = IdFilter(method="filter_course", help_text="Only students enrolled in this course.")
    school = IdFilter(field_name="school_id", help_text="Only the students of this school (its id).")
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only students created or changed at or after this time (ISO 8601); deletions are in /changes.",
    )

    class Meta:
        model = Student
        fields = ["course", "school", "updated_since"]

    def filter_course(self, queryset, name, value):
        return queryset.filter(student_courses__course_id=value, student_courses__status=EnrollmentStatus.ENROLLED)


class EnrollmentEventFilter(filters.FilterSet):
    since = UtcDateTimeFilter(field_name="created_at", lookup_expr="gte", help_text="At or after (ISO 8601).")
    until = UtcDateTimeFilter(field_name="created_at", lookup_expr="lt", help_text="Before (ISO 8601).")

    class Meta:
        model = EnrollmentEvent
        fields = ["since", "until"]
