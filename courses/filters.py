from django_filters import rest_framework as filters

from config.fields import IdFilter
from courses.models import Course
from students.models import EnrollmentStatus


class CourseFilter(filters.FilterSet):
    student = IdFilter(method="filter_student", help_text="Only courses this student is enrolled in.")

    class Meta:
        model = Course
        fields = ["student"]

    def filter_student(self, queryset, name, value):
        return queryset.filter(student_courses__student_id=value, student_courses__status=EnrollmentStatus.ENROLLED)
