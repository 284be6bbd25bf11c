"""The staff front end for courses: enrolled counts, a link to the course's students, and a student picker."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from courses.forms import CourseAdminForm
from courses.models import Course
from students import services
from students.admin import PickerAdmin
from students.models import EnrollmentStatus


@admin.register(Course)
class CourseAdmin(PickerAdmin, admin.ModelAdmin):
    form = CourseAdminForm
    picker_field = "student_picker"
    list_display = ["code", "title", "capacity", "student_count"]
    search_fields = ["code", "title"]
    fieldsets = [
        (None, {"fields": ["code", "title", "description", "capacity"]}),
        ("Students", {"fields": ["student_count", "students_link", "student_picker", "waitlist_when_full"]}),
    ]
    readonly_fields = ["student_count", "students_link"]

    def get_queryset(self, request):
        """Annotates the enrolled count in the list's one query, not one query per row."""
        enrolled = Count("student_courses", filter=Q(student_courses__status=EnrollmentStatus.ENROLLED))
        return super().get_queryset(request).annotate(enrolled_count=enrolled)

    @admin.display(description="Students enrolled", ordering="enrolled_count")
    def student_count(self, course: Course) -> int:
        return getattr(course, "enrolled_count", 0)

    @admin.display(description="Students")
    def students_link(self, course: Course) -> str:
        if course.pk is None:
            return "—"
        url = reverse("admin:students_student_changelist") + f"?course={course.pk}"
        return format_html('<a href="{}">The students of {}</a>', url, course.code)

    @admin.display(description="Students")
    def student_picker(self, course: Course) -> str:
        return f"{self.student_count(course)} enrolled"

    def save_model(self, request, obj, form, change) -> None:
        if change:  # through the service: a larger capacity promotes the waitlist at once
            services.update_course(
                course_id=obj.pk,
                changes={
                    f: getattr(obj, f) for f in form.changed_data if f in {"code", "title", "description", "capacity"}
                },
            )
        else:
            super().save_model(request, obj, form, change)

    def save_picker(self, pk: int, *, added: list[int], removed: list[int], actor, waitlist: bool) -> None:
        services.change_course_students(course_id=pk, add=added, drop=removed, actor=actor, waitlist=waitlist)
