import uuid

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models.functions import Upper

COURSE_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
    "Use letters, digits, '.', '_' or '-', starting with a letter or digit.",
    code="invalid_code",
)


def normalize_course_code(code: str) -> str:
    """Course codes are stored upper-case, without surrounding spaces (a database check holds the case)."""
    return code.strip().upper()


CAPACITY_MESSAGE = "A capacity is at least 1; leave it empty for no limit."
COURSE_API_FIELDS = ("id", "code", "title", "description", "capacity", "created_at", "updated_at")


class Course(models.Model):
    """A course the school offers, identified by a short code such as ``CS101``.

    Codes are stored upper-case (a database check enforces it), so uniqueness is case-insensitive.
    """

    code = models.CharField(
        max_length=32,
        unique=True,
        validators=[COURSE_CODE_VALIDATOR],
        help_text="Such as CS101; stored upper-case.",
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1, CAPACITY_MESSAGE)],
        help_text="How many students may be enrolled at once; empty means unlimited.",
    )
    sourced_id = models.UUIDField(
        "OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False, help_text="The course's, in OneRoster."
    )
    class_sourced_id = models.UUIDField(
        "OneRoster class sourcedId",
        default=uuid.uuid4,
        unique=True,
        editable=False,
        help_text="Of the course's one class, in OneRoster.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "courses"
        ordering = ["code"]
        indexes = [models.Index(fields=["updated_at"], name="courses_updated_idx")]  # ?updated_since=
        constraints = [
            models.CheckConstraint(condition=models.Q(code=Upper("code")), name="courses_code_upper_case"),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0),
                name="courses_capacity_positive",
                violation_error_message=CAPACITY_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"
