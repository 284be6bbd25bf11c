"""The seat rule, without a database: each rule as a named example, then its invariants as properties."""

from collections import Counter

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from students.enrollment.errors import AssociationNotFound, CourseFull, InvalidStatusChange
from students.enrollment.planning import (
    COMPLETED,
    DROPPED,
    ENROLLED,
    WAITLISTED,
    CourseSeats,
    Plan,
    Request,
    Transition,
    plan,
)
from students.models import EnrollmentStatus

ADA, BEN, CLEO, DAN = 1, 2, 3, 4
MATH, ART = 10, 20


def seats(capacity: int | None, enrolled: int = 0, *waiting: tuple[int, int]) -> CourseSeats:
    return CourseSeats(capacity=capacity, enrolled=enrolled, waitlist=tuple(waiting))


def test_the_statuses_are_the_models():
    assert {ENROLLED, WAITLISTED, DROPPED, COMPLETED} == set(EnrollmentStatus.values)


# Enrolling ------------------------------------------------------------------------------------------------------


def test_a_free_seat_enrolls():
    result = plan(associations={}, seats={MATH: seats(2, 1)}, request=Request(enroll=[(ADA, MATH)]))
    assert result.changes == (Transition(ADA, MATH, None, ENROLLED),)


def test_an_unlimited_course_always_has_a_seat():
    result = plan(associations={}, seats={}, request=Request(enroll=[(ADA, MATH)]))
    assert result.moved_to(ENROLLED) == [(ADA, MATH)]


def test_enrolling_again_changes_nothing():
    result = plan(associations={(ADA, MATH): ENROLLED}, seats={}, request=Request(enroll=[(ADA, MATH)]))
    assert (result.changes, result.unchanged) == ((), ((ADA, MATH),))


def test_a_full_course_refuses_the_whole_request_naming_every_full_course():
    result = plan(
        associations={},
        seats={MATH: seats(1, 1), ART: seats(1, 1)},
        request=Request(enroll=[(ADA, MATH), (ADA, ART), (ADA, 30)]),
    )
    assert isinstance(result.refusal, CourseFull)
    assert result.refusal.extra == {"course_ids": [MATH, ART]}
    assert result.to_write == ()


def test_a_refused_request_still_says_what_it_would_have_done():
    result = plan(associations={}, seats={MATH: seats(1, 1)}, request=Request(enroll=[(ADA, MATH), (ADA, 30)]))
    assert (result.moved_to(ENROLLED), result.full) == ([(ADA, 30)], ((ADA, MATH),))


def test_a_full_course_waitlists_with_the_next_ticket_when_asked():
    result = plan(
        associations={}, seats={MATH: seats(1, 1, (4, BEN))}, request=Request(enroll=[(ADA, MATH)], waitlist=True)
    )
    assert result.changes == (Transition(ADA, MATH, None, WAITLISTED, ticket=5),)
    assert result.refusal is None


def test_a_waitlisted_student_stays_waitlisted_while_the_course_is_full():
    result = plan(
        associations={(ADA, MATH): WAITLISTED},
        seats={MATH: seats(1, 1, (1, ADA))},
        request=Request(enroll=[(ADA, MATH)]),
    )
    assert (result.changes, result.unchanged, result.refusal) == ((), ((ADA, MATH),), None)


def test_a_dropped_or_completed_course_is_enrolled_again():
    result = plan(
        associations={(ADA, MATH): DROPPED, (ADA, ART): COMPLETED},
        seats={},
        request=Request(enroll=[(ADA, MATH), (ADA, ART)]),
    )
    assert [(t.course_id, t.previous, t.new) for t in result.changes] == [
        (MATH, DROPPED, ENROLLED),
        (ART, COMPLETED, ENROLLED),
    ]


def test_seats_go_to_the_requested_students_in_id_order():
    result = plan(
        associations={}, seats={MATH: seats(1)}, request=Request(enroll=[(BEN, MATH), (ADA, MATH)], waitlist=True)
    )
    assert (result.moved_to(ENROLLED), result.moved_to(WAITLISTED)) == ([(ADA, MATH)], [(BEN, MATH)])


