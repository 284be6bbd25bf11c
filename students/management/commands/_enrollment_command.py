"""What the enrollment commands share: finding students and courses by id, email or code."""

from django.core.management.base import CommandError
from django.db.models import Q

from courses.models import Course, normalize_course_code
from students.models import Student, normalize_email


def find_student(reference: str) -> Student:
    """A student by id or email."""
    lookup = {"id": int(reference)} if reference.isdigit() else {"email": normalize_email(reference)}
    student = Student.objects.filter(**lookup).first()
    if student is None:
        raise CommandError(f"No student has the id or email {reference!r}.")
    return student


def find_courses(references: list[str]) -> list[Course]:
    """Courses by id or code, in the order given; every unknown one is named."""
    keys = [r if r.isdigit() else normalize_course_code(r) for r in references]
    ids = {int(key) for key in keys if key.isdigit()}
    found = Course.objects.filter(Q(id__in=ids) | Q(code__in=[key for key in keys if not key.isdigit()]))
    by_key = {str(c.id): c for c in found} | {c.code: c for c in found}
    missing = [r for r, key in zip(references, keys, strict=True) if key not in by_key]
    if missing:
        raise CommandError(f"No course has the id or code {', '.join(map(repr, missing))}.")
    return [by_key[key] for key in keys]
