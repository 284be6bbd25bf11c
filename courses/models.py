from django.db import models
from django.db.models.functions import Upper


class Course(models.Model):
    """A course the school offers, identified by a short code such as ``CS101``.

    Codes are stored upper-case (a database check enforces it), so uniqueness is case-insensitive.
    """

    code = models.CharField(max_length=32, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    capacity = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many students may be enrolled at once; empty means unlimited."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "courses"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(code=Upper("code")), name="courses_code_upper_case"),
            models.CheckConstraint(
                condition=models.Q(capacity__isnull=True) | models.Q(capacity__gt=0), name="courses_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title}"
