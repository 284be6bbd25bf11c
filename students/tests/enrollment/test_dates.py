"""The dating rule, without a database: named examples, then properties over any days."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from students.enrollment.dates import begins_on, end_cap, ends_on, is_active_on

TODAY = dt.date(2026, 12, 7)
DAY = dt.timedelta(days=1)
FALL = (dt.date(2026, 8, 17), dt.date(2027, 1, 15))  # (start, exclusive end)
SPRING = (dt.date(2027, 1, 15), dt.date(2027, 6, 20))

days = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1))


def test_enrolling_in_a_term_going_on_begins_today():
    assert begins_on(today=TODAY, term_start=FALL[0]) == TODAY


def test_enrolling_in_a_coming_term_begins_on_its_first_day():
    assert begins_on(today=TODAY, term_start=SPRING[0]) == SPRING[0]


def test_dropping_today_makes_today_the_last_day():
    end = ends_on(today=TODAY, begin=FALL[0], end=None, term_end=FALL[1])
    assert end == TODAY + DAY
    assert is_active_on(TODAY, begin=FALL[0], end=end)
    assert not is_active_on(TODAY + DAY, begin=FALL[0], end=end)


def test_dropping_before_a_coming_term_begins_leaves_no_day_active():
    begin = begins_on(today=TODAY, term_start=SPRING[0])
    end = ends_on(today=TODAY, begin=begin, end=None, term_end=SPRING[1])
    assert end == begin
    assert not is_active_on(begin, begin=begin, end=end)


def test_completing_after_the_term_ended_ends_it_with_the_term():
    assert ends_on(today=dt.date(2027, 2, 1), begin=FALL[0], end=None, term_end=FALL[1]) == FALL[1]


def test_a_planned_end_before_the_terms_is_kept():
    planned = dt.date(2026, 12, 1)
    assert ends_on(today=TODAY, begin=FALL[0], end=planned, term_end=FALL[1]) == planned


def test_a_waitlisted_association_has_no_begin_and_ends_with_none():
    assert ends_on(today=TODAY, begin=None, end=None, term_end=FALL[1]) is None
    assert not is_active_on(TODAY, begin=None, end=None)


def test_an_association_without_an_end_is_active_every_day_from_its_begin():
    assert is_active_on(dt.date(2099, 1, 1), begin=FALL[0], end=None)
    assert not is_active_on(FALL[0] - DAY, begin=FALL[0], end=None)


@given(today=days, term_start=days)
def test_an_enrollment_never_begins_before_today_nor_before_its_term(today, term_start):
    begin = begins_on(today=today, term_start=term_start)
    assert begin >= today
    assert begin >= term_start


@given(today=days, begin=days, planned=st.none() | days, term_end=days)
def test_an_end_never_comes_before_the_begin_nor_after_tomorrow_unless_it_begins_later(today, begin, planned, term_end):
    end = ends_on(today=today, begin=begin, end=planned, term_end=term_end)
    assert end >= begin
    assert end <= max(begin, today + DAY)


@given(today=days, term=st.tuples(days, days).filter(lambda t: t[0] < t[1]), drop_after=st.integers(0, 400))
def test_an_enrollment_dropped_later_is_active_from_its_begin_through_the_drop_within_its_term(today, term, drop_after):
    begin = begins_on(today=today, term_start=term[0])
    dropped_on = today + dt.timedelta(days=drop_after)
    end = ends_on(today=dropped_on, begin=begin, end=None, term_end=term[1])
    for day in (begin - DAY, begin, dropped_on, dropped_on + DAY, term[1] - DAY, term[1]):
        expected = begin <= day <= dropped_on and day < term[1]
        assert is_active_on(day, begin=begin, end=end) == expected


@given(days, st.one_of(st.none(), days), st.one_of(st.none(), days), days)
def test_the_terms_cap_stands_for_its_end_in_every_end(today, begin, planned, term_end):
    # the writes end the rows of every course sharing a cap in one UPDATE, with the cap in place of the term's end
    cap = end_cap(today=today, term_end=term_end)
    by_cap = None if begin is None else max(begin, min(today + DAY, planned or cap))
    assert by_cap == ends_on(today=today, begin=begin, end=planned, term_end=term_end)
