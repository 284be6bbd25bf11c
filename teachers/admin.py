"""Staff keep the teachers here, each with the courses they are assigned to (a role and dates each)."""

from django.contrib import admin

from teachers.models import Assignment, Teacher


class AssignmentInline(admin.TabularInline):
    """The teacher's courses, each read with its row (a course picker per row would cost a query each)."""

    model = Assignment
    fields = ["course", "role", "begin_date", "end_date"]
    readonly_fields = ["course"]
    extra = 0
    verbose_name_plural = "courses taught"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course", "teacher")

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class NewAssignmentInline(admin.TabularInline):
    """Another course to teach, found by typing its code or title."""

    model = Assignment
    fields = ["course", "role", "begin_date", "end_date"]
    autocomplete_fields = ["course"]
    extra = 1
    verbose_name_plural = "assign to another course"

    def get_queryset(self, request):
        return super().get_queryset(request).none()


@admin.register(Teacher)
class TeacherAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "email", "identifier", "school"]
    list_filter = ["school"]
    list_select_related = ["school"]
    search_fields = ["first_name", "last_name", "email", "identifier"]
    fields = ["first_name", "last_name", "email", "identifier", "school", "sourced_id", "updated_at"]
    readonly_fields = ["sourced_id", "updated_at"]
    inlines = [AssignmentInline, NewAssignmentInline]
