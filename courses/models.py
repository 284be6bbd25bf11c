import uuid

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models, transaction
from django.db.models.functions import Upper

from schools.models import AcademicSession, Org

COURSE_CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9._-]*\Z",
    "Use letters, digits, '.', '_' or '-', starting with a letter or digit.",
    code="invalid_code",
)


def normalize_course_code(code: str) -> str:
    """Course codes are stored upper-case, without surrounding spaces (a database check holds the case)."""
    return code.strip().upper()


CAPACITY_MESSAGE = "A capacity is at least 1; leave it empty for no limit."
CATALOG_COURSE_API_FIELDS = ("id", "sourced_id", "code", "title", "org", "created_at", "updated_at")
COURSE_API_FIELDS = (
    *("id", "code", "title", "description", "capacity", "school", "term", "catalog_course"),
    *("created_at", "updated_at"),
)


class CatalogCourse(models.Model):
    """A course of a school's (or the district's) catalog, such as *Algebra I*: what OneRoster calls a ``course``.
    Students enroll in its offerings (``Course``: OneRoster's ``classes``, a section in a term), never in it.

    Its code is unique within the org whose catalog it is in (the same code may name another school's course).
    """

    code = models.CharField(max_length=32, validators=[COURSE_CODE_VALIDATOR], help_text="Such as MATH101.")
    title = models.CharField(max_length=200)
    org = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="catalog_courses",
        help_text="The school or district whose catalog holds it.",
    )
    sourced_id = models.UUIDField(
        "OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False, help_text="The course's, in OneRoster."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "catalog_courses"
        ordering = ["code", "id"]
        verbose_name = "catalog course"
        constraints = [
            models.UniqueConstraint(
                fields=["org", "code"],
                name="catalog_courses_unique_code_per_org",
                violation_error_message="This school's catalog has a course with this code.",
            ),
            models.CheckConstraint(condition=models.Q(code=Upper("code")), name="catalog_courses_code_upper_case"),
        ]
        indexes = [models.Index(fields=["updated_at"], name="catalog_courses_updated_idx")]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"

    def clean(self) -> None:
        super().clean()
        self.code = normalize_course_code(self.code or "")


class Course(models.Model):
    """What a student enrolls in: one offering of a catalog course (a class or section), at a school, in a term, with
    its own capacity and waitlist; identified by a short code such as ``CS101``.

    Codes are stored upper-case (a database check enforces it), so uniqueness is case-insensitive. A course made
    without naming its school, term or catalog course is offered by the first school in the first term, as its own
    catalog course (same code and title): every channel that knows nothing of schools keeps working.
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
    catalog_course = models.ForeignKey(
        CatalogCourse,
        on_delete=models.PROTECT,
        related_name="offerings",
        blank=True,
        help_text="The catalog course it is a section of; empty makes one of its code and title.",
    )
    school = models.ForeignKey(
        Org,
        on_delete=models.PROTECT,
        related_name="courses",
        blank=True,
        limit_choices_to={"type": "school"},
        help_text="The school that offers it; empty means the first school.",
    )
    term = models.ForeignKey(
        AcademicSession,
        on_delete=models.PROTECT,
        related_name="courses",
        blank=True,
        help_text="The academic session it is taught in; empty means the first term.",
    )
    sourced_id = models.UUIDField(
        "OneRoster sourcedId", default=uuid.uuid4, unique=True, editable=False, help_text="The class's, in OneRoster."
    )
    rolled_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="rolled_over_into",
        help_text="The course of an earlier term this one continues (made when that term closed).",
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

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic():
            self.fill_in_place()
            super().save(*args, **kwargs)

    def fill_in_place(self) -> None:
        """The first school and term where none is named, and a catalog course of its own where none is."""
        if self.school_id is None:
            self.school = Org.objects.first_school()
        if self.term_id is None:
            self.term = AcademicSession.objects.first_term()
        if self.catalog_course_id is None:
            self.catalog_course, _ = CatalogCourse.objects.get_or_create(
                org=self.school, code=self.code, defaults={"title": self.title}
            )
