"""The staff front end for students: a two-pane course picker, bulk association, and the enrollment log.

Every change to associations goes through ``students.services``, exactly as the API and the commands do.
"""

from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html

from courses.models import Course
from students import services
from students.exceptions import EnrollmentError
from students.forms import BulkAssociationForm, StudentAdminForm, full_course_error
from students.models import Channel, EnrollmentEvent, EnrollmentStatus, Student, StudentCourse


def admin_actor(request: HttpRequest) -> services.Actor:
    return services.Actor(channel=Channel.ADMIN, user=request.user)


def can_change_associations(request: HttpRequest) -> bool:
    return request.user.has_perms(["students.add_studentcourse", "students.delete_studentcourse"])


def picker_changes(form, field: str) -> tuple[list[int], list[int]]:
    """What staff changed in a picker: the ids moved in, and the ids moved out, since the form was shown."""
    if field not in form.cleaned_data or field not in form.changed_data:
        return [], []
    before = {int(pk) for pk in form.fields[field].initial or []}
    after = {obj.pk for obj in form.cleaned_data[field]}
    return sorted(after - before), sorted(before - after)


class EnrollmentErrorsAsMessages:
    """Shows an enrollment error raised while saving as a message, after the whole save is rolled back.

    The form checks seats before saving; this covers a seat taken by someone else in between.
    """

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except EnrollmentError as error:
            messages.error(request, f"Nothing was saved: {error.detail}")
            return HttpResponseRedirect(request.get_full_path())


class PickerAdmin(EnrollmentErrorsAsMessages):
    """An admin page with a two-pane picker of associations (``picker_field``), saved through the services.

    Only what staff changed since the form was shown is applied; staff who may not change associations see the
    picker read-only (the admin's method of the same name shows it as text).
    """

    picker_field: str

    @admin.display(description="Put on the waitlist when a course is full")
    def waitlist_when_full(self, obj) -> str:
        return "—"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_change_associations(request):
            readonly += [self.picker_field, "waitlist_when_full"]
        return readonly

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        added, removed = picker_changes(form, self.picker_field)
        if added or removed:
            self.save_picker(
                form.instance.pk,
                added=added,
                removed=removed,
                actor=admin_actor(request),
                waitlist=form.cleaned_data.get("waitlist_when_full", False),
            )

    def save_picker(self, pk: int, *, added: list[int], removed: list[int], actor, waitlist: bool) -> None:
        raise NotImplementedError


class EnrolledInCourseFilter(admin.SimpleListFilter):
    """Students enrolled in one course (``?course=<id>``)."""

    title = "enrolled in course"
    parameter_name = "course"

    def lookups(self, request, model_admin):
        return list(Course.objects.order_by("code").values_list("id", "code"))

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(
                student_courses__course_id=self.value(), student_courses__status=EnrollmentStatus.ENROLLED
            )
        return queryset


class StudentCourseInline(admin.TabularInline):
    """The student's associations, read-only: the picker above changes them."""

    model = StudentCourse
    fields = ["course", "status", "enrolled_at", "status_changed_at"]
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
class StudentAdmin(PickerAdmin, admin.ModelAdmin):
    form = StudentAdminForm
    picker_field = "course_picker"
    list_display = ["last_name", "first_name", "email", "created_at"]
    list_filter = [EnrolledInCourseFilter]
    search_fields = ["first_name", "last_name", "email"]
    inlines = [StudentCourseInline]
    actions = ["associate_courses"]
    fieldsets = [
        (None, {"fields": ["first_name", "last_name", "email"]}),
        ("Courses", {"fields": ["course_picker", "waitlist_when_full", "history_link"]}),
    ]
    readonly_fields = ["history_link"]

    @admin.display(description="Courses")
    def course_picker(self, student: Student) -> str:
        """The picker's read-only form, for staff who may only view."""
        codes = StudentCourse.objects.filter(
            student=student, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]
        ).values_list("course__code", flat=True)
        return ", ".join(sorted(codes)) or "—"

    def save_picker(self, pk: int, *, added: list[int], removed: list[int], actor, waitlist: bool) -> None:
        services.change_courses(student_id=pk, add=added, drop=removed, actor=actor, waitlist=waitlist)

    def has_associate_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("students.add_studentcourse")

    @admin.action(description="Associate courses…", permissions=["associate"])
    def associate_courses(self, request: HttpRequest, queryset):
        """Enrolls the selected students in the courses chosen on an intermediate page, in one transaction."""
        form = BulkAssociationForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            courses = form.cleaned_data["courses"]
            try:
                result = services.associate_courses_with_students(
                    student_ids=list(queryset.values_list("id", flat=True)),
                    course_ids=[course.id for course in courses],
                    actor=admin_actor(request),
                    waitlist=form.cleaned_data["waitlist_when_full"],
                )
            except EnrollmentError as error:
                full = [course for course in courses if course.id in error.extra.get("course_ids", [])]
                form.add_error("courses", full_course_error(full) if full else error.detail)
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
    list_filter = ["channel", "new_status", "created_at", ("course", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["student__email", "student__last_name", "course__code"]
    date_hierarchy = "created_at"
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
