"""Admin forms: the two-pane course picker, checked by the enrollment rule and saved through its services."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from courses.models import Course
from students.enrollment.previews import preview_courses
from students.enrollment.wording import WAITLIST_LABEL, no_seat_in
from students.models import EnrollmentStatus, Student, StudentCourse, normalize_email


def course_picker(*, required: bool = False) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Course.objects.order_by("code"),
        required=required,
        label="Courses",
        widget=FilteredSelectMultiple("courses", is_stacked=False),
        help_text="Enrolled and waitlisted courses. Moving a course out drops it; moving one in enrolls.",
    )


class StudentAdminForm(forms.ModelForm):
    """The student form, with the course picker; ``StudentAdmin.save_picker`` saves the picker's changes."""

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
        """Refuses, as a form error, courses without a free seat unless the waitlist is ticked."""
        cleaned = super().clean()
        chosen = cleaned.get("course_picker")
        if chosen is None or cleaned.get("waitlist_when_full"):
            return cleaned
        before = {int(pk) for pk in self.fields["course_picker"].initial or []}
        after = {course.id: course for course in chosen}
        change = preview_courses(
            student_id=self.instance.pk, enroll=set(after) - before, drop=before - set(after), waitlist=False
        )
        if change.full:
            self.add_error("course_picker", no_seat_in([after[course_id].code for course_id in change.full]))
        return cleaned


class BulkAssociationForm(forms.Form):
    """The intermediate page of the "Associate courses…" action."""

    courses = course_picker(required=True)
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)
