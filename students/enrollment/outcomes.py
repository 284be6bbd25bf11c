"""What an entry point reports, and the step every one ends with: plan the request, then write the plan."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from students.enrollment import planning
from students.enrollment.planning import DROPPED, ENROLLED, WAITLISTED, Plan, Request
from students.enrollment.state import State
from students.enrollment.writing import Actor, write

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

    def __add__(self, other: "Summary") -> "Summary":
        return Summary(
            added=self.added + other.added,
            dropped=self.dropped + other.dropped,
            waitlisted=self.waitlisted + other.waitlisted,
            unchanged=self.unchanged + other.unchanged,
        )

    @classmethod
    def of(cls, plan: Plan) -> "Summary":
        return cls(
            added=len(plan.moved_to(ENROLLED)),
            dropped=len(plan.moved_to(DROPPED)),
            waitlisted=len(plan.moved_to(WAITLISTED)),
            unchanged=len(plan.unchanged) + len(plan.not_dropped),
        )


def carry_out(request: Request, state: State, *, actor: Actor, dry_run: bool, report: Callable[[Plan], T]) -> T:
    """Plans the request against the state read under the caller's locks, writes the plan unless it is a dry run
    (a refusal is raised then), and returns ``report(plan)``."""
    plan = planning.plan(associations=state.associations, seats=state.seats, request=request)
    if not dry_run:
        write(plan, row_ids=state.row_ids, actor=actor, given=state.given, terms=state.terms)
    return report(plan)


def the_student_change(plan: Plan) -> Change:
    return Change.of(plan, side=1)


def the_plan(plan: Plan) -> Plan:
    return plan
