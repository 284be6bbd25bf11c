"""What a change would do, planned by the same rule without locks or writes: an admin form's check before it saves.

The save itself plans again under its locks, so a seat taken in between is still refused (the admin says so).
"""

from collections.abc import Iterable
from datetime import datetime

from courses.models import Course
from students.enrollment import planning
from students.enrollment.planning import Request
from students.enrollment.services import Change
from students.enrollment.state import State, read_associations, read_seats

NEW = 0  # the id planned for a student or course that is not saved yet (no row has it)


def _plan(request: Request, state: State) -> planning.Plan:
    return planning.plan(associations=state.associations, seats=state.seats, request=request)


def preview_courses(*, student_id: int | None, enroll: Iterable[int], drop: Iterable[int], waitlist: bool) -> Change:
    """What ``change_courses`` would do for this student (``None``: one being created); course ids."""
    courses = set(enroll) | set(drop)
    capacities = dict(Course.objects.filter(id__in=courses).values_list("id", "capacity"))
    state = read_associations(student_ids=[student_id], course_ids=capacities) if student_id else State()
    state.seats = read_seats(capacities=capacities, row_ids=state.row_ids)
    student = student_id or NEW
    request = Request(enroll=[(student, c) for c in enroll], drop=[(student, c) for c in drop], waitlist=waitlist)
    return Change.of(_plan(request, state), side=1)


def preview_course_students(
    *,
    course_id: int | None,
    capacity: int | None,
    enroll: Iterable[int],
    drop: Iterable[int],
    waitlist: bool,
    unchanged_since: datetime | None = None,
) -> Change:
    """What ``change_course_students`` would do for this course (``None``: one being created) if its capacity were
    ``capacity``; student ids. Raises ``ChangedMeanwhile`` as the service would for ``unchanged_since``."""
    course = course_id or NEW
    joining, leaving = set(enroll), set(drop)
    state = read_associations(student_ids=joining | leaving, course_ids=[course]) if course_id else State()
    if unchanged_since is not None:
        state.check_unchanged_since([(s, course) for s in joining | leaving], unchanged_since)
    if course_id:
        state.seats = read_seats(capacities={course: capacity}, row_ids=state.row_ids)
    elif capacity is not None:
        state.seats = {NEW: planning.CourseSeats(capacity=capacity)}
    request = Request(enroll=[(s, course) for s in joining], drop=[(s, course) for s in leaving], waitlist=waitlist)
    return Change.of(_plan(request, state), side=0)
