"""The entry points that change enrollments. The API, the admin, the commands and the CSV import call only these.

Each is one transaction that locks (students, then courses), reads the state, asks ``planning.plan`` what the
request does, and unless it is a dry run writes that (rows, one event each, promotions into freed seats). The number
of queries does not depend on how many courses or students a request names. All or nothing: a refused request
raises its ``EnrollmentError`` and changes nothing.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime

from django.db import transaction
from django.db.models import ProtectedError

from config.iterables import batched
from courses.models import Course
from students.enrollment.errors import HasEnrollmentHistory
from students.enrollment.outcomes import Change, Summary, carry_out, the_plan, the_student_change
from students.enrollment.planning import ACTIVE, COMPLETED, ENROLLED, WAITLISTED, Plan, Request, plan
from students.enrollment.state import (
    READ_BATCH,
    State,
    lock_courses,
    lock_students,
    read_associations,
    read_seats,
)
from students.enrollment.writing import SYSTEM, Actor
from students.models import EnrollmentStatus, Student, StudentCourse

__all__ = ["Change", "Summary"]  # what the entry points report


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
    expected: Mapping[int, datetime | None] | None = None,
    before_change: Callable[[], None] | None = None,
) -> Change:
    """Enrolls the student in the ``enroll`` courses and drops the ``drop`` ones; nothing else is touched.

    Courses enrolled in (or still waited for) are left as they are; a dropped or completed course is re-enrolled.
    A full course refuses the whole change (``CourseFull`` naming every full one) unless ``waitlist``. Unknown
    courses to enroll in are refused (``CourseNotFound``); unknown courses to drop are ignored. With ``expected``
    (course id: the association's ``status_changed_at`` as the caller read it, ``None`` for none), an association
    changed since is refused (``ChangedMeanwhile``), so the caller never undoes a change it has not seen.
    ``before_change`` is called once the locks are held, before anything is read: a channel's precondition.
    """
    wanted = set(enroll)
    if wanted and not drop and not expected:
        already = _plan_of_courses_already_taken(student_id, wanted, waitlist)
        if already is not None:
            _call(before_change)
            return the_student_change(already)
    lock_students(student_ids=[student_id])
    locked = lock_courses(course_ids=set(drop) - wanted, required=wanted)
    _call(before_change)
    state = read_associations(student_ids=[student_id], course_ids=set(locked.capacities) | set(expected or ()))
    state.check_unchanged({(student_id, c): version for c, version in (expected or {}).items()})
    state.read_courses(locked)
    request = Request(
        enroll=[(student_id, c) for c in wanted],
        drop=[(student_id, c) for c in set(drop) & set(locked.capacities)],
        waitlist=waitlist,
    )
    return carry_out(request, state, actor=actor, dry_run=dry_run, report=the_student_change)


@transaction.atomic
def set_courses(
    *,
    student_id: int,
    course_ids: Iterable[int],
    actor: Actor,
    waitlist: bool = False,
    dry_run: bool = False,
    before_change: Callable[[], None] | None = None,
) -> Change:
    """Makes the student's enrolled and waitlisted courses exactly the listed set; the others are dropped (``[]``
    drops them all; completed courses stay completed). All or nothing, like ``change_courses``. Every course the
    student is enrolled or waitlisted in is locked before ``before_change`` is called, so no promotion changes
    the student's courses after it."""
    wanted = set(course_ids)
    lock_students(student_ids=[student_id])
    active = StudentCourse.objects.filter(student_id=student_id, status__in=ACTIVE).values_list("course_id", flat=True)
    locked = lock_courses(course_ids=active, required=wanted)
    _call(before_change)
    state = read_associations(student_ids=[student_id], course_ids=locked.capacities)
    state.read_courses(locked)
    request = Request(enroll=[(student_id, c) for c in wanted], replace=True, waitlist=waitlist)
    return carry_out(request, state, actor=actor, dry_run=dry_run, report=the_student_change)


def _plan_of_courses_already_taken(student_id: int, wanted: set[int], waitlist: bool) -> Plan | None:
    """The plan of enrolling the student in ``wanted`` when, by the rule, it changes nothing without looking at
    any seat (every course is already enrolled or waited for), else None. Such a request needs no lock: one read
    of the associations is its answer, as of that read (clients repeating a sync mostly send these)."""
    statuses = StudentCourse.objects.filter(student_id=student_id, course_id__in=wanted).values_list(
        "course_id", "status"
    )
    request = Request(enroll=[(student_id, c) for c in wanted], waitlist=waitlist)
    already = plan(associations={(student_id, c): status for c, status in statuses}, seats={}, request=request)
    return already if not already.to_write and already.refusal is None else None


def _call(before_change: Callable[[], None] | None) -> None:
    if before_change is not None:
        before_change()


def _one_association(student_id: int, course_id: int, before_change: Callable[[], None] | None) -> State:
    lock_students(student_ids=[student_id])
    locked = lock_courses(course_ids=[course_id])
    _call(before_change)
    state = read_associations(student_ids=[student_id], course_ids=locked.capacities)
    state.read_courses(locked)
    return state


@transaction.atomic
def change_status(
    *,
    student_id: int,
    course_id: int,
    status: EnrollmentStatus,
    actor: Actor,
    before_change: Callable[[], None] | None = None,
) -> bool:
    """Moves one association to ``enrolled``, ``dropped`` or ``completed``; returns whether anything changed.

    Only an enrolled course can be completed, only an enrolled or waitlisted one dropped; enrolling needs a free
    seat. Raises ``AssociationNotFound`` if the student was never associated with the course.
    """
    request = Request(set_status={(student_id, course_id): status})
    plan = carry_out(
        request, _one_association(student_id, course_id, before_change), actor=actor, dry_run=False, report=the_plan
    )
    return bool(plan.changes)


