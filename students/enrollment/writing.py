"""Writes a plan: the associations it creates or changes, and one event for each, in a constant number of queries."""

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import connection
from django.db.models import Case, DateField, Value, When
from django.utils import timezone

from changes.models import Change
from changes.recording import Entry, announce_recorded
from config.iterables import batched
from courses.models import Course
from students.enrollment.dates import begins_on, end_cap, end_expression
from students.enrollment.planning import ENDED, ENROLLED, WAITLISTED, Plan, Transition
from students.enrollment.state import READ_BATCH, TermDates
from students.models import Channel, EnrollmentEvent, StudentCourse

WRITE_BATCH = 2000  # rows per INSERT


@dataclass(frozen=True)
class Actor:
    """Who makes a change, through which channel and, when they say, why: every event records the three (a
    promotion the change causes is the system's, with no reason)."""

    channel: Channel
    user: AbstractBaseUser | None = None
    reason: str = ""


SYSTEM = Actor(channel=Channel.SYSTEM)


Dates = tuple[dt.date | None, dt.date | None]  # (begin, end) a caller gives a new association (a bundle's)


def write(
    plan: Plan,
    *,
    row_ids: dict[tuple[int, int], int],
    actor: Actor,
    given: Mapping[tuple[int, int], Dates] | None = None,
    terms: Mapping[int, TermDates] | None = None,
) -> None:
    """Writes the plan's moves (requested ones as ``actor``, promotions as the system). Raises its refusal. Each
    move dates its association as ``dates`` says, from its course's term (``terms``, read with the course locks;
    one query reads those not given), unless ``given`` names a new association's begin and end."""
    if plan.refusal:
        raise plan.refusal
    if not plan.to_write:
        return
    now = timezone.now()
    today = timezone.localdate(now)
    terms = _with_terms_read({t.course_id for t in plan.to_write if t.new != WAITLISTED}, dict(terms or {}))
    begins = {course_id: begins_on(today=today, term_start=start) for course_id, (start, _) in terms.items()}
    given = given or {}
    new = [t for t in plan.to_write if t.previous is None]
    created = [_new_row(t, now, begins.get(t.course_id), given.get(t.pair)) for t in new]
    StudentCourse.objects.bulk_create(created, batch_size=WRITE_BATCH)
    caps = {course_id: end_cap(today=today, term_end=end) for course_id, (_, end) in terms.items()}
    _update_rows([t for t in plan.to_write if t.previous is not None], row_ids, now, begins=begins, caps=caps)
    events = [_event(t, actor, now) for t in plan.changes] + [_event(t, SYSTEM, now) for t in plan.promotions]
    if connection.vendor == "postgresql":
        _insert_events_and_feed(events, now)
    else:
        EnrollmentEvent.objects.bulk_create(events, batch_size=WRITE_BATCH)
        _record_in_feed([event.id for event in events])
    announce_recorded()


def enrollment_entry(
    student_id: int,
    course_id: int,
    status: str,
    previous: str | None,
    *,
    begin: dt.date | None = None,
    end: dt.date | None = None,
    reason: str | None = None,
) -> Entry:
    """An association's change as the feed shows it: its status before and after, and its dates after."""
    return Entry(
        f"enrollment.{status}",
        f"{student_id}/{course_id}",
        {
            "student_id": student_id,
            "course_id": course_id,
            "status": status,
            "previous_status": previous,
            "begin_date": begin and begin.isoformat(),
            "end_date": end and end.isoformat(),
            "reason": reason,
        },
    )


# Each event is also an entry of the change feed, written by the database from the events just inserted (building
# the entries in Python cost about 50 µs each: 50 ms for a 1,000-course PATCH). ``enrollment_entry`` is the same
# entry for loaders that write events without ids; a test holds the two equal.
_FEED_FROM_EVENTS = """
    INSERT INTO {changes} (type, object_type, object_id, data, occurred_at, actor_id, actor_username, channel)
    SELECT 'enrollment.' || e.new_status, 'enrollment', e.student_id || '/' || e.course_id,
           {json}('student_id', e.student_id, 'course_id', e.course_id, 'status', e.new_status,
                  'previous_status', NULLIF(e.previous_status, ''),
                  'begin_date', sc.begin_date, 'end_date', sc.end_date, 'reason', NULLIF(e.reason, '')){cast},
           e.created_at, e.actor_id, e.actor_username, e.channel
    FROM {events} e JOIN {associations} sc ON sc.student_id = e.student_id AND sc.course_id = e.course_id
    {where} ORDER BY e.id
"""


def feed_from_events(events: str, where: str = "") -> str:
    """The statement that appends one feed entry per row of ``events`` (the events table, or a CTE of rows just
    inserted into it) that ``where`` selects, in the events' order."""
    postgres = connection.vendor == "postgresql"
    return _FEED_FROM_EVENTS.format(
        changes=Change._meta.db_table,
        events=events,
        associations=StudentCourse._meta.db_table,
        where=where,
        json="json_build_object" if postgres else "json_object",
        cast="::jsonb" if postgres else "",
    )


def _record_in_feed(event_ids: list[int]) -> None:
    """One feed entry per event: the association (student, course, status before and after), by its actor."""
    with connection.cursor() as cursor:
        for batch in batched(event_ids, READ_BATCH):
            where = f"WHERE e.id IN ({', '.join(['%s'] * len(batch))})"
            cursor.execute(feed_from_events(EnrollmentEvent._meta.db_table, where), batch)


