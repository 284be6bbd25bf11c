"""Admin forms of the courses app."""

from django import forms
from django.contrib.admin.widgets import FilteredSelectMultiple

from config.admin_pickers import PickerForm
from courses.models import Course, normalize_course_code
from students.enrollment.previews import preview_course_students
from students.enrollment.wording import WAITLIST_LABEL
from students.models import EnrollmentStatus, Student, StudentCourse


class CourseAdminForm(PickerForm):
    """The course form, with the enrolled-students picker; ``CourseAdmin.save_picker`` saves the picker's changes."""

    picker_field = "student_picker"
    active = (EnrollmentStatus.ENROLLED,)
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

    def picker_state(self) -> dict[int, tuple[str, str]]:
        rows = StudentCourse.objects.filter(course=self.instance).values_list(
            "student_id", "status", "status_changed_at"
        )
        return {student_id: (status, changed_at.isoformat()) for student_id, status, changed_at in rows}

    def picker_labels(self, ids: list[int]) -> dict[int, str]:
        return {student.id: str(student) for student in Student.objects.filter(id__in=ids)}

    def clean_code(self) -> str:
        return normalize_course_code(self.cleaned_data["code"])

    def clean(self) -> dict:
        """Refuses, as a form error, more new students than free seats unless the waitlist is ticked."""
        cleaned = super().clean()
        if self.errors or not self.picker_added or cleaned.get("waitlist_when_full"):
            return cleaned
        change = preview_course_students(
            course_id=self.instance.pk,
            capacity=cleaned.get("capacity"),
            enroll=self.picker_added,
            drop=self.picker_removed,
            waitlist=False,
        )
        if change.full:
            self.add_error(
                "student_picker",
                f"Only {len(change.added)} seat(s) free for {len(change.added) + len(change.full)} new student(s). "
                f"Tick “{WAITLIST_LABEL}” to put the others on the waitlist.",
            )
        return cleaned