@transaction.atomic
def drop(*, student_id: int, course_id: int, actor: Actor, before_change: Callable[[], None] | None = None) -> None:
    """Drops an enrolled or waitlisted course; raises ``AssociationNotFound`` if the student has no such course."""
    request = Request(drop=[(student_id, course_id)], strict_drops=True)
    carry_out(
        request, _one_association(student_id, course_id, before_change), actor=actor, dry_run=False, report=the_plan
    )


# Many students, one course, the course itself ----------------------------------------------------------------


@transaction.atomic
def enroll_many(
    *,
    changes: Mapping[int, tuple[Iterable[int], Iterable[int]]],
    actor: Actor,
    replace: bool = False,
    waitlist: bool = False,
    dry_run: bool = False,
    unchanged_since: datetime | None = None,
    dates: Mapping[tuple[int, int], tuple[date | None, date | None]] | None = None,
) -> Summary:
    """Applies, for many students at once, ``changes[student_id] = (course ids to enroll in, course ids to drop)``.
    An association it makes takes the ``(begin, end)`` that ``dates`` gives its pair, if any (a bundle's).

    With ``replace`` each listed student's enrolled and waitlisted courses become exactly the enroll set. Drops
    come first, so seats the change frees can be taken by it; seats go to the students in id order. All or
    nothing: raises ``CourseFull`` if the seats do not suffice, unless ``waitlist``; with ``unchanged_since``,
    raises ``ChangedMeanwhile`` if an association the change names was changed after that moment.
    """
    students = lock_students(student_ids=changes)
    state = read_associations(student_ids=students)
    state.given = dict(dates or {})
    if unchanged_since is not None:
        named_pairs = [(s, c) for s, (add, remove) in changes.items() for c in (*add, *remove)]
        state.check_unchanged_since(named_pairs, unchanged_since)
    named = {c for add, remove in changes.values() for c in (*add, *remove)}
    active = {c for (_, c), status in state.associations.items() if status in ACTIVE} if replace else set()
    state.read_courses(lock_courses(course_ids=named | active, required=named))
    request = Request(
        enroll=[(s, c) for s, (add, _) in changes.items() for c in add],
        drop=[(s, c) for s, (_, remove) in changes.items() for c in remove],
        replace=replace,
        waitlist=waitlist,
    )
    return carry_out(request, state, actor=actor, dry_run=dry_run, report=Summary.of)


@transaction.atomic
def change_course_students(
    *,
    course_id: int,
    enroll: Iterable[int] = (),
    drop: Iterable[int] = (),
    actor: Actor,
    waitlist: bool = False,
    expected: Mapping[int, datetime | None] | None = None,
    unchanged_since: datetime | None = None,
) -> Summary:
    """Enrolls the ``enroll`` students in the course and drops the ``drop`` ones (drops first, so a new student may
    take a seat another leaves). All or nothing: raises ``CourseFull`` if the seats do not suffice, unless
    ``waitlist`` puts the students left without one on the waitlist. ``expected`` (student id: version) as for
    ``change_courses``; with ``unchanged_since``, an association of these students changed after it is refused
    (``ChangedMeanwhile``)."""
    joining = set(enroll)
    leaving = set(drop) - joining
    students = lock_students(student_ids=joining | leaving | set(expected or ()))
    locked = lock_courses(course_ids=[course_id], required=[course_id])
    state = read_associations(student_ids=students, course_ids=locked.capacities)
    state.check_unchanged({(s, course_id): version for s, version in (expected or {}).items()})
    if unchanged_since is not None:
        state.check_unchanged_since([(s, course_id) for s in joining | leaving], unchanged_since)
    state.read_courses(locked)
    request = Request(
        enroll=[(s, course_id) for s in joining], drop=[(s, course_id) for s in leaving], waitlist=waitlist
    )
    return carry_out(request, state, actor=actor, dry_run=False, report=Summary.of)


@transaction.atomic
def close_courses(*, course_ids: Iterable[int], actor: Actor, dry_run: bool = False) -> Plan:
    """The end of the courses (a term's): every enrolled association is completed and every waitlisted one dropped
    (nobody is promoted into the seats the completions free); one event each, with the actor's reason. Returns the
    plan (a dry run changes nothing). Locks only the courses: every other change to their associations waits on
    them."""
    locked = lock_courses(course_ids=course_ids, required=course_ids)
    state = State()
    for batch in batched(sorted(locked.capacities), READ_BATCH):
        active = StudentCourse.objects.filter(course_id__in=batch, status__in=ACTIVE)
        for row_id, student_id, course_id, status in active.values_list("id", "student_id", "course_id", "status"):
            state.associations[student_id, course_id] = status
            state.row_ids[student_id, course_id] = row_id
    state.read_courses(locked, unlimited_too=True)
    request = Request(
        set_status={pair: COMPLETED for pair, status in state.associations.items() if status == ENROLLED},
        drop=[pair for pair, status in state.associations.items() if status == WAITLISTED],
    )
    return carry_out(request, state, actor=actor, dry_run=dry_run, report=the_plan)


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
    carry_out(Request(), state, actor=SYSTEM, dry_run=False, report=the_plan)
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
