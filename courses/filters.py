from django_filters import rest_framework as filters

from config.fields import IdFilter, UtcDateTimeFilter
from courses.models import Course
from students.models import EnrollmentStatus


class CourseFilter(filters.FilterSet):
    student = IdFilter(method="filter_student", help_text="Only courses this student is enrolled in.")
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text="Only courses created or changed at or after this time (ISO 8601); deletions are in /changes.",
    )

    class Meta:
        model = Course
        fields = ["student", "updated_since"]

    def filter_student(self, queryset, name, value):
        return queryset.filter(student_courses__student_id=value, student_courses__status=EnrollmentStatus.ENROLLED)
