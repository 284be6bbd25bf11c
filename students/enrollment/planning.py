"""The one rule of seats, the waitlist and promotion: what a request does to the associations it touches.

``plan`` is a pure function (no database, no Django): the services read the state it needs, call it, and write
what it returns. Every channel's change goes through it, and nothing else compares a count with a capacity.

The rule, in the order it is applied:

1. one-association status changes (``set_status``): the association must exist; only an enrolled course can be
   completed, only an enrolled or waitlisted one dropped, and enrolling needs a free seat (no waitlist);
2. drops (``drop``, and with ``replace`` every other active association given): an enrolled or waitlisted
   association becomes dropped and frees its seat;
3. enrollments (``enroll``), students in id order then courses in id order: already enrolled, or waitlisted while
   the course is still full, is unchanged; a free seat enrolls; a full course waitlists when ``waitlist`` is asked,
   and otherwise refuses the whole request (``CourseFull`` naming every full course);
4. promotion: the seats still free in each course go to its waitlisted students, lowest ticket first.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from students.enrollment.errors import AssociationNotFound, CourseFull, EnrollmentError, InvalidStatusChange

ENROLLED, WAITLISTED, DROPPED, COMPLETED = "enrolled", "waitlisted", "dropped", "completed"
ACTIVE = (ENROLLED, WAITLISTED)
ENDED = (DROPPED, COMPLETED)
# The statuses a one-association change may move to, and from which.
ALLOWED_FROM = {ENROLLED: (DROPPED, COMPLETED, WAITLISTED), DROPPED: ACTIVE, COMPLETED: (ENROLLED,)}

Pair = tuple[int, int]  # (student id, course id): one association


@dataclass(frozen=True)
class CourseSeats:
    """A course's seats: its capacity (``None``: unlimited), how many are enrolled, and who waits, in ticket order
    as ``(ticket, student id)``. A course the planner is given no seats for is treated as unlimited."""

    capacity: int | None
    enrolled: int = 0
    waitlist: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Request:
    """What a channel asks for. ``replace`` drops every active association given that ``enroll`` does not name;
    ``strict_drops`` refuses (``AssociationNotFound``) a drop of an association that is not active."""

    enroll: Iterable[Pair] = ()
    drop: Iterable[Pair] = ()
    set_status: Mapping[Pair, str] = field(default_factory=dict)
    replace: bool = False
    waitlist: bool = False
    strict_drops: bool = False


@dataclass(frozen=True)
class Transition:
    """One association moving to ``new``; ``previous`` is None when the association is created. ``ticket`` is
    the waitlist ticket of a move to the waitlist."""

    student_id: int
    course_id: int
    previous: str | None
    new: str
    ticket: int | None = None

    @property
    def pair(self) -> Pair:
        return self.student_id, self.course_id


@dataclass(frozen=True)
class Plan:
    """What the request does. ``changes`` are the requested moves (drops first), ``promotions`` the waitlisted
    students who take the seats left free; ``unchanged`` enrollments already so, ``not_dropped`` drops of
    associations that were not active, ``full`` enrollments that found no seat (waitlisted if asked). With a
    ``refusal`` nothing is to be written; the rest still tells what would have happened (dry runs show it)."""

    changes: tuple[Transition, ...] = ()
    promotions: tuple[Transition, ...] = ()
    unchanged: tuple[Pair, ...] = ()
    not_dropped: tuple[Pair, ...] = ()
    full: tuple[Pair, ...] = ()
    refusal: EnrollmentError | None = None

    @property
    def to_write(self) -> tuple[Transition, ...]:
        """The moves to write: none when refused."""
        return () if self.refusal else self.changes + self.promotions

    def moved_to(self, status: str) -> list[Pair]:
        """The requested moves to ``status``, as pairs, in the order planned."""
        return [t.pair for t in self.changes if t.new == status]


class _Planner:
    def __init__(self, associations: Mapping[Pair, str], seats: Mapping[int, CourseSeats]) -> None:
        self.status = dict(associations)
        for course_id, course in seats.items():  # those waiting are associations too, whether given or not
            for _, student_id in course.waitlist:
                self.status.setdefault((student_id, course_id), WAITLISTED)
        self.seats = seats
        self.enrolled = {course_id: course.enrolled for course_id, course in seats.items()}
        self.tickets = {
            course_id: max((t for t, _ in course.waitlist), default=0) for course_id, course in seats.items()
        }
        self.changes: list[Transition] = []

    def has_seat(self, course_id: int) -> bool:
        course = self.seats.get(course_id)
        return course is None or course.capacity is None or self.enrolled[course_id] < course.capacity

    def move(self, pair: Pair, new: str, into: list[Transition]) -> None:
        previous, course_id = self.status.get(pair), pair[1]
        if course_id in self.enrolled:
            self.enrolled[course_id] += (new == ENROLLED) - (previous == ENROLLED)
        ticket = None
        if new == WAITLISTED:
            self.tickets[course_id] += 1
            ticket = self.tickets[course_id]
        self.status[pair] = new
        into.append(Transition(pair[0], course_id, previous, new, ticket))

    def promote(self) -> list[Transition]:
        """Fills each course's free seats from its waitlist (those still waiting, and those waitlisted now)."""
        promotions: list[Transition] = []
        for course_id, course in sorted(self.seats.items()):
            waiting = [(t, s) for t, s in course.waitlist if self.status.get((s, course_id)) == WAITLISTED]
            waiting += [(t.ticket, t.student_id) for t in self.changes if t.course_id == course_id and t.ticket]
            free = len(waiting) if course.capacity is None else course.capacity - self.enrolled[course_id]
            for _, student_id in sorted(waiting)[: max(free, 0)]:
                self.move((student_id, course_id), ENROLLED, promotions)
        return promotions


