"""Staff keep the district's shape here: its schools (and the district above them) and its school years, terms and
grading periods. OneRoster serves them as orgs and academic sessions."""

from django.contrib import admin

from schools.models import AcademicSession, Org


@admin.register(Org)
class OrgAdmin(admin.ModelAdmin):
    list_display = ["name", "type", "identifier", "parent", "updated_at"]
    list_filter = ["type"]
    list_select_related = ["parent"]
    search_fields = ["name", "identifier"]
    fields = ["name", "type", "identifier", "parent", "sourced_id", "updated_at"]
    readonly_fields = ["sourced_id", "updated_at"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """The first school holds every student and course: deleting it would move them all to the next one."""
        if obj is not None and obj == Org.objects.first_school():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(AcademicSession)
class AcademicSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "type", "start_date", "end_date", "school_year", "parent"]
    list_filter = ["type", "school_year"]
    list_select_related = ["parent"]
    search_fields = ["title"]
    fields = ["title", "type", "start_date", "end_date", "school_year", "parent", "sourced_id", "updated_at"]
    readonly_fields = ["sourced_id", "updated_at"]
    autocomplete_fields = ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        """The first term holds every course: deleting it would move them all to the next one."""
        if obj is not None and obj == AcademicSession.objects.first_term():
            return False
        return super().has_delete_permission(request, obj)
