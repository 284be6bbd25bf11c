"""The staff front end for courses: enrolled counts, and the course's students found by typing and dropped page by
page (a district's course page must not list a hundred thousand students)."""

from django.contrib import admin
from django.db.models import Case, Count, OuterRef, Subquery, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from config.admin_pickers import DomainErrorsAsMessages
from courses.forms import CourseAdminForm
from courses.models import CatalogCourse, Course
from students.admin_kept import KeptWithHistory
from students.enrollment import services
from students.enrollment.wording import WAITLIST_LABEL
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentStatus, StudentCourse
from teachers.models import Assignment, AssignmentRole

ASSOCIATION_PERMISSIONS = ("students.add_studentcourse", "students.delete_studentcourse")
WAITLIST_SHOWN = 20  # the next ones to get a seat; the rest wait behind them
EDITABLE = {"code", "title", "description", "capacity", "school", "term", "catalog_course"}
STUDENT_FIELDS = ["students_to_add", "students_to_drop", "students_pages", "waitlist_when_full", "shown_at"]


@admin.register(Course)
class CourseAdmin(KeptWithHistory, DomainErrorsAsMessages, admin.ModelAdmin):
    history_field = "course"
    form = CourseAdminForm
    list_display = ["code", "title", "school", "term", "capacity", "student_count"]
    list_filter = ["school", "term"]
    list_select_related = ["school", "term"]
    search_fields = ["code", "title"]
    autocomplete_fields = ["catalog_course"]
    readonly_fields = ["student_count", "students_link", "students_pages", "waitlist", "taught_by"]

    def can_change_students(self, request: HttpRequest) -> bool:
        return request.user.has_perms(ASSOCIATION_PERMISSIONS)

    def get_fieldsets(self, request, obj=None):
        students = ["student_count", "students_link", "waitlist"]
        if obj is not None and self.can_change_students(request):
            students += STUDENT_FIELDS
        offered = ["school", "term", "catalog_course", "taught_by"]
        return [
            (None, {"fields": ["code", "title", "description", "capacity"]}),
            ("Offered", {"fields": offered}),
            ("Students", {"fields": students}),
        ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        page = request.GET.get("students_page", "1")
        return type(form.__name__, (form,), {"students_page": int(page) if page.isdigit() else 1})

    def get_queryset(self, request):
        """Annotates the enrolled count in the list's one query: a subquery per row shown (an index lookup), not an
        aggregate over every association."""
        enrolled = (
            StudentCourse.objects.filter(course=OuterRef("pk"), status=EnrollmentStatus.ENROLLED)
            .order_by()
            .values("course")
            .annotate(count=Count("id"))
            .values("count")
        )
        return super().get_queryset(request).annotate(enrolled_count=Coalesce(Subquery(enrolled), 0))

    @admin.display(description="Students enrolled", ordering="enrolled_count")
    def student_count(self, course: Course) -> int:
        return getattr(course, "enrolled_count", 0)

    @admin.display(description="Students")
    def students_link(self, course: Course) -> str:
        if course.pk is None:
            return "—"
        url = reverse("admin:students_student_changelist") + f"?course={course.pk}"
        return format_html('<a href="{}">The students of {}</a>', url, course.code)

    @admin.display(description="Teachers")
    def taught_by(self, course: Course) -> str:
        """Who teaches it, primary first (assigned on each teacher's page)."""
        if course.pk is None:
            return "—"
        order = Case(*(When(role=role, then=rank) for rank, role in enumerate(AssignmentRole.values)))
        assigned = Assignment.objects.filter(course=course).select_related("teacher").order_by(order, "teacher_id")
        rows = [
            (a.teacher, a.get_role_display(), reverse("admin:teachers_teacher_change", args=[a.teacher_id]))
            for a in assigned
        ]
        if not rows:
            return "none yet (assign one on the teacher's page)"
        return format_html(
            '<ul class="teachers">{}</ul>', format_html_join("", '<li><a href="{2}">{0}</a>, {1}</li>', rows)
        )

    @admin.display(description="Waitlist")
    def waitlist(self, course: Course) -> str:
        """Who waits, first come first served (the first WAITLIST_SHOWN), and how many in all."""
        if course.pk is None:
            return "—"
        waiting = list(
            StudentCourse.objects.filter(course=course, status=EnrollmentStatus.WAITLISTED)
            .order_by("waitlist_ticket")
            .values_list("student__first_name", "student__last_name", "student__email")[: WAITLIST_SHOWN + 1]
        )
        if not waiting:
            return "nobody waits"
        rows = format_html_join("", "<li>{} {} &lt;{}&gt;</li>", (student for student in waiting[:WAITLIST_SHOWN]))
        more = format_html("<p>… and more behind them.</p>") if len(waiting) > WAITLIST_SHOWN else ""
        return format_html('<ol class="waitlist">{}</ol>{}', rows, more)

    @admin.display(description="Pages of enrolled students")
    def students_pages(self, course: Course) -> str:
        """Links to the other pages of enrolled students (the page's form knows which one it shows)."""
        count = getattr(course, "enrolled_count", None)
        if count is None:
            count = StudentCourse.objects.filter(course=course, status=EnrollmentStatus.ENROLLED).count()
        pages = range(1, -(-count // CourseAdminForm.STUDENTS_PER_PAGE) + 1)
        if len(pages) <= 1:
            return "—"
        return format_html_join(" ", '<a href="?students_page={0}">{0}</a>', ((page,) for page in pages))

    @admin.display(description=WAITLIST_LABEL)
    def waitlist_when_full(self, course: Course) -> str:
        return "—"

    def save_model(self, request, obj, form, change) -> None:
        if change:  # through the service: a larger capacity promotes the waitlist at once
            services.update_course(
                course_id=obj.pk,
                changes={f: getattr(obj, f) for f in form.changed_data if f in EDITABLE},
            )
        else:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        if getattr(form, "enrolling", None) or getattr(form, "dropping", None):
            services.change_course_students(
                course_id=form.instance.pk,
                enroll=form.enrolling,
                drop=form.dropping,
                actor=Actor(channel=Channel.ADMIN, user=request.user),
                waitlist=form.cleaned_data.get("waitlist_when_full", False),
                unchanged_since=form.cleaned_data.get("shown_at"),
            )


@admin.register(CatalogCourse)
class CatalogCourseAdmin(admin.ModelAdmin):
    """The catalog: the courses a school (or the district) offers sections of, each term."""

    list_display = ["code", "title", "org", "updated_at"]
    list_filter = ["org"]
    list_select_related = ["org"]
    search_fields = ["code", "title"]
    fields = ["code", "title", "org", "sourced_id", "updated_at"]
    readonly_fields = ["sourced_id", "updated_at"]
    autocomplete_fields = ["org"]