def plan(*, associations: Mapping[Pair, str], seats: Mapping[int, CourseSeats], request: Request) -> Plan:
    """Plans ``request`` against the current ``associations`` (status by pair, for every pair the request names
    and, with ``replace``, every association in its scope) and the ``seats`` of every course that has a capacity."""
    planner = _Planner(associations, seats)
    unchanged: list[Pair] = []
    for pair, target in request.set_status.items():
        refusal = _status_change_refusal(planner, pair, target)
        if refusal:
            return Plan(refusal=refusal)
        if planner.status[pair] == target:
            unchanged.append(pair)
        else:
            planner.move(pair, target, planner.changes)

    wanted = sorted(set(request.enroll))
    drops = set(request.drop)
    if request.replace:
        drops |= {pair for pair, status in associations.items() if status in ACTIVE}
    not_dropped: list[Pair] = []
    for pair in sorted(drops - set(wanted)):
        if planner.status.get(pair) in ACTIVE:
            planner.move(pair, DROPPED, planner.changes)
        elif request.strict_drops:
            return Plan(refusal=_not_found(pair, planner.status.get(pair)))
        else:
            not_dropped.append(pair)

    full: list[Pair] = []
    for pair in wanted:
        status, course_id = planner.status.get(pair), pair[1]
        if status == ENROLLED or (status == WAITLISTED and not planner.has_seat(course_id)):
            unchanged.append(pair)
        elif planner.has_seat(course_id):
            planner.move(pair, ENROLLED, planner.changes)
        else:
            full.append(pair)
            if request.waitlist:
                planner.move(pair, WAITLISTED, planner.changes)

    refusal = CourseFull(sorted({course_id for _, course_id in full})) if full and not request.waitlist else None
    return Plan(
        changes=tuple(planner.changes),
        promotions=() if refusal else tuple(planner.promote()),
        unchanged=tuple(unchanged),
        not_dropped=tuple(not_dropped),
        full=tuple(full),
        refusal=refusal,
    )


def _status_change_refusal(planner: _Planner, pair: Pair, target: str) -> EnrollmentError | None:
    current = planner.status.get(pair)
    if current is None:
        return _not_found(pair, current)
    if current == target:
        return None
    if current not in ALLOWED_FROM.get(target, ()):
        return InvalidStatusChange(f"A {current} association cannot become {target}.")
    if target == ENROLLED and not planner.has_seat(pair[1]):
        return CourseFull([pair[1]])
    return None


def _not_found(pair: Pair, status: str | None) -> AssociationNotFound:
    student_id, course_id = pair
    state = "never been associated with" if status is None else f"no {' or '.join(ACTIVE)} association to"
    return AssociationNotFound(f"Student {student_id} has {state} course {course_id}.")


def summary_ids(pairs: Sequence[Pair], side: int) -> list[int]:
    """One side of the pairs (0: students, 1: courses), ascending."""
    return sorted({pair[side] for pair in pairs})