# Dropping and replacing -------------------------------------------------------------------------------------------


def test_dropping_an_enrolled_course_promotes_the_lowest_ticket():
    result = plan(
        associations={(ADA, MATH): ENROLLED},
        seats={MATH: seats(1, 1, (7, CLEO), (3, BEN))},
        request=Request(drop=[(ADA, MATH)]),
    )
    assert result.moved_to(DROPPED) == [(ADA, MATH)]
    assert result.promotions == (Transition(BEN, MATH, WAITLISTED, ENROLLED),)


def test_dropping_a_waitlisted_course_promotes_nobody():
    result = plan(
        associations={(ADA, MATH): WAITLISTED},
        seats={MATH: seats(1, 1, (1, ADA), (2, BEN))},
        request=Request(drop=[(ADA, MATH)]),
    )
    assert (result.moved_to(DROPPED), result.promotions) == ([(ADA, MATH)], ())


def test_dropping_what_is_not_active_changes_nothing():
    result = plan(associations={(ADA, MATH): COMPLETED}, seats={}, request=Request(drop=[(ADA, MATH), (ADA, ART)]))
    assert (result.changes, result.not_dropped) == ((), ((ADA, MATH), (ADA, ART)))


def test_a_strict_drop_of_what_is_not_active_is_refused_as_not_found():
    result = plan(associations={(ADA, MATH): DROPPED}, seats={}, request=Request(drop=[(ADA, MATH)], strict_drops=True))
    assert isinstance(result.refusal, AssociationNotFound)
    assert "no enrolled or waitlisted association" in result.refusal.detail


def test_replacing_drops_every_other_active_association_and_keeps_completed_ones():
    result = plan(
        associations={(ADA, MATH): ENROLLED, (ADA, ART): WAITLISTED, (ADA, 30): COMPLETED},
        seats={},
        request=Request(enroll=[(ADA, 40)], replace=True),
    )
    assert result.moved_to(DROPPED) == [(ADA, MATH), (ADA, ART)]
    assert result.moved_to(ENROLLED) == [(ADA, 40)]


def test_drops_come_first_so_a_seat_they_free_goes_to_the_request():
    result = plan(
        associations={(ADA, MATH): ENROLLED},
        seats={MATH: seats(1, 1, (1, CLEO))},
        request=Request(enroll=[(BEN, MATH)], drop=[(ADA, MATH)]),
    )
    assert result.moved_to(ENROLLED) == [(BEN, MATH)]
    assert result.promotions == ()


# One association's status ----------------------------------------------------------------------------------------


def test_only_an_enrolled_course_can_be_completed():
    result = plan(
        associations={(ADA, MATH): WAITLISTED}, seats={}, request=Request(set_status={(ADA, MATH): COMPLETED})
    )
    assert isinstance(result.refusal, InvalidStatusChange)
    assert result.refusal.detail == "A waitlisted association cannot become completed."


def test_completing_frees_the_seat_for_the_waitlist():
    result = plan(
        associations={(ADA, MATH): ENROLLED},
        seats={MATH: seats(1, 1, (1, BEN))},
        request=Request(set_status={(ADA, MATH): COMPLETED}),
    )
    assert result.moved_to(COMPLETED) == [(ADA, MATH)]
    assert [t.pair for t in result.promotions] == [(BEN, MATH)]


def test_enrolling_by_status_change_needs_a_free_seat():
    result = plan(
        associations={(ADA, MATH): DROPPED},
        seats={MATH: seats(1, 1)},
        request=Request(set_status={(ADA, MATH): ENROLLED}, waitlist=True),
    )
    assert isinstance(result.refusal, CourseFull)


def test_a_status_change_of_an_association_that_never_was_is_not_found():
    result = plan(associations={}, seats={}, request=Request(set_status={(ADA, MATH): DROPPED}))
    assert isinstance(result.refusal, AssociationNotFound)
    assert result.refusal.detail == f"Student {ADA} has never been associated with course {MATH}."


