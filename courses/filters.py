from django_filters import rest_framework as filters

from config.fields import IdFilter
from courses.models import Course


class CourseFilter(filters.FilterSet):
    student = IdFilter(field_name="student_courses__student_id", help_text="Only courses this student takes.")

    class Meta:
        model = Course
        fields = ["student"]
