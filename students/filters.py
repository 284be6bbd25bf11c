from django_filters import rest_framework as filters

from config.fields import IdFilter
from students.models import Student


class StudentFilter(filters.FilterSet):
    course = IdFilter(field_name="student_courses__course_id", help_text="Only students who take this course.")

    class Meta:
        model = Student
        fields = ["course"]
