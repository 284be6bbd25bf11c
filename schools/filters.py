from django_filters import rest_framework as filters

from config.fields import IdFilter, PresentChoiceFilter, PresentDateFilter
from schools.models import AcademicSession, Org, OrgType, SessionType


class OrgFilter(filters.FilterSet):
    type = PresentChoiceFilter(choices=OrgType.choices, help_text="Only orgs of this type (school, district, …).")
    parent = IdFilter(field_name="parent_id", help_text="Only the orgs directly under this one (a district's schools).")

    class Meta:
        model = Org
        fields = ["type", "parent"]


class AcademicSessionFilter(filters.FilterSet):
    type = PresentChoiceFilter(choices=SessionType.choices, help_text="Only sessions of this type (term, …).")
    parent = IdFilter(field_name="parent_id", help_text="Only the sessions directly in this one (a year's terms).")
    school_year = filters.CharFilter(help_text="Only the sessions of this school year (the year it ends: 2027).")
    active_on = PresentDateFilter(
        method="filter_active_on", help_text="Only the sessions going on that day (YYYY-MM-DD; the end is exclusive)."
    )

    class Meta:
        model = AcademicSession
        fields = ["type", "parent", "school_year", "active_on"]

    def filter_active_on(self, queryset, name, value):
        return queryset.filter(start_date__lte=value, end_date__gt=value)