# On PostgreSQL the events go in as arrays, one per column, and their feed entries with them: one statement, no
# model instance compiled row by row (about a third of the time of a 100-course PUT went to the two).
_EVENTS_AND_FEED = """
WITH events AS (
    INSERT INTO {events}
        (student_id, course_id, previous_status, new_status, actor_id, actor_username, channel, reason, created_at)
    SELECT student_id, course_id, previous, new, actor_id, username, channel, reason, %s
    FROM unnest(%s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::integer[], %s::text[], %s::text[], %s::text[])
         WITH ORDINALITY AS m(student_id, course_id, previous, new, actor_id, username, channel, reason, seq)
    ORDER BY seq
    RETURNING *
)
{feed}
"""


def _insert_events_and_feed(events: list[EnrollmentEvent], now) -> None:
    columns = ("student_id", "course_id", "previous_status", "new_status", "actor_id", "actor_username", "channel")
    arrays = [[getattr(event, column) for event in events] for column in (*columns, "reason")]  # the SQL's order
    sql = _EVENTS_AND_FEED.format(events=EnrollmentEvent._meta.db_table, feed=feed_from_events("events"))
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, *arrays])


def _with_terms_read(course_ids: set[int], terms: dict[int, TermDates]) -> dict[int, TermDates]:
    """``terms`` and the term dates of those courses it lacks: one query, none when the locks read them all."""
    missing = sorted(course_ids - terms.keys())
    for batch in batched(missing, READ_BATCH):
        rows = Course.objects.filter(id__in=batch).values_list("id", "term__start_date", "term__end_date")
        terms.update((course_id, (start, end)) for course_id, start, end in rows)
    return terms


def _new_row(t: Transition, now, begin: dt.date | None, given: Dates | None) -> StudentCourse:
    """A new association; an enrolled one begins on ``begin`` (``dates.begins_on``) unless ``given`` says."""
    end = None
    if t.new != ENROLLED:
        begin = None
    elif given:
        begin = given[0] or begin
        end = given[1] and max(begin, given[1])
    return StudentCourse(
        student_id=t.student_id,
        course_id=t.course_id,
        status=t.new,
        waitlist_ticket=t.ticket,
        enrolled_at=now,
        status_changed_at=now,
        begin_date=begin,
        end_date=end,
    )


def _update_rows(
    moves: list[Transition],
    row_ids: dict[tuple[int, int], int],
    now,
    *,
    begins: Mapping[int, dt.date],
    caps: Mapping[int, dt.date],
) -> None:
    """One UPDATE per new status (Django's bulk_update compiles a CASE per row, which costs seconds for a thousand
    rows); rows moving to the waitlist each carry their own ticket, so they are saved apiece in one bulk_update.
    Each move dates its row as ``dates`` says: enrolling begins it on ``begins`` (its course's), dropping or
    completing ends it under ``caps`` (its course's ``end_cap``), the waitlist clears both. Every course of a term
    under way shares one date (today, tomorrow): only the courses of terms still to come or already over are
    named, in a CASE by course (``_by_course``)."""
    today = timezone.localdate(now)
    by_status: dict[str, list[tuple[int, int]]] = defaultdict(list)  # (row id, course id)
    waitlisted = []
    for t in moves:
        if t.new == WAITLISTED:
            waitlisted.append(
                StudentCourse(
                    id=row_ids[t.pair],
                    status=t.new,
                    status_changed_at=now,
                    waitlist_ticket=t.ticket,
                    begin_date=None,
                    end_date=None,
                )
            )
        else:
            by_status[t.new].append((row_ids[t.pair], t.course_id))
    for status, rows in by_status.items():
        fields = {"status": status, "status_changed_at": now, "waitlist_ticket": None}
        for batch in batched(rows, READ_BATCH):
            courses = {course_id for _, course_id in batch}
            if status == ENROLLED:
                fields.update(enrolled_at=now, begin_date=_by_course(begins, courses), end_date=None)
            elif status in ENDED:
                fields["end_date"] = end_expression(today=today, cap=_by_course(caps, courses))
            StudentCourse.objects.filter(id__in=[row_id for row_id, _ in batch]).update(**fields)
    if waitlisted:
        StudentCourse.objects.bulk_update(
            waitlisted,
            ["status", "status_changed_at", "waitlist_ticket", "begin_date", "end_date"],
            batch_size=WRITE_BATCH,
        )


def _by_course(days: Mapping[int, dt.date], course_ids: set[int]) -> Value | Case:
    """The day of each row's course: the day most of ``course_ids`` share, the others' named by course."""
    courses_on: dict[dt.date, list[int]] = defaultdict(list)
    for course_id in sorted(course_ids):
        courses_on[days[course_id]].append(course_id)
    most = max(courses_on, key=lambda day: len(courses_on[day]))
    others = [When(course_id__in=ids, then=Value(day)) for day, ids in courses_on.items() if day != most]
    default = Value(most, output_field=DateField())
    return Case(*others, default=default, output_field=DateField()) if others else default


def _event(t: Transition, actor: Actor, now) -> EnrollmentEvent:
    return EnrollmentEvent(
        student_id=t.student_id,
        course_id=t.course_id,
        previous_status=t.previous or "",
        new_status=t.new,
        actor_id=actor.user.pk if actor.user else None,
        actor_username=actor.user.get_username() if actor.user else "",
        channel=actor.channel,
        reason=actor.reason,
        created_at=now,
    )
