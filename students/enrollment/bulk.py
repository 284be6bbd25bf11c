"""Bulk imports: many rows naming students by email and courses by code, checked whole, then applied at once.

``stage(rows)`` takes the rows (inside the caller's transaction) and returns a ``Staged`` import: its ``problems()``
(every row naming an unknown student or course, or contradicting an earlier row, with its line), and ``apply()``,
which changes the associations as ``services.enroll_many`` does: the same locks, the same seat rule
(``planning.plan``), one event and one feed entry per change, all or nothing.

On PostgreSQL (a district's nightly sync: a million rows) the rows never live in Python at once: they are copied into
a temporary table (``COPY``), resolved and checked with set-based SQL, and only the associations that may change are
read back, course by course, to be planned; the plan's moves are copied back and written with a few statements
(``bulk_postgres``). Elsewhere (SQLite, the embedded default) the rows are checked and applied in memory.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from django.conf import settings
from django.db import connection

from config.iterables import batched
from courses.models import Course
from imports.problems import Problems
from students.enrollment import services
from students.enrollment.errors import InvalidRows
from students.enrollment.outcomes import Summary
from students.enrollment.writing import Actor
from students.models import Student

LOOKUP_BATCH = 5000


class Row(NamedTuple):
    """A well-formed row: its line in the file, the student's email and the course's code (both normalized), and
    whether it drops the association or adds it."""

    line: int
    email: str
    code: str
    is_drop: bool


class Staged:
    """Rows staged for an import: ``problems()`` finds the bad ones (once), ``apply()`` applies the rows if there are
    none and refuses with ``InvalidRows`` otherwise, so nothing half-checked is ever applied."""

    rows = 0
    _problems: tuple[list[tuple[int, str]], int] | None = None

    def problems(self) -> list[tuple[int, str]]:
        """The rows that name an unknown student or course, or contradict an earlier row: (line, reason), in line
        order, the first ``IMPORT_MAX_PROBLEMS`` of them (``problem_count`` says how many there are)."""
        if self._problems is None:
            kept, total = self._find_problems(settings.IMPORT_MAX_PROBLEMS)
            self._problems = sorted(kept)[: settings.IMPORT_MAX_PROBLEMS], total
        return self._problems[0]

    def problem_count(self) -> int:
        self.problems()
        return self._problems[1]

    def add_problems_to(self, problems: Problems) -> None:
        kept = self.problems()
        problems.extend(message for _, message in kept)
        problems.count_more(self.problem_count() - len(kept))

    def apply(self, *, actor: Actor, replace: bool = False, waitlist: bool = False, dry_run: bool = False) -> Summary:
        """Applies the rows (``replace``: each listed student's courses become exactly the added ones); raises
        ``InvalidRows`` for bad rows, ``CourseFull`` when seats do not suffice and ``waitlist`` is not asked for."""
        if problems := self.problems():
            total = self.problem_count()
            more = total - len(problems)
            listed = [message for _, message in problems] + ([f"… and {more:,} more"] if more else [])
            raise InvalidRows(listed, total=total)
        return self._apply(actor=actor, replace=replace, waitlist=waitlist, dry_run=dry_run)

    def _find_problems(self, keep: int) -> tuple[list[tuple[int, str]], int]:
        """Some of the problems (at least the ``keep`` first by line) and how many there are."""
        raise NotImplementedError

    def _apply(self, *, actor: Actor, replace: bool, waitlist: bool, dry_run: bool) -> Summary:
        raise NotImplementedError


def stage(rows: Iterable[Row]) -> Staged:
    """Stages the rows for checking and applying; call it inside the transaction that applies them."""
    if connection.vendor == "postgresql":
        from students.enrollment.bulk_postgres import PostgresStaged

        return PostgresStaged(rows)
    return InMemoryStaged(rows)


def stage_pairs(sql: str, params: Sequence = ()) -> Staged:
    """Stages the associations a query names, already resolved: its rows are ``(student_id, course_id, is_drop,
    sourced_id, begin_date, end_date)``, one per pair (a OneRoster bundle's enrollments, resolved by sourcedId in its
    own staging tables); an association the import makes takes the dates where they are not null, and the sourcedId
    on PostgreSQL (the caller sets it elsewhere). Nothing is left to check: ``apply()`` applies them as
    ``stage(rows)``'s would be."""
    if connection.vendor == "postgresql":
        from students.enrollment.bulk_postgres import PostgresStaged

        return PostgresStaged.of_pairs(sql, params)
    return InMemoryStaged.of_pairs(sql, params)


def contradiction(row: Row, first_line: int) -> tuple[int, str]:
    action = "drop" if row.is_drop else "add"
    return row.line, f"line {row.line}: {action} contradicts line {first_line} for {row.email} {row.code}"


def unknown(row: Row, student_known: bool) -> tuple[int, str]:
    if not student_known:
        return row.line, f"line {row.line}: unknown student {row.email!r}"
    return row.line, f"line {row.line}: unknown course {row.code!r}"


def _lookup(model, column: str, values: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in batched(sorted(values), LOOKUP_BATCH):
        found.update(model.objects.filter(**{f"{column}__in": batch}).values_list(column, "id"))
    return found


class InMemoryStaged(Staged):
    """The rows resolved in memory; applied by ``services.enroll_many``."""

    def __init__(self, rows: Iterable[Row]) -> None:
        self.entries = list(rows)
        self.rows = len(self.entries)
        self.changes: dict[int, tuple[set[int], set[int]]] = {}
        self.dates: dict[tuple[int, int], tuple[dt.date | None, dt.date | None]] = {}

    @classmethod
    def of_pairs(cls, sql: str, params: Sequence) -> "InMemoryStaged":
        staged = cls(())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            for student_id, course_id, is_drop, _, begin, end in cursor.fetchall():
                add, drop = staged.changes.setdefault(student_id, (set(), set()))
                (drop if is_drop else add).add(course_id)
                if begin or end:
                    staged.dates[student_id, course_id] = (_day(begin), _day(end))
                staged.rows += 1
        staged._problems = ([], 0)
        return staged

    def _find_problems(self, keep: int) -> tuple[list[tuple[int, str]], int]:
        students = _lookup(Student, "email", {row.email for row in self.entries})
        courses = _lookup(Course, "code", {row.code for row in self.entries})
        problems: list[tuple[int, str]] = []
        first: dict[tuple[int, int], Row] = {}
        for row in self.entries:
            if row.email not in students or row.code not in courses:
                problems.append(unknown(row, row.email in students))
                continue
            key = (students[row.email], courses[row.code])
            earlier = first.setdefault(key, row)
            if earlier.is_drop != row.is_drop:
                problems.append(contradiction(row, earlier.line))
                continue
            add, drop = self.changes.setdefault(key[0], (set(), set()))
            (drop if row.is_drop else add).add(key[1])
        return problems, len(problems)

    def _apply(self, *, actor: Actor, replace: bool, waitlist: bool, dry_run: bool) -> Summary:
        return services.enroll_many(
            changes=self.changes,
            actor=actor,
            replace=replace,
            waitlist=waitlist,
            dry_run=dry_run,
            dates=self.dates,
        )


def _day(value: str | dt.date | None) -> dt.date | None:
    """A date as SQLite's cursor gives it (ISO text)."""
    return dt.date.fromisoformat(value) if isinstance(value, str) else value
