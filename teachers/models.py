"""The people who teach: each at a school, assigned to courses (sections) with a role and dates. OneRoster serves
them as users with the role ``teacher`` (an aide's assignment with the role ``aide``), and each assignment as an
enrollment of that role in the course's class.

A teacher is a row of their own, not a student: a student's account and a teacher's are kept apart (a student
teacher is both, with two rows), as OneRoster's roles keep them.
"""

import uuid

from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from courses.models import Course
from schools.models import Org


def normalize_email(email: str) -> str:
    return email.strip().lower()


TEACHER_API_FIELDS = (
    *("id", "first_name", "last_name", "email", "identifier", "school", "sourced_id"),
    *("created_at", "updated_at"),
)
ASSIGNMENT_API_FIELDS = ("id", "teacher", "course", "role", "begin_date", "end_date", "sourced_id")


class Teacher(models.Model):
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(unique=True, help_text="Stored lower-case; how learning platforms look a teacher up.")
    identifier = models.CharField(
        max_length=100, blank=True, help_text="The district's own staff number (OneRoster's identifier)."
    )
    school = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="teachers",
        limit_choices_to={"type": "school"},
        help_text="The school they belong to (their primary org).",
    )
    courses = models.ManyToManyField(Course, through="Assignment", related_name="teachers", blank=True)
    sourced_id = models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "teachers"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="teachers_email_lower_case"),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="teachers_name_idx"),
            models.Index(fields=["updated_at"], name="teachers_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def clean(self) -> None:
        super().clean()
        self.email = normalize_email(self.email or "")


class AssignmentRole(models.TextChoices):
    PRIMARY = "primary", "primary teacher"
    SECONDARY = "secondary", "secondary teacher"
    AIDE = "aide"


class Assignment(models.Model):
    """A teacher on a course (a section), in a role, from a day and until one (exclusive, as OneRoster has it; none:
    for as long as the course runs)."""

    teacher = models.ForeignKey(Teacher, on_delete=models.PROTECT, related_name="assignments")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=16, choices=AssignmentRole.choices, default=AssignmentRole.PRIMARY)
    begin_date = models.DateField(null=True, blank=True, help_text="Empty: from the course's start.")
    end_date = models.DateField(
        null=True, blank=True, help_text="The day after the last one (exclusive); empty: until the course ends."
    )
    sourced_id = models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "teacher_assignments"
        ordering = ["course_id", "role", "teacher_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "course"],
                name="teacher_assignments_one_per_teacher_and_course",
                violation_error_message="This teacher is assigned to this course already.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(begin_date__isnull=True) | Q(end_date__gt=F("begin_date")),
                name="teacher_assignments_end_after_begin",
                violation_error_message="An assignment ends after it begins (the end date is the day after the last).",
            ),
        ]
        indexes = [models.Index(fields=["updated_at"], name="assignments_updated_idx")]

    def __str__(self) -> str:
        return f"{self.teacher} — {self.get_role_display()} of {self.course.code}"