def test_a_status_change_to_the_current_status_changes_nothing():
    result = plan(associations={(ADA, MATH): DROPPED}, seats={}, request=Request(set_status={(ADA, MATH): DROPPED}))
    assert (result.changes, result.refusal) == ((), None)


# Capacity --------------------------------------------------------------------------------------------------------


def test_a_larger_capacity_promotes_the_waitlist_in_ticket_order():
    result = plan(associations={}, seats={MATH: seats(3, 1, (5, CLEO), (2, BEN), (9, DAN))}, request=Request())
    assert [t.pair for t in result.promotions] == [(BEN, MATH), (CLEO, MATH)]


def test_an_unlimited_capacity_promotes_everyone_waiting():
    result = plan(associations={}, seats={MATH: seats(None, 1, (5, CLEO), (2, BEN))}, request=Request())
    assert [t.pair for t in result.promotions] == [(BEN, MATH), (CLEO, MATH)]


def test_a_capacity_below_the_count_keeps_everyone_and_refuses_newcomers():
    result = plan(associations={}, seats={MATH: seats(1, 3)}, request=Request(enroll=[(ADA, MATH)]))
    assert result.promotions == ()
    assert isinstance(result.refusal, CourseFull)


# Properties ------------------------------------------------------------------------------------------------------

STUDENTS, COURSES = range(1, 6), range(1, 4)
pairs = st.tuples(st.sampled_from(STUDENTS), st.sampled_from(COURSES))


@st.composite
def states(draw) -> tuple[dict, dict]:
    """A consistent state, ``rows[pair] = (status, ticket)``, and the capacities to plan with. Each course holds at
    most its capacity, and only a full course has a waitlist (what every plan leaves behind); the capacity may then
    have been raised or lifted (as ``update_course`` does), so seats are often free while students wait."""
    rows, capacity, tickets = {}, {}, iter(draw(st.permutations(range(1, 40))))
    for course in COURSES:
        students = draw(st.permutations(list(STUDENTS)))
        limit = draw(st.one_of(st.none(), st.integers(1, 3)))
        enrolled = draw(st.integers(0, limit or 3))
        waiting = draw(st.integers(0, len(students) - enrolled)) if limit is not None and enrolled == limit else 0
        for index, student in enumerate(students):
            if index < enrolled:
                rows[student, course] = (ENROLLED, None)
            elif index < enrolled + waiting:
                rows[student, course] = (WAITLISTED, next(tickets))
            elif status := draw(st.sampled_from([None, None, DROPPED, COMPLETED])):
                rows[student, course] = (status, None)
        raised = st.one_of(st.just(limit), st.integers(1, 5), st.none()) if limit is not None else st.none()
        capacity[course] = draw(raised)
    return rows, capacity


requests = st.builds(
    Request,
    enroll=st.lists(pairs, max_size=6),
    drop=st.lists(pairs, max_size=4),
    replace=st.booleans(),
    waitlist=st.booleans(),
)


def planning_input(rows: dict, capacity: dict) -> dict:
    enrolled = Counter(course for (_, course), (status, _) in rows.items() if status == ENROLLED)
    waitlists = {
        course: tuple(sorted((t, s) for (s, c), (status, t) in rows.items() if c == course and status == WAITLISTED))
        for course in COURSES
    }
    return {
        "associations": {pair: status for pair, (status, _) in rows.items()},
        "seats": {  # as the services read them: every course with a capacity, or with someone waiting
            course: CourseSeats(capacity=limit, enrolled=enrolled[course], waitlist=waitlists[course])
            for course, limit in capacity.items()
            if limit is not None or waitlists[course]
        },
    }


def applied(rows: dict, result: Plan) -> dict:
    after = dict(rows)
    for move in result.to_write:
        after[move.pair] = (move.new, move.ticket)
    return after


