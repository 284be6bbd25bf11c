"""Admin forms of the courses app."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from courses.models import Course, normalize_course_code
from students.enrollment.previews import preview_course_students
from students.enrollment.wording import WAITLIST_LABEL
from students.models import EnrollmentStatus, Student, StudentCourse


class CourseAdminForm(forms.ModelForm):
    """The course form, with the enrolled-students picker; ``CourseAdmin.save_related`` saves it."""

    student_picker = forms.ModelMultipleChoiceField(
        queryset=Student.objects.all(),
        required=False,
        label="Students",
        widget=FilteredSelectMultiple("students", is_stacked=False),
        help_text="Enrolled students. Moving a student out drops the course; moving one in enrolls.",
    )
    waitlist_when_full = forms.BooleanField(required=False, label=WAITLIST_LABEL)

    class Meta:
        model = Course
        fields = ["code", "title", "description", "capacity"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "student_picker" in self.fields:
            self.fields["student_picker"].initial = list(
                StudentCourse.objects.filter(course=self.instance, status=EnrollmentStatus.ENROLLED).values_list(
                    "student_id", flat=True
                )
            )

    def clean_code(self) -> str:
        return normalize_course_code(self.cleaned_data["code"])

    def clean(self) -> dict:
        """Refuses, as a form error, more new students than free seats unless the waitlist is ticked."""
        cleaned = super().clean()
        chosen = cleaned.get("student_picker")
        if chosen is None or cleaned.get("waitlist_when_full") or self.has_error("capacity"):
            return cleaned
        before = {int(pk) for pk in self.fields["student_picker"].initial or []}
        after = {student.pk for student in chosen}
        change = preview_course_students(
            course_id=self.instance.pk,
            capacity=cleaned.get("capacity"),
            enroll=after - before,
            drop=before - after,
            waitlist=False,
        )
        if change.full:
            self.add_error(
                "student_picker",
                f"Only {len(change.added)} seat(s) free for {len(change.added) + len(change.full)} new student(s). "
                f"Tick “{WAITLIST_LABEL}” to put the others on the waitlist.",
            )
        return cleaned
