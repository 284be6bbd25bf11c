"""Every write to enrollments. The API, the admin and the commands all call these functions.

Each public function is one transaction that follows the same steps:

1. lock the student rows it changes, then the course rows it touches (``SELECT … FOR NO KEY UPDATE`` on
   PostgreSQL, each in id order, so writers never deadlock; SQLite's IMMEDIATE transactions serialize writers);
2. read the current associations and the courses' enrolled counts, and plan the change (``AssociationChange``);
3. unless it is a dry run, write the difference in bulk, one ``EnrollmentEvent`` per association changed, and
   promote the longest-waiting students into seats that were freed.

A course's row lock is held by every change to any of its associations, so capacity is never exceeded and the
waitlist keeps its order under concurrent requests. The number of queries does not depend on how many courses a
request names. Rows are never deleted: dropping or completing changes the status.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from courses.models import Course
from students.exceptions import (
    AssociationNotFound,
    CourseFull,
    CourseNotFound,
    InvalidStatusChange,
    StudentNotFound,
)
from students.models import Channel, EnrollmentEvent, EnrollmentStatus, Student, StudentCourse
from students.selectors import enrolled_counts

ENROLLED, WAITLISTED = EnrollmentStatus.ENROLLED, EnrollmentStatus.WAITLISTED
DROPPED, COMPLETED = EnrollmentStatus.DROPPED, EnrollmentStatus.COMPLETED
ACTIVE = (ENROLLED, WAITLISTED)
# What planning a change reads of each association row (the others are only written).
PLANNED_FIELDS = ("id", "student_id", "course_id", "status")


@dataclass(frozen=True)
class Actor:
    """Who makes a change and through which channel; every event records both."""

    channel: Channel
    user: AbstractBaseUser | None = None


SYSTEM = Actor(channel=Channel.SYSTEM)


@dataclass(frozen=True)
class AssociationChange:
    """What a write does (or, in a dry run, would do) to one student's courses; course ids, ascending.

    ``added``: will be enrolled; ``removed``: will be dropped; ``waitlisted``: will join the waitlist;
    ``unchanged``: already so; ``full``: no free seat (the write is refused unless the waitlist was asked for).
    """

    added: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    waitlisted: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    full: list[int] = field(default_factory=list)


@dataclass
class _Transition:
    """One association moving to ``new_status``; ``row`` is None when the association is new."""

    student_id: int
    course_id: int
    row: StudentCourse | None
    new_status: EnrollmentStatus
    previous: str = field(init=False)

    def __post_init__(self) -> None:
        self.previous = self.row.status if self.row else ""


# Locks and reads ------------------------------------------------------------------------------------------------


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


def lock_courses(*, course_ids: Iterable[int], required: Iterable[int] = ()) -> dict[int, int | None]:
    """Locks the courses' rows; returns each one's capacity (``None``: unlimited).

    Raises ``CourseNotFound`` naming every id of ``required`` that has no course.
    """
    wanted = sorted(set(course_ids) | set(required))
    capacities = dict(
        Course.objects.select_for_update(no_key=True).filter(id__in=wanted).order_by("id").values_list("id", "capacity")
    )
    missing = [course_id for course_id in sorted(set(required)) if course_id not in capacities]
    if missing:
        raise CourseNotFound(missing)
    return capacities


def _has_seat(course_id: int, capacities: dict[int, int | None], counts: dict[int, int]) -> bool:
    capacity = capacities[course_id]
    return capacity is None or counts.get(course_id, 0) < capacity


# Writes ---------------------------------------------------------------------------------------------------------


def _next_tickets(course_ids: Iterable[int]) -> dict[int, int]:
    latest = dict(
        StudentCourse.objects.filter(course_id__in=list(course_ids), status=WAITLISTED)
        .values("course_id")
        .annotate(latest=Max("waitlist_ticket"))
        .values_list("course_id", "latest")
    )
    return defaultdict(int, latest)


def _apply(transitions: list[_Transition], actor: Actor) -> None:
    """Writes the transitions and one event each, in a constant number of queries."""
    if not transitions:
        return
    now = timezone.now()
    tickets = _next_tickets({t.course_id for t in transitions if t.new_status == WAITLISTED})
    new_rows, changed_rows, events = [], [], []
    for t in transitions:
        ticket = None
        if t.new_status == WAITLISTED:
            tickets[t.course_id] += 1
            ticket = tickets[t.course_id]
        row = t.row or StudentCourse(student_id=t.student_id, course_id=t.course_id, enrolled_at=now)
        row.status, row.status_changed_at, row.waitlist_ticket = t.new_status, now, ticket
        if t.new_status == ENROLLED:
            row.enrolled_at = now
        (changed_rows if t.row else new_rows).append(row)
        events.append(
            EnrollmentEvent(
                student_id=t.student_id,
                course_id=t.course_id,
                previous_status=t.previous,
                new_status=t.new_status,
                actor_id=actor.user.pk if actor.user else None,
                actor_username=actor.user.get_username() if actor.user else "",
                channel=actor.channel,
                created_at=now,
            )
        )
    StudentCourse.objects.bulk_create(new_rows)
    _update_changed_rows(changed_rows, now)
    EnrollmentEvent.objects.bulk_create(events)


def _update_changed_rows(rows: list[StudentCourse], now) -> None:
    """Saves status changes with one UPDATE per new status (Django's bulk_update compiles a CASE per row, which
    costs seconds for a thousand rows); waitlisted rows each carry their own ticket, so they are saved apiece."""
    by_status: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_status[row.status].append(row.id)
    for status, ids in by_status.items():
        if status == WAITLISTED:
            continue
        fields = {"status": status, "status_changed_at": now, "waitlist_ticket": None}
        if status == ENROLLED:
            fields["enrolled_at"] = now
        StudentCourse.objects.filter(id__in=ids).update(**fields)
    waitlisted = [row for row in rows if row.status == WAITLISTED]
    if waitlisted:
        StudentCourse.objects.bulk_update(waitlisted, ["status", "status_changed_at", "waitlist_ticket"])


def _promote_waitlisted(capacities: dict[int, int | None]) -> None:
    """Fills the free seats of these (locked) courses with their longest-waiting students, first come first served."""
    if not capacities:
        return
    waiting = defaultdict(list)
    for row in StudentCourse.objects.filter(course_id__in=list(capacities), status=WAITLISTED).order_by(
        "course_id", "waitlist_ticket"
    ):
        waiting[row.course_id].append(row)
    if not waiting:
        return
    counts = enrolled_counts(course_ids=waiting)
    promotions = []
    for course_id, rows in waiting.items():
        capacity = capacities[course_id]
        free = len(rows) if capacity is None else max(capacity - counts.get(course_id, 0), 0)
        promotions += [_Transition(row.student_id, course_id, row, ENROLLED) for row in rows[:free]]
    _apply(promotions, SYSTEM)


def _plan(
    *,
    student_id: int,
    wanted: list[int],
    drop: list[int],
    capacities: dict[int, int | None],
    waitlist: bool,
) -> tuple[AssociationChange, list[_Transition]]:
    rows = {
        row.course_id: row
        for row in StudentCourse.objects.filter(student_id=student_id, course_id__in=[*wanted, *drop]).only(
            *PLANNED_FIELDS
        )
    }
    counts = enrolled_counts(course_ids=[c for c in wanted if capacities[c] is not None])
    added, waitlisted, unchanged, full, transitions = [], [], [], [], []
    for course_id in wanted:
        row = rows.get(course_id)
        status = row.status if row else None
        if status in ACTIVE and (status == ENROLLED or not _has_seat(course_id, capacities, counts)):
            unchanged.append(course_id)  # enrolled, or still waiting for a seat: nothing to do
        elif _has_seat(course_id, capacities, counts):
            added.append(course_id)
            transitions.append(_Transition(student_id, course_id, row, ENROLLED))
        else:
            full.append(course_id)
            if waitlist:
                waitlisted.append(course_id)
                transitions.append(_Transition(student_id, course_id, row, WAITLISTED))
    removed = [course_id for course_id in drop if course_id in rows and rows[course_id].status in ACTIVE]
    transitions += [_Transition(student_id, course_id, rows[course_id], DROPPED) for course_id in removed]
    change = AssociationChange(added=added, removed=removed, waitlisted=waitlisted, unchanged=unchanged, full=full)
    return change, transitions


def _freed(transitions: list[_Transition], capacities: dict[int, int | None]) -> dict[int, int | None]:
    """The courses in which these transitions free an enrolled seat."""
    return {
        t.course_id: capacities[t.course_id] for t in transitions if t.previous == ENROLLED and t.new_status != ENROLLED
    }


def _execute(
    *, student_id: int, wanted: list[int], drop: list[int], capacities: dict, waitlist: bool, dry_run: bool, actor
) -> AssociationChange:
    change, transitions = _plan(
        student_id=student_id, wanted=wanted, drop=drop, capacities=capacities, waitlist=waitlist
    )
    if dry_run:
        return change
    if change.full and not waitlist:
        raise CourseFull(change.full)
    _apply(transitions, actor)
    _promote_waitlisted(_freed(transitions, capacities))
    return change


# Public services -------------------------------------------------------------------------------------------------


@transaction.atomic
def change_courses(
    *,
    student_id: int,
    add: Iterable[int] = (),
    drop: Iterable[int] = (),
    actor: Actor,
    waitlist: bool = False,
    dry_run: bool = False,
) -> AssociationChange:
    """Enrolls the student in the ``add`` courses and drops the ``drop`` ones; nothing else is touched.

    Courses already enrolled in (or still waited for) are left as they are; a dropped or completed course is
    re-enrolled. All or nothing: if a course to add has no free seat, raises ``CourseFull`` naming every full one,
    unless ``waitlist`` puts the student on those courses' waitlists.
    """
    wanted = sorted(set(add))
    dropped = sorted(set(drop) - set(wanted))
    lock_students(student_ids=[student_id])
    capacities = lock_courses(course_ids=dropped, required=wanted)
    return _execute(
        student_id=student_id,
        wanted=wanted,
        drop=[course_id for course_id in dropped if course_id in capacities],
        capacities=capacities,
        waitlist=waitlist,
        dry_run=dry_run,
        actor=actor,
    )


def associate_courses(
    *, student_id: int, course_ids: Iterable[int], actor: Actor, waitlist: bool = False, dry_run: bool = False
) -> AssociationChange:
    """Enrolls the student in every listed course (see ``change_courses``)."""
    return change_courses(student_id=student_id, add=course_ids, actor=actor, waitlist=waitlist, dry_run=dry_run)


@transaction.atomic
def set_courses(
    *, student_id: int, course_ids: Iterable[int], actor: Actor, waitlist: bool = False, dry_run: bool = False
) -> AssociationChange:
    """Makes the student's enrolled (and waitlisted) courses exactly the listed set; the others are dropped.

    ``[]`` drops them all. Completed courses that are not listed stay completed. All or nothing, like
    ``associate_courses``.
    """
    wanted = sorted(set(course_ids))
    lock_students(student_ids=[student_id])
    active = set(
        StudentCourse.objects.filter(student_id=student_id, status__in=ACTIVE).values_list("course_id", flat=True)
    )
    capacities = lock_courses(course_ids=active, required=wanted)
    return _execute(
        student_id=student_id,
        wanted=wanted,
        drop=sorted(active - set(wanted)),
        capacities=capacities,
        waitlist=waitlist,
        dry_run=dry_run,
        actor=actor,
    )


def associate_course(*, student_id: int, course_id: int, actor: Actor, waitlist: bool = False) -> AssociationChange:
    """Enrolls the student in one course (see ``associate_courses``)."""
    return associate_courses(student_id=student_id, course_ids=[course_id], actor=actor, waitlist=waitlist)


@transaction.atomic
def change_status(*, student_id: int, course_id: int, status: EnrollmentStatus, actor: Actor) -> bool:
    """Moves one association to ``enrolled``, ``dropped`` or ``completed``. Returns whether anything changed.

    Only an enrolled course can be completed, only an enrolled or waitlisted one dropped; enrolling needs a free
    seat. Raises ``AssociationNotFound`` if the student was never associated with the course.
    """
    return _change_one(student_id=student_id, course_id=course_id, status=status, actor=actor)


@transaction.atomic
def drop_course(*, student_id: int, course_id: int, actor: Actor) -> None:
    """Drops an enrolled or waitlisted course; raises ``AssociationNotFound`` if the student has no such course."""
    _change_one(student_id=student_id, course_id=course_id, status=DROPPED, actor=actor, only_from=ACTIVE)


def _change_one(
    *, student_id: int, course_id: int, status: EnrollmentStatus, actor: Actor, only_from: tuple = ()
) -> bool:
    lock_students(student_ids=[student_id])
    capacities = lock_courses(course_ids=[course_id])
    row = StudentCourse.objects.filter(student_id=student_id, course_id=course_id).first()
    if row is None or (only_from and row.status not in only_from):
        state = "never been associated with" if row is None else f"no {' or '.join(only_from)} association to"
        raise AssociationNotFound(f"Student {student_id} has {state} course {course_id}.")
    if row.status == status:
        return False
    allowed_from = {ENROLLED: (DROPPED, COMPLETED, WAITLISTED), DROPPED: ACTIVE, COMPLETED: (ENROLLED,)}
    if status not in allowed_from or row.status not in allowed_from[status]:
        raise InvalidStatusChange(f"A {row.status} association cannot become {status}.")
    if status == ENROLLED and not _has_seat(course_id, capacities, enrolled_counts(course_ids=[course_id])):
        raise CourseFull([course_id])
    transition = _Transition(student_id, course_id, row, status)
    _apply([transition], actor)
    _promote_waitlisted(_freed([transition], capacities))
    return True


@dataclass(frozen=True)
class EnrollmentSummary:
    """What a bulk change did (or, in a dry run, would do): numbers of (student, course) associations."""

    added: int
    dropped: int
    waitlisted: int
    unchanged: int


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def change_enrollments(
    *,
    changes: dict[int, tuple[Iterable[int], Iterable[int]]],
    actor: Actor,
    replace: bool = False,
    waitlist: bool = False,
    dry_run: bool = False,
    chunk_size: int = 2000,
) -> EnrollmentSummary:
    """Applies, for many students at once, ``changes[student_id] = (course ids to add, course ids to drop)``.

    With ``replace`` each listed student's enrolled (and waitlisted) courses become exactly the ``add`` set. Drops
    are planned before adds, so seats the change frees can be taken by it. All or nothing: raises ``CourseFull``
    if the seats do not suffice, unless ``waitlist``. Locks every student, then every course, in id order; reads
    and writes in chunks, so the number of queries grows with the number of chunks, not of rows.
    """
    students = lock_students(student_ids=changes)
    rows: dict[tuple[int, int], StudentCourse] = {}
    for chunk in _chunks(students, chunk_size):
        wanted = StudentCourse.objects.filter(student_id__in=chunk).only(*PLANNED_FIELDS)
        rows.update({(row.student_id, row.course_id): row for row in wanted})
    named = {c for add, drop in changes.values() for c in (*add, *drop)}
    active: dict[int, set[int]] = defaultdict(set)
    for (student_id, course_id), row in rows.items():
        if row.status in ACTIVE:
            active[student_id].add(course_id)
    active_courses = set().union(*active.values()) if replace else set()
    capacities = lock_courses(course_ids=named | active_courses, required=named)
    counts = enrolled_counts(course_ids=[c for c, capacity in capacities.items() if capacity is not None])

    drops, adds, full, unchanged = [], [], set(), 0
    for student_id in students:
        add, drop = set(changes[student_id][0]), set(changes[student_id][1])
        if replace:
            drop |= active[student_id]
        for course_id in sorted(drop - add):
            row = rows.get((student_id, course_id))
            if row is not None and row.status in ACTIVE:
                drops.append(_Transition(student_id, course_id, row, DROPPED))
                counts[course_id] = counts.get(course_id, 0) - (row.status == ENROLLED)
            else:
                unchanged += 1
        adds += [(student_id, course_id) for course_id in sorted(add)]
    joins = []
    for student_id, course_id in adds:
        row = rows.get((student_id, course_id))
        status = row.status if row else None
        if status == ENROLLED or (status == WAITLISTED and not _has_seat(course_id, capacities, counts)):
            unchanged += 1
        elif _has_seat(course_id, capacities, counts):
            counts[course_id] = counts.get(course_id, 0) + 1
            joins.append(_Transition(student_id, course_id, row, ENROLLED))
        else:
            full.add(course_id)
            joins.append(_Transition(student_id, course_id, row, WAITLISTED))
    waitlisted = sum(t.new_status == WAITLISTED for t in joins)
    summary = EnrollmentSummary(
        added=len(joins) - waitlisted, dropped=len(drops), waitlisted=waitlisted, unchanged=unchanged
    )
    if dry_run:
        return summary
    if full and not waitlist:
        raise CourseFull(sorted(full))
    for chunk in _chunks(drops + joins, chunk_size):
        _apply(chunk, actor)
    _promote_waitlisted(_freed(drops, capacities))
    return summary


def associate_courses_with_students(
    *, student_ids: Iterable[int], course_ids: Iterable[int], actor: Actor, waitlist: bool = False
) -> EnrollmentSummary:
    """Enrolls every listed student in every listed course, in one transaction (see ``change_enrollments``).

    Students who find no seat are waitlisted in the order of their ids when ``waitlist`` is true.
    """
    courses = sorted(set(course_ids))
    return change_enrollments(changes=dict.fromkeys(student_ids, (courses, ())), actor=actor, waitlist=waitlist)


@transaction.atomic
def change_course_students(
    *, course_id: int, add: Iterable[int] = (), drop: Iterable[int] = (), actor: Actor, waitlist: bool = False
) -> AssociationChange:
    """Enrolls the ``add`` students in the course and drops the ``drop`` ones; returns student ids.

    Drops happen first, so a new student may take a seat another one leaves. All or nothing: raises
    ``CourseFull`` if the seats do not suffice, unless ``waitlist`` puts the students left without one on the
    waitlist. Seats still free at the end go to the waitlist, first come first served.
    """
    joining, leaving = set(add), set(drop) - set(add)
    students = lock_students(student_ids=joining | leaving)
    capacities = lock_courses(course_ids=[course_id], required=[course_id])
    rows = {row.student_id: row for row in StudentCourse.objects.filter(course_id=course_id, student_id__in=students)}
    status = {student_id: row.status for student_id, row in rows.items()}
    drops = [_Transition(s, course_id, rows[s], DROPPED) for s in sorted(leaving) if status.get(s) in ACTIVE]
    seats = enrolled_counts(course_ids=[course_id])
    seats[course_id] = seats.get(course_id, 0) - sum(t.previous == ENROLLED for t in drops)
    joins, full, unchanged = [], [], []
    for student_id in sorted(joining):
        if status.get(student_id) == ENROLLED:
            unchanged.append(student_id)
        elif _has_seat(course_id, capacities, seats):
            seats[course_id] += 1
            joins.append(_Transition(student_id, course_id, rows.get(student_id), ENROLLED))
        elif status.get(student_id) == WAITLISTED:
            unchanged.append(student_id)
        else:
            full.append(student_id)
    if full and not waitlist:
        raise CourseFull([course_id])
    joins += [_Transition(s, course_id, rows.get(s), WAITLISTED) for s in full]
    _apply(drops + joins, actor)
    _promote_waitlisted(capacities)
    return AssociationChange(
        added=[t.student_id for t in joins if t.new_status == ENROLLED],
        removed=[t.student_id for t in drops],
        waitlisted=full,
        unchanged=unchanged,
        full=full,
    )


@transaction.atomic
def update_course(*, course_id: int, changes: dict) -> Course:
    """Updates a course's fields; when its capacity grows (or becomes unlimited) the waitlist moves up at once.

    Lowering the capacity below the number enrolled keeps everyone enrolled; new students wait until there is room.
    """
    lock_courses(course_ids=[course_id], required=[course_id])
    course = Course.objects.get(id=course_id)
    for name, value in changes.items():
        setattr(course, name, value)
    course.save()
    _promote_waitlisted({course.id: course.capacity})
    return course
