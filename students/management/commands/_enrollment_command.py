"""What the enrollment commands share: finding students and courses by id, email or code."""

from django.core.management.base import CommandError

from courses.models import Course
from students.models import Student


def find_student(reference: str) -> Student:
    """A student by id or email."""
    lookup = {"id": int(reference)} if reference.isdigit() else {"email": reference.strip().lower()}
    student = Student.objects.filter(**lookup).first()
    if student is None:
        raise CommandError(f"No student has the id or email {reference!r}.")
    return student


def find_courses(references: list[str]) -> list[Course]:
    """Courses by id or code, in the order given; every unknown one is named."""
    ids = {int(r) for r in references if r.isdigit()}
    codes = {r.strip().upper() for r in references if not r.isdigit()}
    found = list(Course.objects.filter(id__in=ids)) + list(Course.objects.filter(code__in=codes))
    by_reference = {str(c.id): c for c in found} | {c.code: c for c in found}
    missing = [r for r in references if (r if r.isdigit() else r.strip().upper()) not in by_reference]
    if missing:
        raise CommandError(f"No course has the id or code {', '.join(map(repr, missing))}.")
    return [by_reference[r if r.isdigit() else r.strip().upper()] for r in references]
