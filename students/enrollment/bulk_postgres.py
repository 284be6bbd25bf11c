"""A bulk import on PostgreSQL: the rows go into a temporary table by ``COPY`` and are resolved, checked and written
by set-based SQL; only the associations that may change come back to Python, course by course, for the seat rule.

Temporary tables (dropped when the transaction ends):

- ``import_rows``: the file's well-formed rows (line, email, code, drop?);
- ``import_request``: one row per (student, course) named, drop or add (and, with ``replace``, the drops it implies);
- ``import_moves``: the moves the plan makes, written to ``student_courses``, ``enrollment_events`` and ``changes``.
"""

from collections.abc import Iterable, Iterator, Sequence

from django.db import connection
from django.utils import timezone

from changes.recording import announce_recorded
from students.enrollment import planning
from students.enrollment.bulk import Row, Staged, contradiction, unknown
from students.enrollment.dates import BEGIN_SQL, END_SQL
from students.enrollment.errors import CourseFull, CourseNotFound, StudentNotFound
from students.enrollment.outcomes import Summary
from students.enrollment.planning import ACTIVE, Plan, Request
from students.enrollment.state import read_seats
from students.enrollment.writing import SYSTEM, Actor, feed_from_events

PLAN_BATCH = 20_000  # associations planned at a time (whole courses): memory stays bounded whatever the file's size

_CLEAR = "DROP TABLE IF EXISTS import_rows, import_request, import_moves"
_STAGE = """
CREATE TEMP TABLE import_rows (line integer NOT NULL, email text NOT NULL, code text NOT NULL, is_drop boolean NOT NULL)
    ON COMMIT DROP
"""
_IDS = "FROM import_rows r LEFT JOIN students s ON s.email = r.email LEFT JOIN courses c ON c.code = r.code"
_UNKNOWN_WHERE = f"{_IDS} WHERE s.id IS NULL OR c.id IS NULL"
_UNKNOWN = f"SELECT r.line, r.email, r.code, r.is_drop, s.id IS NOT NULL {_UNKNOWN_WHERE} ORDER BY r.line LIMIT %s"
_REQUEST = f"""
CREATE TEMP TABLE import_request ON COMMIT DROP AS
SELECT s.id AS student_id, c.id AS course_id, bool_and(r.is_drop) AS is_drop,
       bool_or(r.is_drop) <> bool_and(r.is_drop) AS contradicted, NULL::uuid AS sourced_id,
       NULL::date AS begin_date, NULL::date AS end_date
{_IDS} WHERE s.id IS NOT NULL AND c.id IS NOT NULL GROUP BY s.id, c.id
"""
_CONTRADICTIONS = f"""
SELECT * FROM (
    SELECT r.line, r.email, r.code, r.is_drop,
           first_value(r.line) OVER named AS first_line, first_value(r.is_drop) OVER named AS first_is_drop
    {_IDS} JOIN import_request q ON q.student_id = s.id AND q.course_id = c.id
    WHERE q.contradicted WINDOW named AS (PARTITION BY s.id, c.id ORDER BY r.line)
) rows WHERE is_drop <> first_is_drop ORDER BY line
"""
_LOCK_STUDENTS = """
SELECT count(*) FROM (
    SELECT id FROM students WHERE id IN (SELECT student_id FROM import_request) ORDER BY id FOR NO KEY UPDATE
) locked
"""
# Named by the file when it was checked, deleted since (before the locks were taken).
_GONE = """
SELECT DISTINCT r.{column} FROM import_request r
WHERE NOT EXISTS (SELECT 1 FROM {table} t WHERE t.id = r.{column}) ORDER BY 1 LIMIT 20
"""
_REPLACED = """
INSERT INTO import_request (student_id, course_id, is_drop, contradicted)
SELECT sc.student_id, sc.course_id, true, false FROM student_courses sc
WHERE sc.student_id IN (SELECT student_id FROM import_request) AND sc.status = ANY(%s)
  AND NOT EXISTS (SELECT 1 FROM import_request r WHERE r.student_id = sc.student_id AND r.course_id = sc.course_id)
"""
_LOCK_COURSES = """
SELECT id, capacity FROM courses WHERE id IN (SELECT course_id FROM import_request) ORDER BY id FOR NO KEY UPDATE
"""
# The rule leaves these as they are whatever the seats (an add of an enrolled association, a drop of one that is
# not active): not read back. Everything else is, to be planned.
_SETTLED = """(CASE WHEN r.is_drop THEN sc.status IS NULL OR sc.status <> ALL(%s)
                ELSE coalesce(sc.status = 'enrolled', false) END)"""
