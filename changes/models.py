from typing import Any

from django.db import models
from django.utils import timezone

from config.api_values import api_value


class ChangeType(models.TextChoices):
    ENROLLMENT_ENROLLED = "enrollment.enrolled"
    ENROLLMENT_WAITLISTED = "enrollment.waitlisted"
    ENROLLMENT_DROPPED = "enrollment.dropped"
    ENROLLMENT_COMPLETED = "enrollment.completed"
    STUDENT_CREATED = "student.created"
    STUDENT_UPDATED = "student.updated"
    STUDENT_DELETED = "student.deleted"
    COURSE_CREATED = "course.created"
    COURSE_UPDATED = "course.updated"
    COURSE_DELETED = "course.deleted"
    TEACHER_CREATED = "teacher.created"
    TEACHER_UPDATED = "teacher.updated"
    TEACHER_DELETED = "teacher.deleted"
    ASSIGNMENT_CREATED = "assignment.created"
    ASSIGNMENT_UPDATED = "assignment.updated"
    ASSIGNMENT_DELETED = "assignment.deleted"
    ORG_CREATED = "org.created"
    ORG_UPDATED = "org.updated"
    ORG_DELETED = "org.deleted"
    SESSION_CREATED = "session.created"
    SESSION_UPDATED = "session.updated"
    SESSION_DELETED = "session.deleted"
    CATALOG_COURSE_CREATED = "catalog_course.created"
    CATALOG_COURSE_UPDATED = "catalog_course.updated"
    CATALOG_COURSE_DELETED = "catalog_course.deleted"


class Change(models.Model):
    """One committed change of a student, a course, an enrollment, a teacher, a teacher's assignment, an org (a
    school), an academic session or a catalog course: an entry of the change feed. Append-only.

    ``position`` is the entry's place in the feed. It is not known when the change is written: it is given after
    the change's transaction commits (``changes.sequencing``), so the feed never serves a position past a change
    that is still in flight. ``data`` is the object as the API shows it at that moment (``{"id": …}`` once deleted).
    """

    position = models.BigIntegerField(null=True, blank=True, unique=True, editable=False)
    type = models.CharField(max_length=32, choices=ChangeType.choices)
    object_type = models.CharField(max_length=16)
    object_id = models.CharField(max_length=64, help_text="The id; an enrollment's is student/course.")
    data = models.JSONField()
    occurred_at = models.DateTimeField(default=timezone.now)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    channel = models.CharField(max_length=16)

    class Meta:
        db_table = "changes"
        ordering = ["position"]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(position__isnull=True), name="changes_unsequenced_idx"),
            models.Index(fields=["type", "position"], name="changes_type_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.position or '-'} {self.type} {self.object_id}"

    def as_entry(self) -> dict[str, Any]:
        """The entry as the feed and the webhooks show it."""
        return {
            "id": self.id,
            "cursor": str(self.position),
            "type": self.type,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "occurred_at": api_value(self.occurred_at),
            "actor": self.actor_username,
            "channel": self.channel,
            "data": self.data,
        }
