"""When an association goes on: its ``begin_date`` and its ``end_date`` (exclusive), and what "active on a day" means.

The rule, written once as pure functions (``begins_on``, ``ends_on``, ``is_active_on``) and once as the SQL the
writes run (``end_expression`` with ``end_cap``, and ``BEGIN_SQL``/``END_SQL`` for the bulk path); tests hold them
to the same answers.

- Enrolling (or being promoted) begins an association on ``today``, or on its term's first day when the term is
  still to come: a student enrolled in a coming term holds a seat from now and takes the course from its start.
- Joining the waitlist clears both dates: a waitlisted student does not take the course.
- Dropping or completing ends it after ``today`` (the day it changed is its last), but not after the end it had
  (a bundle's ``endDate``) or its term's end, and never before it began: a drop before a coming term's start leaves
  an empty span (begin = end), on no day active.
- **Active on day D** means ``begin_date <= D < end_date`` (no end: still going on). Waitlisted associations have no
  begin date, so they are never active. The API's ``?active_on=``, OneRoster's ``beginDate``/``endDate`` (and their
  filters), the bundles' enrollments and the change feed's entries all carry these two columns, so they agree.

Days are the district's: ``timezone.localdate`` in ``TIME_ZONE`` (one time zone for the whole district).
"""

import datetime as dt

from django.db.models import Case, DateField, Expression, F, Q, Value, When
from django.db.models.functions import Coalesce, Greatest, Least

ONE_DAY = dt.timedelta(days=1)


def begins_on(*, today: dt.date, term_start: dt.date) -> dt.date:
    """The begin date of an association enrolled ``today`` in a course of a term starting ``term_start``."""
    return max(today, term_start)


def ends_on(*, today: dt.date, begin: dt.date | None, end: dt.date | None, term_end: dt.date) -> dt.date | None:
    """The end date of an association (begun on ``begin``, planned to end on ``end``) dropped or completed ``today``."""
    if begin is None:
        return None
    return max(begin, min(today + ONE_DAY, end or term_end))


def end_cap(*, today: dt.date, term_end: dt.date) -> dt.date:
    """What ``ends_on`` takes from the term: ``ends_on(…) == max(begin, min(today + 1, end or end_cap(…)))``. The
    same for every term that ends after today, so one UPDATE ends the associations of all of them."""
    return min(today + ONE_DAY, term_end)


def is_active_on(day: dt.date, *, begin: dt.date | None, end: dt.date | None) -> bool:
    return begin is not None and begin <= day and (end is None or day < end)


def active_on(day: dt.date, prefix: str = "") -> Q:
    """The associations (reached through ``prefix``, such as ``"student_courses__"``) active on ``day``."""
    return Q(**{f"{prefix}begin_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gt": day})
    )


# The same rule in SQL, for rows of student_courses. ----------------------------------------------------------------


def _day(value: dt.date) -> Value:
    return Value(value, output_field=DateField())


def end_expression(*, today: dt.date, cap: Expression) -> Case:
    """``ends_on`` for the rows being updated, ``cap`` being each one's course's ``end_cap`` (a row's begin and
    planned end are its own; ``begins_on`` needs no row, so the writes give it as values)."""
    return Case(
        When(begin_date__isnull=True, then=_day(None)),
        default=Greatest(F("begin_date"), Least(_day(today + ONE_DAY), Coalesce(F("end_date"), cap))),
        output_field=DateField(),
    )


# For raw SQL (PostgreSQL's bulk path): ``{row}`` is the association's alias, ``%(today)s`` the day.
_TERM_SQL = "(SELECT t.{field} FROM courses c JOIN academic_sessions t ON t.id = c.term_id WHERE c.id = {course})"
BEGIN_SQL = "greatest(%(today)s::date, " + _TERM_SQL.format(field="start_date", course="{course}") + ")"
END_SQL = (
    "CASE WHEN {row}.begin_date IS NULL THEN NULL ELSE greatest({row}.begin_date, least(%(today)s::date + 1, "
    "coalesce({row}.end_date, " + _TERM_SQL.format(field="end_date", course="{row}.course_id") + "))) END"
)
