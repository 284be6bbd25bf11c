"""The locks a change takes and the state it reads before planning.

Writers lock the student rows they change, then the course rows they touch (``SELECT … FOR NO KEY UPDATE`` on
PostgreSQL, each in id order, so writers never deadlock; SQLite's IMMEDIATE transactions serialize writers). A
course's row lock is held by every change to any of its associations, so its seat count and waitlist cannot move
while a change is planned.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import BigIntegerField, Count, Value

from config.iterables import batched
from courses.models import Course
from students.enrollment.errors import ChangedMeanwhile, CourseNotFound, StudentNotFound
from students.enrollment.planning import ENROLLED, WAITLISTED, CourseSeats, Pair
from students.models import Student, StudentCourse

READ_BATCH = 5000  # ids per IN (…) list: well under SQLite's 32,766 parameters


def lock_students(*, student_ids: Iterable[int]) -> list[int]:
    """Locks the students' rows until the transaction ends; raises ``StudentNotFound`` if one does not exist."""
    wanted = sorted(set(student_ids))
    found = [
        student_id
        for batch in batched(wanted, READ_BATCH)
        for student_id in Student.objects.select_for_update(no_key=True)
        .filter(id__in=batch)
        .order_by("id")
        .values_list("id", flat=True)
    ]
    if len(found) != len(wanted):
        missing = sorted(set(wanted) - set(found))
        raise StudentNotFound(f"No student has the id {', '.join(map(str, missing))}.")
    return found


TermDates = tuple[date, date]  # a course's term: its first day and the day after its last


@dataclass(frozen=True)
class LockedCourses:
    """The courses a change locked: each one's capacity (``None``: unlimited) and its term's dates (the writes
    date the associations from them)."""

    capacities: dict[int, int | None]
    terms: dict[int, TermDates]


def lock_courses(*, course_ids: Iterable[int], required: Iterable[int] = ()) -> LockedCourses:
    """Locks the courses' rows (not their terms'); reads each one's capacity and term dates in the same query.

    Raises ``CourseNotFound`` naming every id of ``required`` that has no course.
    """
    wanted = sorted(set(course_ids) | set(required))
    rows = (
        Course.objects.select_for_update(no_key=True, of=("self",))
        .filter(id__in=wanted)
        .order_by("id")
        .values_list("id", "capacity", "term__start_date", "term__end_date")
    )
    locked = LockedCourses(capacities={}, terms={})
    for course_id, capacity, start, end in rows:
        locked.capacities[course_id] = capacity
        locked.terms[course_id] = (start, end)
    missing = [course_id for course_id in sorted(set(required)) if course_id not in locked.capacities]
    if missing:
        raise CourseNotFound(missing)
    return locked


@dataclass
class State:
    """What planning needs: each association's status by pair, the seats of every course with a capacity, and the
    row id of every association read (the writes update rows by id)."""

    associations: dict[Pair, str] = field(default_factory=dict)
    seats: dict[int, CourseSeats] = field(default_factory=dict)
    row_ids: dict[Pair, int] = field(default_factory=dict)
    versions: dict[Pair, datetime] = field(default_factory=dict)  # status_changed_at: every change sets it
    given: dict[Pair, tuple[date | None, date | None]] = field(default_factory=dict)  # dates of new associations
    terms: dict[int, TermDates] = field(default_factory=dict)  # the term dates of the courses locked

    def read_courses(self, locked: LockedCourses, *, unlimited_too: bool = False) -> None:
        """Reads the seats of the locked courses (``read_seats``) and keeps their term dates for the writes."""
        self.terms.update(locked.terms)
        self.seats = read_seats(capacities=locked.capacities, row_ids=self.row_ids, unlimited_too=unlimited_too)

    def check_unchanged(self, expected: Mapping[Pair, datetime | None]) -> None:
        """Raises ``ChangedMeanwhile`` naming the associations whose version is not the one expected (``None``:
        expected not to exist): someone changed them since the caller read them."""
        changed = sorted(pair for pair, version in expected.items() if self.versions.get(pair) != version)
        if changed:
            raise ChangedMeanwhile(changed)

    def check_unchanged_since(self, pairs: Iterable[Pair], since: datetime) -> None:
        """Raises ``ChangedMeanwhile`` naming those of the associations that changed after ``since``."""
        changed = sorted({pair for pair in pairs if (version := self.versions.get(pair)) and version > since})
        if changed:
            raise ChangedMeanwhile(changed)


def read_associations(*, student_ids: Iterable[int], course_ids: Iterable[int] | None = None) -> State:
    """The students' associations (only with these courses, when given): one query per 5,000 students."""
    state = State()
    courses = None if course_ids is None else list(course_ids)
    for batch in batched(list(student_ids), READ_BATCH):
        rows = StudentCourse.objects.filter(student_id__in=batch)
        if courses is not None:
            rows = rows.filter(course_id__in=courses)
        columns = ("id", "student_id", "course_id", "status", "status_changed_at")
        for row_id, student_id, course_id, status, changed_at in rows.values_list(*columns):
            state.associations[student_id, course_id] = status
            state.row_ids[student_id, course_id] = row_id
            state.versions[student_id, course_id] = changed_at
    return state


def read_seats(
    *, capacities: dict[int, int | None], row_ids: dict[Pair, int], unlimited_too: bool = False
) -> dict[int, CourseSeats]:
    """The seats of the (locked) courses that have a capacity (or of all, with ``unlimited_too``): each one's
    enrolled count and waitlist, in one query (the waitlist's rows UNION ALL the counts; none when no course is
    limited). Adds the waitlisted rows' ids to ``row_ids``."""
    capacities = {c: capacity for c, capacity in capacities.items() if capacity is not None or unlimited_too}
    if not capacities:
        return {}
    rows = StudentCourse.objects.filter(course_id__in=list(capacities)).order_by()
    waiting = rows.filter(status=WAITLISTED).values_list("course_id", "id", "student_id", "waitlist_ticket")
    counts = (
        rows.filter(status=ENROLLED)
        .values("course_id")
        .annotate(row=Value(None, BigIntegerField()), student=Value(None, BigIntegerField()), count=Count("id"))
        .values_list("course_id", "row", "student", "count")
    )
    enrolled: dict[int, int] = {}
    waitlists: dict[int, list[tuple[int, int]]] = {course_id: [] for course_id in capacities}
    for course_id, row_id, student_id, number in waiting.union(counts, all=True):
        if row_id is None:
            enrolled[course_id] = number
        else:
            waitlists[course_id].append((number, student_id))
            row_ids[student_id, course_id] = row_id
    return {
        course_id: CourseSeats(
            capacity=capacity, enrolled=enrolled.get(course_id, 0), waitlist=tuple(sorted(waitlists[course_id]))
        )
        for course_id, capacity in capacities.items()
    }