_TO_PLAN = f"""
SELECT r.course_id, r.student_id, r.is_drop, sc.status FROM import_request r
LEFT JOIN student_courses sc ON sc.student_id = r.student_id AND sc.course_id = r.course_id
WHERE NOT {_SETTLED} ORDER BY r.course_id, r.student_id
"""
_MOVES = """
CREATE TEMP TABLE import_moves (
    seq integer NOT NULL, student_id bigint NOT NULL, course_id bigint NOT NULL, previous text, new text NOT NULL,
    ticket bigint, promotion boolean NOT NULL
) ON COMMIT DROP
"""
# A new association takes the sourcedId and the dates the request gives it, if any (a OneRoster enrollment's);
# otherwise, and for every other move, its dates follow ``dates`` (BEGIN_SQL, END_SQL).
_INSERT_ASSOCIATIONS = f"""
INSERT INTO student_courses
    (student_id, course_id, status, waitlist_ticket, enrolled_at, status_changed_at, sourced_id, begin_date, end_date)
SELECT student_id, course_id, new, ticket, %(now)s, %(now)s, sourced_id, begin_date,
       CASE WHEN given_end IS NOT NULL THEN greatest(begin_date, given_end) END
FROM (
    SELECT m.student_id, m.course_id, m.new, m.ticket, coalesce(r.sourced_id, gen_random_uuid()) AS sourced_id,
           CASE WHEN m.new = 'enrolled' THEN coalesce(r.begin_date, {BEGIN_SQL.format(course="m.course_id")}) END
               AS begin_date,
           CASE WHEN m.new = 'enrolled' THEN r.end_date END AS given_end
    FROM import_moves m LEFT JOIN import_request r ON r.student_id = m.student_id AND r.course_id = m.course_id
    WHERE m.previous IS NULL
) new ORDER BY student_id, course_id
"""
_UPDATE_ASSOCIATIONS = f"""
UPDATE student_courses sc SET status = m.new, waitlist_ticket = m.ticket, status_changed_at = %(now)s,
    enrolled_at = CASE WHEN m.new = 'enrolled' THEN %(now)s ELSE sc.enrolled_at END,
    begin_date = CASE m.new WHEN 'enrolled' THEN {BEGIN_SQL.format(course="sc.course_id")}
                            WHEN 'waitlisted' THEN NULL ELSE sc.begin_date END,
    end_date = CASE m.new WHEN 'enrolled' THEN NULL WHEN 'waitlisted' THEN NULL
                          ELSE {END_SQL.format(row="sc")} END
FROM import_moves m WHERE m.previous IS NOT NULL AND sc.student_id = m.student_id AND sc.course_id = m.course_id
"""
_INSERT_EVENTS = """
WITH events AS (
    INSERT INTO enrollment_events
        (student_id, course_id, previous_status, new_status, actor_id, actor_username, channel, reason, created_at)
    SELECT student_id, course_id, coalesce(previous, ''), new,
           CASE WHEN promotion THEN NULL ELSE %(actor_id)s::integer END,
           CASE WHEN promotion THEN '' ELSE %(username)s END,
           CASE WHEN promotion THEN %(system)s ELSE %(channel)s END,
           CASE WHEN promotion THEN '' ELSE %(reason)s END, %(now)s
    FROM import_moves ORDER BY seq
    RETURNING *
)
{feed}
"""


