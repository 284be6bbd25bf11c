"""Every write to students' course associations. The API, the admin and the commands all call these functions.

Each function is one transaction. It first locks the student rows it changes (``SELECT … FOR NO KEY UPDATE`` on
PostgreSQL, in id order so writers never deadlock; SQLite's IMMEDIATE transactions serialize writers anyway),
then reads the current associations, then writes only the difference in bulk. Concurrent requests for one
student therefore run one after another, each seeing the result of the previous one: repeating a request is a
no-op, two identical requests can never make two rows, and the number of queries does not depend on how many
courses a request names.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from courses.models import Course
from students.exceptions import AssociationNotFound, CourseNotFound, StudentNotFound
from students.models import Student, StudentCourse


@dataclass(frozen=True)
class AssociationChange:
    """What a write did to one student's courses: course ids added, removed and already so, ascending."""

    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class BulkAssociationResult:
    """What a bulk association did: how many (student, course) pairs were added and how many existed already."""

    added: int
    existing: int


def lock_students(*, student_ids: Iterable[int]) -> list[int]:
    """Locks the students' rows until the transaction ends; raises ``StudentNotFound`` if one does not exist."""
    wanted = sorted(set(student_ids))
    found = list(
        Student.objects.select_for_update(no_key=True).filter(id__in=wanted).order_by("id").values_list("id", flat=True)
    )
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - set(found))
        raise StudentNotFound(f"No student has the id {', '.join(map(str, missing))}.")
    return found


def existing_course_ids(*, course_ids: Iterable[int]) -> list[int]:
    """The distinct ids, ascending; raises ``CourseNotFound`` naming every id that has no course."""
    wanted = sorted(set(course_ids))
    if not wanted:
        return []
    found = set(Course.objects.filter(id__in=wanted).values_list("id", flat=True))
    missing = [course_id for course_id in wanted if course_id not in found]
    if missing:
        raise CourseNotFound(missing)
    return wanted


def _associated_course_ids(*, student_id: int) -> set[int]:
    return set(StudentCourse.objects.filter(student_id=student_id).values_list("course_id", flat=True))


@transaction.atomic
def associate_courses(*, student_id: int, course_ids: Iterable[int]) -> AssociationChange:
    """Associates every listed course with the student; courses already associated are left as they are."""
    lock_students(student_ids=[student_id])
    wanted = existing_course_ids(course_ids=course_ids)
    current = _associated_course_ids(student_id=student_id)
    added = [course_id for course_id in wanted if course_id not in current]
    StudentCourse.objects.bulk_create(StudentCourse(student_id=student_id, course_id=course_id) for course_id in added)
    return AssociationChange(added=added, unchanged=[course_id for course_id in wanted if course_id in current])


def associate_course(*, student_id: int, course_id: int) -> bool:
    """Associates one course with the student. Returns whether it is new (false: it was associated already)."""
    return bool(associate_courses(student_id=student_id, course_ids=[course_id]).added)


@transaction.atomic
def set_courses(*, student_id: int, course_ids: Iterable[int]) -> AssociationChange:
    """Makes the student's courses exactly the listed set (an empty list removes them all)."""
    lock_students(student_ids=[student_id])
    wanted = existing_course_ids(course_ids=course_ids)
    current = _associated_course_ids(student_id=student_id)
    removed = sorted(current - set(wanted))
    added = [course_id for course_id in wanted if course_id not in current]
    if removed:
        StudentCourse.objects.filter(student_id=student_id, course_id__in=removed).delete()
    StudentCourse.objects.bulk_create(StudentCourse(student_id=student_id, course_id=course_id) for course_id in added)
    return AssociationChange(added=added, removed=removed, unchanged=sorted(current & set(wanted)))


@transaction.atomic
def remove_course(*, student_id: int, course_id: int) -> None:
    """Removes one course from the student; raises ``AssociationNotFound`` if it was not associated."""
    lock_students(student_ids=[student_id])
    deleted, _ = StudentCourse.objects.filter(student_id=student_id, course_id=course_id).delete()
    if not deleted:
        raise AssociationNotFound(f"Course {course_id} is not associated with student {student_id}.")
