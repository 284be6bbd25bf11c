"""The entry points that change enrollments. The API, the admin, the commands and the CSV import call only these.

Each is one transaction that locks (students, then courses), reads the state, asks ``planning.plan`` what the
request does, and unless it is a dry run writes that (rows, one event each, promotions into freed seats). The number
of queries does not depend on how many courses or students a request names. All or nothing: a refused request
raises its ``EnrollmentError`` and changes nothing.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from django.db import transaction
from django.db.models import ProtectedError

from courses.models import Course
from students.enrollment import planning
from students.enrollment.errors import HasEnrollmentHistory
from students.enrollment.planning import ACTIVE, DROPPED, ENROLLED, WAITLISTED, Plan, Request
from students.enrollment.state import State, lock_courses, lock_students, read_associations, read_seats
from students.enrollment.writing import SYSTEM, Actor, write
from students.models import EnrollmentStatus, Student, StudentCourse

T = TypeVar("T")


@dataclass(frozen=True)
class Change:
    """What a change to one student's courses, or one course's students, does (or in a dry run would do): ids of
    the other side, ascending (course ids for a student, student ids for a course).

    ``added``: enrolled; ``removed``: dropped; ``waitlisted``: put on the waitlist; ``unchanged``: already so;
    ``full``: found no free seat (the change is refused unless the waitlist was asked for).
    """

    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    waitlisted: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    full: list[int] = field(default_factory=list)

    @classmethod
    def of(cls, plan: Plan, side: int) -> "Change":
        def ids(pairs) -> list[int]:
            return sorted(pair[side] for pair in pairs)

        return cls(
            added=ids(plan.moved_to(ENROLLED)),
            removed=ids(plan.moved_to(DROPPED)),
            waitlisted=ids(plan.moved_to(WAITLISTED)),
            unchanged=ids(plan.unchanged),
            full=ids(plan.full),
        )


@dataclass(frozen=True)
class Summary:
    """What a change to many associations does (or in a dry run would do): numbers of associations."""

    added: int
    dropped: int
    waitlisted: int
    unchanged: int

    @classmethod
    def of(cls, plan: Plan) -> "Summary":
        return cls(
            added=len(plan.moved_to(ENROLLED)),
            dropped=len(plan.moved_to(DROPPED)),
            waitlisted=len(plan.moved_to(WAITLISTED)),
            unchanged=len(plan.unchanged) + len(plan.not_dropped),
        )


def _carry_out(request: Request, state: State, *, actor: Actor, dry_run: bool, report: Callable[[Plan], T]) -> T:
    plan = planning.plan(associations=state.associations, seats=state.seats, request=request)
    if not dry_run:
        write(plan, row_ids=state.row_ids, actor=actor)
    return report(plan)


def _student_change(plan: Plan) -> Change:
    return Change.of(plan, side=1)


def _the_plan(plan: Plan) -> Plan:
    return plan


# One student's courses ---------------------------------------------------------------------------------------


@transaction.atomic
def change_courses(
    *,
    student_id: int,
    enroll: Iterable[int] = (),
    drop: Iterable[int] = (),
    actor: Actor,
    waitlist: bool = False,
    dry_run: bool = False,
) -> Change:
    """Enrolls the student in the ``enroll`` courses and drops the ``drop`` ones; nothing else is touched.

    Courses enrolled in (or still waited for) are left as they are; a dropped or completed course is re-enrolled.
    A full course refuses the whole change (``CourseFull`` naming every full one) unless ``waitlist``. Unknown
    courses to enroll in are refused (``CourseNotFound``); unknown courses to drop are ignored.
    """
    wanted = set(enroll)
    lock_students(student_ids=[student_id])
    capacities = lock_courses(course_ids=set(drop) - wanted, required=wanted)
    state = read_associations(student_ids=[student_id], course_ids=capacities)
    state.seats = read_seats(capacities=capacities, row_ids=state.row_ids)
    request = Request(
        enroll=[(student_id, c) for c in wanted],
        drop=[(student_id, c) for c in set(drop) & set(capacities)],
        waitlist=waitlist,
    )
    return _carry_out(request, state, actor=actor, dry_run=dry_run, report=_student_change)


@transaction.atomic
def set_courses(
    *, student_id: int, course_ids: Iterable[int], actor: Actor, waitlist: bool = False, dry_run: bool = False
) -> Change:
    """Makes the student's enrolled and waitlisted courses exactly the listed set; the others are dropped (``[]``
    drops them all; completed courses stay completed). All or nothing, like ``change_courses``."""
    wanted = set(course_ids)
    lock_students(student_ids=[student_id])
    active = StudentCourse.objects.filter(student_id=student_id, status__in=ACTIVE).values_list("course_id", flat=True)
    capacities = lock_courses(course_ids=active, required=wanted)
    state = read_associations(student_ids=[student_id], course_ids=capacities)
    state.seats = read_seats(capacities=capacities, row_ids=state.row_ids)
    request = Request(enroll=[(student_id, c) for c in wanted], replace=True, waitlist=waitlist)
    return _carry_out(request, state, actor=actor, dry_run=dry_run, report=_student_change)


def _one_association(student_id: int, course_id: int) -> State:
    lock_students(student_ids=[student_id])
    capacities = lock_courses(course_ids=[course_id])
    state = read_associations(student_ids=[student_id], course_ids=capacities)
    state.seats = read_seats(capacities=capacities, row_ids=state.row_ids)
    return state


@transaction.atomic
def change_status(*, student_id: int, course_id: int, status: EnrollmentStatus, actor: Actor) -> bool:
    """Moves one association to ``enrolled``, ``dropped`` or ``completed``; returns whether anything changed.

    Only an enrolled course can be completed, only an enrolled or waitlisted one dropped; enrolling needs a free
    seat. Raises ``AssociationNotFound`` if the student was never associated with the course.
    """
    request = Request(set_status={(student_id, course_id): status})
    plan = _carry_out(request, _one_association(student_id, course_id), actor=actor, dry_run=False, report=_the_plan)
    return bool(plan.changes)


@transaction.atomic
def drop(*, student_id: int, course_id: int, actor: Actor) -> None:
    """Drops an enrolled or waitlisted course; raises ``AssociationNotFound`` if the student has no such course."""
    request = Request(drop=[(student_id, course_id)], strict_drops=True)
    _carry_out(request, _one_association(student_id, course_id), actor=actor, dry_run=False, report=_the_plan)


# Many students, one course, the course itself ----------------------------------------------------------------


@transaction.atomic
def enroll_many(
    *,
    changes: Mapping[int, tuple[Iterable[int], Iterable[int]]],
    actor: Actor,
    replace: bool = False,
    waitlist: bool = False,
    dry_run: bool = False,
) -> Summary:
    """Applies, for many students at once, ``changes[student_id] = (course ids to enroll in, course ids to drop)``.

    With ``replace`` each listed student's enrolled and waitlisted courses become exactly the enroll set. Drops
    come first, so seats the change frees can be taken by it; seats go to the students in id order. All or
    nothing: raises ``CourseFull`` if the seats do not suffice, unless ``waitlist``.
    """
    students = lock_students(student_ids=changes)
    state = read_associations(student_ids=students)
    named = {c for add, remove in changes.values() for c in (*add, *remove)}
    active = {c for (_, c), status in state.associations.items() if status in ACTIVE} if replace else set()
    capacities = lock_courses(course_ids=named | active, required=named)
    state.seats = read_seats(capacities=capacities, row_ids=state.row_ids)
    request = Request(
        enroll=[(s, c) for s, (add, _) in changes.items() for c in add],
        drop=[(s, c) for s, (_, remove) in changes.items() for c in remove],
        replace=replace,
        waitlist=waitlist,
    )
    return _carry_out(request, state, actor=actor, dry_run=dry_run, report=Summary.of)


@transaction.atomic
def change_course_students(
    *, course_id: int, enroll: Iterable[int] = (), drop: Iterable[int] = (), actor: Actor, waitlist: bool = False
) -> Summary:
    """Enrolls the ``enroll`` students in the course and drops the ``drop`` ones (drops first, so a new student may
    take a seat another leaves). All or nothing: raises ``CourseFull`` if the seats do not suffice, unless
    ``waitlist`` puts the students left without one on the waitlist."""
    joining = set(enroll)
    leaving = set(drop) - joining
    students = lock_students(student_ids=joining | leaving)
    capacities = lock_courses(course_ids=[course_id], required=[course_id])
    state = read_associations(student_ids=students, course_ids=capacities)
    state.seats = read_seats(capacities=capacities, row_ids=state.row_ids)
    request = Request(
        enroll=[(s, course_id) for s in joining], drop=[(s, course_id) for s in leaving], waitlist=waitlist
    )
    return _carry_out(request, state, actor=actor, dry_run=False, report=Summary.of)


@transaction.atomic
def update_course(*, course_id: int, changes: Mapping[str, object]) -> Course:
    """Updates a course's fields; when its capacity grows (or becomes unlimited) the waitlist moves up at once.

    Lowering the capacity below the number enrolled keeps everyone enrolled; new students wait until there is room.
    """
    lock_courses(course_ids=[course_id], required=[course_id])
    course = Course.objects.get(id=course_id)
    for name, value in changes.items():
        setattr(course, name, value)
    course.save()
    state = State()
    state.seats = read_seats(capacities={course.id: course.capacity}, row_ids=state.row_ids, unlimited_too=True)
    _carry_out(Request(), state, actor=SYSTEM, dry_run=False, report=_the_plan)
    return course


def _delete(model: type[Student] | type[Course], object_id: int) -> None:
    try:
        with transaction.atomic():
            model.objects.filter(id=object_id).delete()
    except ProtectedError as error:
        raise HasEnrollmentHistory() from error


def delete_student(*, student_id: int) -> None:
    """Deletes a student who has no enrollment history; raises ``HasEnrollmentHistory`` otherwise."""
    _delete(Student, student_id)


def delete_course(*, course_id: int) -> None:
    """Deletes a course that has no enrollment history; raises ``HasEnrollmentHistory`` otherwise."""
    _delete(Course, course_id)