class PostgresStaged(Staged):
    def __init__(self, rows: Iterable[Row]) -> None:
        self.rows = 0
        with connection.cursor() as cursor:
            cursor.execute(_CLEAR)  # an earlier import in the same transaction (tests run several)
            cursor.execute(_STAGE)
            with cursor.cursor.copy("COPY import_rows (line, email, code, is_drop) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    self.rows += 1
            cursor.execute(_REQUEST)
            self.pairs = cursor.rowcount
            cursor.execute("SELECT EXISTS (SELECT 1 FROM import_request WHERE contradicted)")
            self.contradicted = cursor.fetchone()[0]

    @classmethod
    def of_pairs(cls, sql: str, params: Sequence) -> "PostgresStaged":
        """The pairs ``sql`` selects (``student_id, course_id, is_drop, sourced_id, begin_date, end_date``: the last
        three for an association the import makes, or null), resolved already: nothing to check."""
        staged = cls(())
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE import_request")
            cursor.execute(
                "CREATE TEMP TABLE import_request ON COMMIT DROP AS SELECT student_id, course_id, is_drop, "
                f"false AS contradicted, sourced_id, begin_date, end_date FROM ({sql}) pairs",
                params,
            )
            staged.rows = staged.pairs = cursor.rowcount
        staged.contradicted = False
        staged._problems = ([], 0)
        return staged

    def _find_problems(self, keep: int) -> tuple[list[tuple[int, str]], int]:
        with connection.cursor() as cursor:
            cursor.execute(_UNKNOWN, [keep])
            found = [unknown(Row(*values[:4]), student_known=values[4]) for values in cursor.fetchall()]
            total = len(found)
            if total == keep:
                cursor.execute(f"SELECT count(*) {_UNKNOWN_WHERE}")
                total = cursor.fetchone()[0]
            if self.contradicted:
                cursor.execute(f"SELECT count(*) FROM ({_CONTRADICTIONS}) contradicting")
                total += cursor.fetchone()[0]
                cursor.execute(f"{_CONTRADICTIONS} LIMIT %s", [keep])
                found += [contradiction(Row(*values[:4]), first_line=values[4]) for values in cursor.fetchall()]
        return found, total

    def _apply(self, *, actor: Actor, replace: bool, waitlist: bool, dry_run: bool) -> Summary:
        active = list(ACTIVE)
        with connection.cursor() as cursor:
            cursor.execute(_LOCK_STUDENTS)
            cursor.execute(_GONE.format(table="students", column="student_id"))
            if gone := [student_id for (student_id,) in cursor.fetchall()]:
                raise StudentNotFound(f"No student has the id {', '.join(map(str, gone))}.")
            pairs = self.pairs
            if replace:
                cursor.execute(_REPLACED, [active])
                pairs += cursor.rowcount
            cursor.execute(_LOCK_COURSES)
            capacities = dict(cursor.fetchall())
            cursor.execute(_GONE.format(table="courses", column="course_id"))
            if gone := [course_id for (course_id,) in cursor.fetchall()]:
                raise CourseNotFound(gone)
            cursor.execute(_MOVES)
        planned = 0
        totals = Summary(added=0, dropped=0, waitlisted=0, unchanged=0)
        full: list[int] = []
        written = 0
        for batch, plan in self._plans(capacities, waitlist):
            planned += batch
            totals = totals + Summary.of(plan)
            if plan.refusal:
                full += plan.refusal.extra["course_ids"]
            if dry_run or full or not plan.to_write:
                continue
            # Between two reads of the plan's cursor: the moves of these courses go into import_moves.
            with connection.cursor() as cursor, cursor.cursor.copy("COPY import_moves FROM STDIN") as copy:
                for move in _moves(plan, written):
                    copy.write_row(move)
            written += len(plan.to_write)
        if full and not dry_run:
            raise CourseFull(full)
        if written:
            self._write(actor)
        # What was not planned, the rule leaves as it is whatever the seats (``_SETTLED``).
        return totals + Summary(added=0, dropped=0, waitlisted=0, unchanged=pairs - planned)

    def _plans(self, capacities: dict[int, int | None], waitlist: bool) -> Iterator[tuple[int, Plan]]:
        """The plans of the associations that may change, a batch of whole courses at a time (a course's seats
        depend only on its own associations, so planning course by course is planning all at once)."""
        with connection.connection.cursor(name="import_to_plan") as cursor:
            cursor.itersize = PLAN_BATCH
            cursor.execute(_TO_PLAN, [list(ACTIVE)])
            batch: list[tuple] = []
            for row in cursor:
                if len(batch) >= PLAN_BATCH and row[0] != batch[-1][0]:
                    yield len(batch), self._plan(batch, capacities, waitlist)
                    batch = []
                batch.append(row)
            if batch:
                yield len(batch), self._plan(batch, capacities, waitlist)

    @staticmethod
    def _plan(batch: list[tuple], capacities: dict[int, int | None], waitlist: bool) -> Plan:
        limited = {course_id: capacities[course_id] for course_id, *_ in batch if capacities[course_id] is not None}
        associations = {(s, c): status for c, s, _, status in batch if status is not None}
        request = Request(
            enroll=[(s, c) for c, s, is_drop, _ in batch if not is_drop],
            drop=[(s, c) for c, s, is_drop, _ in batch if is_drop],
            waitlist=waitlist,
        )
        seats = read_seats(capacities=limited, row_ids={})
        return planning.plan(associations=associations, seats=seats, request=request)

    @staticmethod
    def _write(actor: Actor) -> None:
        now = timezone.now()
        user = actor.user
        params = {
            "now": now,
            "today": timezone.localdate(now),
            "actor_id": user.pk if user else None,
            "username": user.get_username() if user else "",
            "channel": actor.channel,
            "reason": actor.reason,
            "system": SYSTEM.channel,
        }
        with connection.cursor() as cursor:
            cursor.execute(_INSERT_ASSOCIATIONS, params)
            cursor.execute(_UPDATE_ASSOCIATIONS, params)
            cursor.execute(_INSERT_EVENTS.format(feed=feed_from_events("events")), params)
        announce_recorded()


def _moves(plan: Plan, start: int) -> Iterator[tuple]:
    """The plan's moves as rows of ``import_moves``, in the plan's order (requested moves, then promotions). A pair
    moves at most once in a plan (as ``writing.write`` assumes too): nobody waitlisted by a request is promoted by it,
    since the waitlist is only joined when no seat is left."""
    for index, t in enumerate(plan.changes):
        yield start + index, t.student_id, t.course_id, t.previous, t.new, t.ticket, False
    for index, t in enumerate(plan.promotions, start=start + len(plan.changes)):
        yield index, t.student_id, t.course_id, t.previous, t.new, t.ticket, True
