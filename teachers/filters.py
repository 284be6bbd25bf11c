from django_filters import rest_framework as filters

from config.fields import IdFilter, PresentChoiceFilter, PresentDateFilter
from teachers.models import Assignment, AssignmentRole, Teacher


class TeacherFilter(filters.FilterSet):
    school = IdFilter(field_name="school_id", help_text="Only the teachers of this school (its id).")
    course = IdFilter(field_name="assignments__course_id", help_text="Only the teachers assigned to this course.")
    email = filters.CharFilter(method="filter_email", help_text="The teacher with this email (any case).")

    class Meta:
        model = Teacher
        fields = ["school", "course", "email"]

    def filter_email(self, queryset, name, value):
        return queryset.filter(email=value.strip().lower())


class AssignmentFilter(filters.FilterSet):
    teacher = IdFilter(field_name="teacher_id", help_text="Only this teacher's assignments.")
    course = IdFilter(field_name="course_id", help_text="Only the assignments to this course.")
    role = PresentChoiceFilter(choices=AssignmentRole.choices, help_text="Only assignments in this role.")
    active_on = PresentDateFilter(
        method="filter_active_on",
        help_text="Only the assignments going on that day (YYYY-MM-DD; the end is exclusive, an empty date open).",
    )

    class Meta:
        model = Assignment
        fields = ["teacher", "course", "role", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.exclude(begin_date__gt=value).exclude(end_date__lte=value)
