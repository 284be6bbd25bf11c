"""Reads of students, their courses and enrollment history, shared by the API, the admin and the commands."""

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value

from courses.models import Course
from students.exceptions import AssociationNotFound, StudentNotFound
from students.models import EnrollmentEvent, EnrollmentStatus, Student, StudentCourse

COURSE_ITEM_COLUMNS = (
    "course_id",
    "course__code",
    "course__title",
    "course__description",
    "enrolled_at",
    "status",
    "waitlist_position",
)
STATUS_FILTERS = {
    **{status.value: (status.value,) for status in EnrollmentStatus},
    "all": tuple(EnrollmentStatus.values),
}


def _with_waitlist_position(rows: QuerySet[StudentCourse]) -> QuerySet[StudentCourse]:
    """Annotates 1-based waitlist positions (null unless waitlisted): how many of the course's waitlisted
    tickets are at or below this one."""
    ahead = (
        StudentCourse.objects.filter(
            course_id=OuterRef("course_id"),
            status=EnrollmentStatus.WAITLISTED,
            waitlist_ticket__lte=OuterRef("waitlist_ticket"),
        )
        .order_by()
        .values("course_id")
        .annotate(count=Count("id"))
        .values("count")
    )
    return rows.annotate(waitlist_position=Subquery(ahead, output_field=IntegerField()))


def _course_item(row: tuple) -> dict[str, Any]:
    course_id, code, title, description, enrolled_at, status, position = row
    return {
        "id": course_id,
        "code": code,
        "title": title,
        "description": description,
        "enrolled_at": enrolled_at,
        "status": status,
        "waitlist_position": position if status == EnrollmentStatus.WAITLISTED else None,
    }


def _course_items(rows: QuerySet[StudentCourse], statuses: tuple[str, ...]) -> list[dict[str, Any]]:
    if EnrollmentStatus.WAITLISTED in statuses:
        rows = _with_waitlist_position(rows)
    else:
        rows = rows.annotate(waitlist_position=Value(None, output_field=IntegerField()))
    return [_course_item(row) for row in rows.values_list(*COURSE_ITEM_COLUMNS)]


def student_courses(*, student_id: int, status: str = "enrolled") -> list[dict[str, Any]]:
    """The student's courses in ``status`` (``all`` for every status) ordered by code, as plain dicts ready to
    render: one query (two when there are none). Raises ``StudentNotFound`` when there is no such student.
    """
    statuses = STATUS_FILTERS[status]
    rows = StudentCourse.objects.filter(student_id=student_id, status__in=statuses).order_by("course__code")
    items = _course_items(rows, statuses)
    if not items and not Student.objects.filter(id=student_id).exists():
        raise StudentNotFound(f"No student has the id {student_id}.")
    return items


def student_course(*, student_id: int, course_id: int) -> dict[str, Any]:
    """One association of the student, whatever its status, shaped like an item of ``student_courses``."""
    rows = StudentCourse.objects.filter(student_id=student_id, course_id=course_id)
    for item in _course_items(rows, STATUS_FILTERS["all"]):
        return item
    raise AssociationNotFound(f"Student {student_id} has never been associated with course {course_id}.")


def course_students(*, course_id: int) -> QuerySet[Student]:
    """The students enrolled in the course, ordered by name."""
    return Student.objects.filter(
        student_courses__course_id=course_id, student_courses__status=EnrollmentStatus.ENROLLED
    )


def enrollment_history(*, student_id: int | None = None, course_id: int | None = None) -> QuerySet[EnrollmentEvent]:
    """Events of a student or a course (or both), newest first."""
    events = EnrollmentEvent.objects.all()
    if student_id is not None:
        events = events.filter(student_id=student_id)
    if course_id is not None:
        events = events.filter(course_id=course_id)
    return events.select_related("course").order_by("-created_at", "-id")


def enrolled_counts(*, course_ids) -> dict[int, int]:
    """How many students each course has enrolled (courses without any are absent); one query."""
    ids = list(course_ids)
    if not ids:
        return {}
    return dict(
        StudentCourse.objects.filter(course_id__in=ids, status=EnrollmentStatus.ENROLLED)
        .values("course_id")
        .annotate(count=Count("id"))
        .values_list("course_id", "count")
    )


def full_courses(courses: list[Course]) -> list[Course]:
    """Those of the courses without a free seat (one query)."""
    limited = [course for course in courses if course.capacity is not None]
    counts = enrolled_counts(course_ids=[course.id for course in limited])
    return [course for course in limited if counts.get(course.id, 0) >= course.capacity]
