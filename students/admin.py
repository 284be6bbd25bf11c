"""The staff front end for students: a two-pane course picker, bulk association, and the enrollment log.

Every change to associations goes through ``students.enrollment.services``, exactly as the API and the commands do.
"""

from django.contrib import admin, messages
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from config.admin_filters import InputFilter
from config.admin_pickers import PickerAdmin
from courses.models import normalize_course_code
from students.admin_kept import KeptWithHistory
from students.enrollment import services
from students.enrollment.errors import ChangedMeanwhile, EnrollmentError
from students.enrollment.wording import WAITLIST_LABEL, no_seat_in
from students.enrollment.writing import Actor
from students.forms import BulkAssociationForm, StudentAdminForm, course_label
from students.models import Channel, EnrollmentEvent, EnrollmentStatus, Student, StudentCourse


def admin_actor(request: HttpRequest) -> Actor:
    return Actor(channel=Channel.ADMIN, user=request.user)


ASSOCIATION_PERMISSIONS = ("students.add_studentcourse", "students.delete_studentcourse")


class EnrolledInCourseFilter(InputFilter):
    """Students enrolled in one course: ``?course=`` a course's id or code, typed in a box."""

    title = "enrolled in course"
    parameter_name = "course"
    placeholder = "Course code, e.g. CS101"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        if not value:
            return queryset
        course = (
            {"student_courses__course_id": int(value)}
            if value.isdigit()
            else {"student_courses__course__code": normalize_course_code(value)}
        )
        return queryset.filter(student_courses__status=EnrollmentStatus.ENROLLED, **course)


class CourseCodeFilter(InputFilter):
    """Events of one course, by its code typed in a box."""

    title = "course"
    parameter_name = "course_code"
    placeholder = "Course code, e.g. CS101"

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(course__code=normalize_course_code(value)) if value else queryset


class StudentCourseInline(admin.TabularInline):
    """The student's associations, read-only: the picker above changes them."""

    model = StudentCourse
    fields = ["course", "status", "begin_date", "end_date", "status_changed_at"]
    readonly_fields = fields
    ordering = ["course__code"]
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "Associations (all statuses)"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("course")


@admin.register(Student)
class StudentAdmin(KeptWithHistory, PickerAdmin, admin.ModelAdmin):
    history_field = "student"
    form = StudentAdminForm
    picker_field = "course_picker"
    picker_permissions = ASSOCIATION_PERMISSIONS
    picker_options = ("waitlist_when_full",)
    list_display = ["last_name", "first_name", "email", "school", "created_at"]
    list_filter = ["school", EnrolledInCourseFilter]
    list_select_related = ["school"]
    search_fields = ["first_name", "last_name", "email"]
    inlines = [StudentCourseInline]
    actions = ["associate_courses"]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email", "school"]}),
        ("Courses", {"fields": ["course_picker", "picker_shown", "waitlist_when_full", "history_link"]}),
    ]
    readonly_fields = ["history_link"]

    @admin.display(description="Courses")
    def course_picker(self, student: Student) -> str:
        """The picker's read-only form, for staff who may only view."""
        rows = (
            StudentCourse.objects.filter(
                student=student, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]
            )
            .order_by("course__code")
            .values_list("course__code", "course__title", "status")
        )
        return format_html_join("", "<div>{}</div>", ((course_label(*row),) for row in rows)) or "—"

    @admin.display(description=WAITLIST_LABEL)
    def waitlist_when_full(self, student: Student) -> str:
        return "—"

    def save_picker(self, request: HttpRequest, form) -> None:
        services.change_courses(
            student_id=form.instance.pk,
            enroll=form.picker_added,
            drop=form.picker_removed,
            expected=form.picker_expected,
            actor=admin_actor(request),
            waitlist=form.cleaned_data.get("waitlist_when_full", False),
        )

    def has_associate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("students.add_studentcourse")

    @admin.action(description="Associate courses…", permissions=["associate"])
    def associate_courses(self, request: HttpRequest, queryset):
        """Enrolls the selected students in the courses chosen on an intermediate page, in one transaction."""
        form = BulkAssociationForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            courses = form.cleaned_data["courses"]
            try:
                course_ids = [course.id for course in courses]
                result = services.enroll_many(
                    changes=dict.fromkeys(queryset.values_list("id", flat=True), (course_ids, ())),
                    actor=admin_actor(request),
                    waitlist=form.cleaned_data["waitlist_when_full"],
                    unchanged_since=form.cleaned_data["shown_at"] or timezone.now(),
                )
            except ChangedMeanwhile as error:
                form.ask_again(self._changed_meanwhile(error, courses))
            except EnrollmentError as error:
                full = [course for course in courses if course.id in error.extra.get("course_ids", [])]
                form.add_error("courses", no_seat_in([course.code for course in full]) if full else error.detail)
            else:
                waitlisted = f", {result.waitlisted} waitlisted" if result.waitlisted else ""
                self.message_user(
                    request,
                    f"{result.added} associations added{waitlisted}, {result.unchanged} existed already.",
                    messages.SUCCESS,
                )
                return None
        return TemplateResponse(
            request,
            "admin/students/student_association.html",
            {
                **self.admin_site.each_context(request),
                "title": "Associate courses with the selected students",
                "opts": self.model._meta,
                "form": form,
                "media": self.media + form.media,
                "students": queryset.order_by("last_name", "first_name", "id"),
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    @staticmethod
    def _changed_meanwhile(error: ChangedMeanwhile, courses) -> str:
        codes = {course.id: course.code for course in courses}
        names = {s.id: str(s) for s in Student.objects.filter(id__in={s for s, _ in error.extra["changed"]})}
        news = "; ".join(f"{names[s]} in {codes[c]}" for s, c in error.extra["changed"])
        return (
            f"Changed by someone else since this page was opened: {news}. Nothing was saved; check the students' "
            "courses and confirm again."
        )

    @admin.display(description="Enrollment history")
    def history_link(self, student: Student) -> str:
        if student.pk is None:
            return "—"
        url = reverse("admin:students_enrollmentevent_changelist") + f"?student__id__exact={student.id}"
        return format_html('<a href="{}">Enrollment history</a>', url)


@admin.register(EnrollmentEvent)
class EnrollmentEventAdmin(admin.ModelAdmin):
    """The append-only enrollment log: read-only for everyone."""

    list_display = ["created_at", "student", "course", "previous_status", "new_status", "actor_username", "channel"]
    list_filter = ["channel", "new_status", "created_at", CourseCodeFilter]
    search_fields = ["student__email", "student__last_name", "course__code"]
    list_select_related = ["student", "course"]
    show_full_result_count = False

    def lookup_allowed(self, lookup: str, value: str, request=None) -> bool:
        return lookup in {"student__id__exact", "course__id__exact"} or super().lookup_allowed(lookup, value, request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
