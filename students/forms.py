"""Admin forms: the two-pane course and student pickers, saved through the enrollment services."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from courses.models import Course
from students.models import EnrollmentStatus, Student, StudentCourse, normalize_email
from students.selectors import full_courses

WAITLIST_LABEL = "Put on the waitlist when a course is full"


def course_picker(*, required: bool = False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Course.objects.order_by("code"),
        required=required,
        label="Courses",
        widget=FilteredSelectMultiple("courses", is_stacked=False),
        help_text="Enrolled and waitlisted courses. Moving a course out drops it; moving one in enrolls.",
    )


def full_course_error(courses) -> str:
    codes = ", ".join(course.code for course in courses)
    return f"No free seat in {codes}. Tick “{WAITLIST_LABEL}” to put the student on the waitlist."


class StudentAdminForm(forms.ModelForm):
    """The student form, with the course picker; ``StudentAdmin.save_related`` saves the picker's choice."""

    course_picker = course_picker()
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)

    class Meta:
        model = Student
        fields = ["first_name", "last_name", "email"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "course_picker" in self.fields:
            self.fields["course_picker"].initial = list(
                StudentCourse.objects.filter(
                    student=self.instance, status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED]
                ).values_list("course_id", flat=True)
            )

    def clean_email(self) -> str:
        return normalize_email(self.cleaned_data["email"])

    def clean(self) -> dict:
        cleaned = super().clean()
        chosen = cleaned.get("course_picker")
        if chosen is None or cleaned.get("waitlist_when_full"):
            return cleaned
        current = set(self.fields["course_picker"].initial or [])
        full = full_courses([course for course in chosen if course.id not in current])
        if full:
            self.add_error("course_picker", full_course_error(full))
        return cleaned


class BulkAssociationForm(forms.Form):
    """The intermediate page of the "Associate courses…" action."""

    courses = course_picker(required=True)
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)
