"""The district's shape: its orgs (a district and its schools; OneRoster's other org types allowed) and its academic
sessions (school years, and the terms and grading periods within them). OneRoster serves both from here.

The first school is the school every student and course belongs to, and the first term the term every course is
in, until students and courses name their own (the district model's next steps).
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

ORG_API_FIELDS = ("id", "sourced_id", "name", "type", "identifier", "parent", "created_at", "updated_at")
SESSION_API_FIELDS = (
    *("id", "sourced_id", "title", "type", "start_date", "end_date", "school_year", "parent"),
    *("created_at", "updated_at"),
)
MAX_DEPTH = 20  # levels of a tree of orgs or sessions checked for a loop (a nation, a state, … a department)


class Record(models.Model):
    """What an org and an academic session share: a OneRoster sourcedId, a parent of its own kind, when it changed."""

    sourced_id = models.UUIDField("OneRoster sourcedId", default=uuid.uuid4, unique=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def clean(self) -> None:
        """Refuses a parent that is the record itself or below it (a loop: a district inside its own school)."""
        super().clean()
        ancestor, steps = self.parent, 0
        while ancestor is not None and steps < MAX_DEPTH:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "This would put it inside itself: choose a parent above it."})
            ancestor, steps = ancestor.parent, steps + 1


class OrgType(models.TextChoices):
    DISTRICT = "district"
    SCHOOL = "school"
    DEPARTMENT = "department"
    LOCAL = "local"
    STATE = "state"
    NATIONAL = "national"


class OrgQuerySet(models.QuerySet):
    def first_school(self) -> "Org | None":
        """The school every student and course belongs to (until they name their own): the first one made."""
        return self.filter(type=OrgType.SCHOOL).order_by("id").first()

    def named(self, text: str) -> "Org":
        """The org ``text`` names (as staff type it in a command): its id, its sourcedId or its name. Raises
        ``LookupError`` saying why when none or several do."""
        if text.isdigit():
            found = self.filter(id=int(text))
        else:
            try:
                found = self.filter(sourced_id=uuid.UUID(text))
            except ValueError:
                found = self.filter(name=text)
        match list(found[:2]):
            case [org]:
                return org
            case []:
                raise LookupError(f"No school or org is {text!r}.")
            case _:
                raise LookupError(f"Several orgs are named {text!r}: give its id or sourcedId.")


class Org(Record):
    name = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=OrgType.choices, default=OrgType.SCHOOL)
    identifier = models.CharField(max_length=100, blank=True, help_text="The district's or state's own code for it.")

    objects = OrgQuerySet.as_manager()

    class Meta:
        db_table = "orgs"
        ordering = ["name", "id"]
        verbose_name = "school or district"
        verbose_name_plural = "schools and districts"
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="orgs_not_their_own_parent",
                violation_error_message="A school or district is not its own parent.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_type_display()})"


class SessionType(models.TextChoices):
    SCHOOL_YEAR = "schoolYear", "school year"
    SEMESTER = "semester"
    TERM = "term"
    GRADING_PERIOD = "gradingPeriod", "grading period"


class SessionQuerySet(models.QuerySet):
    def first_term(self) -> "AcademicSession | None":
        """The term every course is in (until courses name their own): the first one made."""
        return self.filter(type=SessionType.TERM).order_by("id").first()


class AcademicSession(Record):
    title = models.CharField(max_length=200)
    type = models.CharField(max_length=16, choices=SessionType.choices, default=SessionType.TERM)
    start_date = models.DateField()
    end_date = models.DateField(help_text="The day after the last one (exclusive, as OneRoster has it).")
    school_year = models.CharField(
        max_length=4,
        validators=[RegexValidator(r"^\d{4}$", "A year, such as 2027.")],
        help_text="The year the school year ends in, as OneRoster has it: 2027 for 2026-2027.",
    )

    objects = SessionQuerySet.as_manager()

    class Meta:
        db_table = "academic_sessions"
        ordering = ["start_date", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=F("start_date")),
                name="academic_sessions_end_after_start",
                violation_error_message="A session ends after it starts: its end date is the day after its last day.",
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="academic_sessions_not_their_own_parent",
                violation_error_message="A session is not its own parent.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%Y-%m-%d} to {self.end_date:%Y-%m-%d})"