def enrolled_counts(rows: dict) -> Counter:
    return Counter(course for (_, course), (status, _) in rows.items() if status == ENROLLED)


@settings(max_examples=400, deadline=None)
@given(states(), requests)
def test_no_plan_ever_puts_more_students_in_a_course_than_its_capacity(state, request):
    """A capacity lowered below the count keeps everyone: the count may stay above it, never grow past it."""
    rows, capacity = state
    before, after = (
        enrolled_counts(rows),
        enrolled_counts(applied(rows, plan(**planning_input(rows, capacity), request=request))),
    )
    assert all(after[c] <= max(limit, before[c]) for c, limit in capacity.items() if limit is not None)


@settings(max_examples=400, deadline=None)
@given(states(), requests)
def test_promotion_is_strictly_by_ticket_order_and_leaves_no_free_seat_with_anyone_waiting(state, request):
    rows, capacity = state
    result = plan(**planning_input(rows, capacity), request=request)
    assume(result.refusal is None)  # a refused request writes nothing: the state it was given stays as it was
    after = applied(rows, result)
    tickets = {pair: ticket for pair, (status, ticket) in rows.items() if status == WAITLISTED}
    tickets |= {t.pair: t.ticket for t in result.changes if t.new == WAITLISTED}
    for course, limit in capacity.items():
        promoted = [tickets[t.pair] for t in result.promotions if t.course_id == course]
        waiting = [ticket for (_, c), (status, ticket) in after.items() if c == course and status == WAITLISTED]
        assert promoted == sorted(promoted)
        assert not promoted or not waiting or max(promoted) < min(waiting)
        enrolled = sum(1 for (_, c), (status, _) in after.items() if c == course and status == ENROLLED)
        assert not waiting or (limit is not None and enrolled >= limit)


@settings(max_examples=400, deadline=None)
@given(states(), requests)
def test_planning_the_same_request_again_after_applying_it_changes_nothing(state, request):
    rows, capacity = state
    first = plan(**planning_input(rows, capacity), request=request)
    again = plan(**planning_input(applied(rows, first), capacity), request=request)
    assert again.to_write == ()
    assert type(again.refusal) is type(first.refusal)


@settings(max_examples=400, deadline=None)
@given(states(), requests)
def test_a_plan_moves_each_association_at_most_once(state, request):
    """The writers (one row write per pair, the bulk import's set-based writes) rely on it."""
    rows, capacity = state
    moved = [t.pair for t in plan(**planning_input(rows, capacity), request=request).to_write]
    assert len(moved) == len(set(moved))


@pytest.mark.parametrize("status", [WAITLISTED, DROPPED])
def test_completing_what_is_not_enrolled_is_refused_and_moves_nothing(status):
    result = plan(associations={(ADA, MATH): status}, seats={}, request=Request(set_status={(ADA, MATH): COMPLETED}))
    assert isinstance(result.refusal, InvalidStatusChange)
    assert result.changes == ()


@settings(max_examples=400, deadline=None)
@given(states(), st.lists(pairs, max_size=6), st.booleans())
def test_an_enrollment_that_changes_nothing_without_seats_changes_nothing_with_them(state, enroll, waitlist):
    """What lets ``change_courses`` answer a repeat without locks: if the rule writes nothing for an enroll-only
    request when it sees no seats, it writes nothing and reports the same when it sees them, in any state a
    committed write leaves (nobody waits for a course with a free seat)."""
    rows, capacity = state
    seen = planning_input(rows, capacity)
    assume(
        all(
            not course.waitlist or (course.capacity is not None and course.enrolled >= course.capacity)
            for course in seen["seats"].values()
        )
    )
    request = Request(enroll=enroll, waitlist=waitlist)
    blind = plan(associations=seen["associations"], seats={}, request=request)
    assume(not blind.to_write and blind.refusal is None)
    full = plan(**seen, request=request)
    assert not full.to_write
    assert full.refusal is None
    assert sorted(full.unchanged) == sorted(blind.unchanged)
