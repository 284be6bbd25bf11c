"""The staff front end for courses: enrolled counts, a link to the course's students, and a student picker."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils.html import format_html

from config.admin_pickers import PickerAdmin
from courses.forms import CourseAdminForm
from courses.models import Course
from students.enrollment import services
from students.enrollment.wording import WAITLIST_LABEL
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentStatus


@admin.register(Course)
class CourseAdmin(PickerAdmin, admin.ModelAdmin):
    form = CourseAdminForm
    picker_field = "student_picker"
    picker_permissions = ("students.add_studentcourse", "students.delete_studentcourse")
    picker_options = ("waitlist_when_full",)
    list_display = ["code", "title", "capacity", "student_count"]
    search_fields = ["code", "title"]
    fieldsets = [
        (None, {"fields": ["code", "title", "description", "capacity"]}),
        (
            "Students",
            {"fields": ["student_count", "students_link", "student_picker", "picker_shown", "waitlist_when_full"]},
        ),
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

    @admin.display(description=WAITLIST_LABEL)
    def waitlist_when_full(self, course: Course) -> str:
        return "—"

    def save_picker(self, request, form) -> None:
        services.change_course_students(
            course_id=form.instance.pk,
            enroll=form.picker_added,
            drop=form.picker_removed,
            expected=form.picker_expected,
            actor=Actor(channel=Channel.ADMIN, user=request.user),
            waitlist=form.cleaned_data.get("waitlist_when_full", False),
        )
