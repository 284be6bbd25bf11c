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

    school = IdFilter(field_name="school_id", help_text="Only the courses this school offers (its id).")
    term = IdFilter(field_name="term_id", help_text="Only the courses taught in this academic session (its id).")
    catalog_course = IdFilter(field_name="catalog_course_id", help_text="Only the sections of this catalog course.")

    class Meta:
        model = Course
        fields = ["student", "school", "term", "catalog_course", "updated_since"]

    def filter_student(self, queryset, name, value):
        return queryset.filter(student_courses__student_id=value, student_courses__status=EnrollmentStatus.ENROLLED)
