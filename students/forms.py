"""Admin forms: the two-pane course picker, checked by the enrollment rule and saved through its services."""

from collections.abc import Iterable
from itertools import groupby
from operator import itemgetter

from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from config.admin_forms import EmptyKeepsOrDefaults
from config.admin_pickers import PickerForm, TwoPaneSelect
from courses.models import Course
from schools.models import Org
from students.enrollment.previews import preview_courses
from students.enrollment.wording import WAITLIST_LABEL, no_seat_in
from students.models import EnrollmentStatus, Student, StudentCourse, normalize_email

TITLE_SHOWN = 60  # characters of a course's title in the picker; the code comes first and is whole


def course_label(code: str, title: str, status: str | None = None) -> str:
    shown = title if len(title) <= TITLE_SHOWN else title[: TITLE_SHOWN - 1] + "…"
    waitlisted = " (waitlisted)" if status == EnrollmentStatus.WAITLISTED else ""
    return f"{code} — {shown}{waitlisted}"


class CoursesByTerm(ModelChoiceIterator):
    """The courses grouped by term, in the terms' order: ``(term title, [(id, label), …])``, an ``<optgroup>`` each.
    Read as plain rows, not model instances: a district's 5,000 courses and their terms cost half as much."""

    def __iter__(self):
        statuses = self.field.statuses
        rows = self.queryset.values_list("pk", "code", "title", "term__title")
        for term, courses in groupby(rows, key=itemgetter(3)):
            yield term, [(pk, course_label(code, title, statuses.get(pk))) for pk, code, title, _ in courses]


class CourseChoiceField(forms.ModelMultipleChoiceField):
    """Courses by code and title (the title shortened: a district's thousands of courses, each an option, keep the
    page small), grouped by term. ``statuses`` marks the courses a student is waitlisted in."""

    iterator = CoursesByTerm
    statuses: dict[int, str] = {}

    def offer(self, *, kept: Iterable[int] = ()) -> None:
        """Offers only the courses of terms not over yet, and the ``kept`` ones whatever their term (those a
        student takes): the picker stays the size of a year, not of the district's history."""
        self.queryset = self.queryset.filter(Q(term__end_date__gt=timezone.localdate()) | Q(pk__in=list(kept)))


def course_picker(*, required: bool = False, help_text: str) -> forms.ModelMultipleChoiceField:
    return CourseChoiceField(
        queryset=Course.objects.order_by("term__start_date", "term__title", "term_id", "code"),
        required=required,
        label="Courses",
        widget=TwoPaneSelect("courses", is_stacked=False),
        help_text=help_text,
    )


class StudentAdminForm(EmptyKeepsOrDefaults, PickerForm):
    """The student form, with the course picker; ``StudentAdmin.save_picker`` saves the picker's changes."""

    defaults = {"school": Org.objects.first_school}

    picker_field = "course_picker"
    active = (EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED)
    course_picker = course_picker(
        help_text="The student's courses: enrolled ones, and waitlisted ones marked “(waitlisted)”. Moving a course "
        "out drops the student from it (or takes them off its waitlist); moving one in enrolls them."
    )
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)

    class Meta:
        model = Student
        fields = ["first_name", "last_name", "email", "school"]

    def picker_state(self) -> dict[int, tuple[str, str]]:
        rows = StudentCourse.objects.filter(student=self.instance).values_list(
            "course_id", "status", "status_changed_at"
        )
        return {course_id: (status, changed_at.isoformat()) for course_id, status, changed_at in rows}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "course_picker" in self.fields:
            picker = self.fields["course_picker"]
            picker.statuses = {pk: status for pk, (status, _) in self.picker_current.items()}
            picker.offer(kept=[pk for pk, (status, _) in self.picker_current.items() if status in self.active])

    def picker_labels(self, ids: list[int]) -> dict[int, str]:
        return dict(Course.objects.filter(id__in=ids).values_list("id", "code"))

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict:
        """Refuses, as a form error, courses without a free seat unless the waitlist is ticked."""
        cleaned = super().clean()
        if self.errors or not self.picker_added or cleaned.get("waitlist_when_full"):
            return cleaned
        change = preview_courses(
            student_id=self.instance.pk, enroll=self.picker_added, drop=self.picker_removed, waitlist=False
        )
        if change.full:
            codes = self.picker_labels(change.full)
            self.add_error("course_picker", no_seat_in([codes[course_id] for course_id in change.full]))
        return cleaned


class BulkAssociationForm(forms.Form):
    """The intermediate page of the "Associate courses…" action. It carries when it was made (``shown_at``), so
    that a student whose association with a chosen course changed since is not enrolled unseen."""

    courses = course_picker(
        required=True,
        help_text="The courses to enroll the selected students in. Their other courses are kept as they are, and so "
        "is a course a student already takes or waits for.",
    )
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)
    shown_at = forms.DateTimeField(widget=forms.HiddenInput, required=False, initial=timezone.now)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["courses"].offer()

    def ask_again(self, message: str) -> None:
        """Shows the message, and makes the page carry the present moment for the next confirmation."""
        self.add_error("courses", message)
        data = self.data.copy()
        data["shown_at"] = timezone.now().isoformat()
        self.data = data
