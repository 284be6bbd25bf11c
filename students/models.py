import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from courses.models import Course
from schools.models import Org


def normalize_email(email: str) -> str:
    """Emails are stored lower-case, without surrounding spaces (a database check holds the case)."""
    return email.strip().lower()


STUDENT_API_FIELDS = ("id", "first_name", "last_name", "email", "school", "created_at", "updated_at")


class Student(models.Model):
    """A person enrolled at a school (one: their home school, OneRoster's primary org; they may take courses any
    school offers). A student made without naming a school is the first school's.

    Emails are stored lower-case (a database check enforces it), so uniqueness is case-insensitive and a lookup
    by email is a plain indexed equality.
    """

    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    email = models.EmailField(unique=True)
    school = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="students",
        blank=True,
        limit_choices_to={"type": "school"},
        help_text="Their home school; empty means the first school.",
    )
    courses = models.ManyToManyField(Course, through="StudentCourse", related_name="students", blank=True)
    sourced_id = models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "students"
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(email=Lower("email")), name="students_email_lower_case"),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name", "id"], name="students_name_idx"),
            models.Index(fields=["updated_at"], name="students_updated_idx"),  # ?updated_since=
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} <{self.email}>"

    def save(self, *args, **kwargs) -> None:
        if self.school_id is None:
            self.school = Org.objects.first_school()
        super().save(*args, **kwargs)


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled"
    WAITLISTED = "waitlisted"
    DROPPED = "dropped"
    COMPLETED = "completed"


class StudentCourse(models.Model):
    """One student's association with one course, and where it stands (``status``).

    Rows are never deleted by the application: dropping or completing a course changes the status, so nothing
    about a student's past is lost. A waitlisted row holds a ``waitlist_ticket``, handed out in increasing order
    per course while the course's row is locked: the lowest ticket is promoted first.
    """

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="student_courses", db_index=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="student_courses", db_index=False)
    status = models.CharField(max_length=16, choices=EnrollmentStatus.choices, default=EnrollmentStatus.ENROLLED)
    enrolled_at = models.DateTimeField(default=timezone.now, help_text="When the student was last enrolled.")
    status_changed_at = models.DateTimeField(
        default=timezone.now, help_text="When it last changed: its version, and OneRoster's dateLastModified."
    )
    begin_date = models.DateField(
        null=True, blank=True, help_text="The first day the student takes the course (empty: never enrolled)."
    )
    end_date = models.DateField(
        null=True,
        blank=True,
        help_text="The day after the last one (exclusive, as OneRoster has it); empty while it goes on.",
    )
    waitlist_ticket = models.BigIntegerField(null=True, blank=True, editable=False)
    sourced_id = models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        db_table = "student_courses"
        ordering = ["student_id", "course_id"]
        verbose_name = "student course association"
        constraints = [
            models.UniqueConstraint(fields=["student", "course"], name="student_courses_unique_student_course"),
            models.CheckConstraint(
                condition=models.Q(status=EnrollmentStatus.WAITLISTED, waitlist_ticket__isnull=False)
                | (~models.Q(status=EnrollmentStatus.WAITLISTED) & models.Q(waitlist_ticket__isnull=True)),
                name="student_courses_ticket_iff_waitlisted",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(begin_date__isnull=False, end_date__gte=models.F("begin_date")),
                name="student_courses_ends_after_it_begins",
            ),
        ]
        indexes = [
            models.Index(fields=["course", "status", "waitlist_ticket"], name="student_courses_course_idx"),
            models.Index(fields=["status_changed_at"], name="student_courses_changed_idx"),  # OneRoster's deltas
        ]

    def __str__(self) -> str:
        return f"{self.course.code}: {self.status}"


class Channel(models.TextChoices):
    API = "api", "API"
    ADMIN = "admin"
    COMMAND = "command"
    SYSTEM = "system"


class EnrollmentEventQuerySet(models.QuerySet):
    """Events are append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise TypeError("Enrollment events are append-only; they cannot be updated.")

    def delete(self):
        raise TypeError("Enrollment events are append-only; they cannot be deleted.")


class EnrollmentEvent(models.Model):
    """One change of one association's status: who made it, through which channel, and when. Append-only.

    ``previous_status`` is empty when the association was created by the change.
    """

    student = models.ForeignKey(Student, on_delete=models.PROTECT, related_name="enrollment_events", db_index=False)
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="enrollment_events", db_index=False)
    previous_status = models.CharField(max_length=16, choices=EnrollmentStatus.choices, blank=True)
    new_status = models.CharField(max_length=16, choices=EnrollmentStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_username = models.CharField(max_length=150, blank=True, help_text="Kept if the account is deleted.")
    channel = models.CharField(max_length=16, choices=Channel.choices)
    reason = models.CharField(
        max_length=200,
        blank=True,
        db_default="",
        help_text="Why, when the change says (such as the term closing its waitlists).",
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = EnrollmentEventQuerySet.as_manager()

    class Meta:
        db_table = "enrollment_events"
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["student", "-created_at", "-id"], name="enrollment_events_student_idx"),
            models.Index(fields=["course", "-created_at", "-id"], name="enrollment_events_course_idx"),
            models.Index(fields=["-created_at", "-id"], name="enrollment_events_created_idx"),  # the admin's log
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} student {self.student_id} course {self.course_id}: {self.new_status}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise TypeError("Enrollment events are append-only; they cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("Enrollment events are append-only; they cannot be deleted.")
