"""Admin forms of the courses app: the course, with its students found by typing and dropped page by page."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.core.paginator import Paginator
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from config.admin_forms import EmptyKeepsOrDefaults
from courses.models import CAPACITY_MESSAGE, Course, normalize_course_code
from schools.models import AcademicSession, Org
from students.enrollment.errors import ChangedMeanwhile
from students.enrollment.previews import preview_course_students
from students.enrollment.wording import WAITLIST_LABEL
from students.models import EnrollmentStatus, Student, StudentCourse


class StudentTicks(forms.CheckboxSelectMultiple):
    """The enrolled students of a page as a table (name, e-mail, a box to tick to drop), as wide as the page: the
    admin's narrow label column would break names and e-mails mid-word."""

    def render(self, name, value, attrs=None, renderer=None):
        ticked = {str(v) for v in value or ()}
        rows = format_html_join(
            "",
            '<tr><td><input type="checkbox" name="{0}" value="{1}" id="id_{0}_{1}"{2}></td>'
            '<td><label for="id_{0}_{1}">{3}</label></td><td>{4}</td></tr>',
            (
                (name, pk, mark_safe(" checked") if str(pk) in ticked else "", f"{s.first_name} {s.last_name}", s.email)
                for pk, s in self.choices
            ),
        )
        return format_html(
            '<table class="student-ticks" id="id_{}"><thead><tr><th>Drop</th><th>Name</th><th>E-mail</th></tr>'
            "</thead><tbody>{}</tbody></table>",
            name,
            rows,
        )


class CourseAdminForm(EmptyKeepsOrDefaults):
    """The course form. A district's course has hundreds of students among a hundred thousand, so staff find
    students to enroll by typing (``students_to_add``, an autocomplete), and see the enrolled ones a page at a time
    (``?students_page=``), ticking those to drop (``students_to_drop``). The page carries when it was made
    (``shown_at``): a change to a student whose association with the course changed since is not applied unseen.
    ``CourseAdmin`` sets ``students_page``; ``CourseAdmin.save_related`` saves the change through the service."""

    STUDENTS_PER_PAGE = 50
    students_page = 1
    defaults = {  # a new course without one gets a catalog course of its own (the model)
        "school": Org.objects.first_school,
        "term": AcademicSession.objects.first_term,
        "catalog_course": lambda: None,
    }
    students_to_add = forms.ModelMultipleChoiceField(
        queryset=Student.objects.all(),
        required=False,
        label="Enroll students",
        widget=AutocompleteSelectMultiple(StudentCourse._meta.get_field("student"), admin.site),
        help_text="Type a name or an email, and pick.",
    )
    students_to_drop = forms.TypedMultipleChoiceField(
        coerce=int,
        required=False,
        label="Enrolled students",
        widget=StudentTicks,
        help_text="Tick the students to drop from the course.",
    )
    capacity = forms.IntegerField(  # one message for 0 and for -3 (the model's own field would give two)
        required=False,
        min_value=1,
        error_messages={"min_value": CAPACITY_MESSAGE},
        help_text=Course._meta.get_field("capacity").help_text,
    )
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)
    shown_at = forms.DateTimeField(widget=forms.HiddenInput, required=False, initial=timezone.now)

    class Meta:
        model = Course
        fields = ["code", "title", "description", "capacity", "school", "term", "catalog_course"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.enrolled_page = None
        if self.instance.pk and "students_to_drop" in self.fields:
            enrolled = Student.objects.filter(
                student_courses__course=self.instance, student_courses__status=EnrollmentStatus.ENROLLED
            ).only("id", "first_name", "last_name", "email")
            self.enrolled_page = Paginator(enrolled, self.STUDENTS_PER_PAGE).get_page(self.students_page)
            self.fields["students_to_drop"].choices = [(s.id, s) for s in self.enrolled_page]

    def clean_code(self) -> str:
        return normalize_course_code(self.cleaned_data["code"])

    def clean(self) -> dict:
        """Refuses, as a form error, a change to a student someone changed meanwhile, and more new students than
        free seats unless the waitlist is ticked."""
        cleaned = super().clean()
        if self.errors or "students_to_add" not in self.fields:
            return cleaned
        self.enrolling = [student.id for student in cleaned.get("students_to_add") or []]
        self.dropping = [s for s in cleaned.get("students_to_drop") or [] if s not in self.enrolling]
        try:
            change = preview_course_students(
                course_id=self.instance.pk,
                capacity=cleaned.get("capacity"),
                enroll=self.enrolling,
                drop=self.dropping,
                waitlist=True,
                unchanged_since=cleaned.get("shown_at") or timezone.now(),
            )
        except ChangedMeanwhile as error:
            names = ", ".join(str(s) for s in Student.objects.filter(id__in={s for s, _ in error.extra["changed"]}))
            self.add_error(
                "students_to_add",
                f"Changed by someone else since this page was opened: {names}. Nothing was saved; check and save "
                "again.",
            )
            data = self.data.copy()
            data[self.add_prefix("shown_at")] = timezone.now().isoformat()
            self.data = data
            return cleaned
        if cleaned.get("waitlist_when_full"):
            return cleaned
        if change.full:
            self.add_error(
                "students_to_add",
                f"Only {len(change.added)} seat(s) free for {len(change.added) + len(change.full)} new student(s). "
                f"Tick “{WAITLIST_LABEL}” to put the others on the waitlist.",
            )
        return cleaned
