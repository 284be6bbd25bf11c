"""A bundle's rows in temporary tables, so a district's million enrollments never live in Python at once.

``stage`` reads the bundle one row at a time (``reading.Reader``: each row checked for its form, every problem
collected) and copies the rows into tables that live as long as the import's transaction (``COPY`` on PostgreSQL,
batched inserts on SQLite). What needs several rows or the database to tell — the same sourcedId twice, an email
another student holds here, a class of no known course, an enrollment of an unknown user — is then found with
set-based SQL, each problem with its file and line (``Staging.check``); ``importing`` applies what was staged.

- ``bundle_users``, ``bundle_courses``, ``bundle_classes``, ``bundle_enrollments``: the rows as read (by line);
- ``bundle_wanted`` (made by ``importing``): each enrollment row resolved to its student and course, and the bulk
  file's drops; ``bundle_scope``: the schools and terms a bulk file is the whole truth for.

A class without a code or title takes its course's (filled in here, once staged). A row without an org, school or
term keeps the one it has here, and a new one takes the first school's or the first term (``importing``).
"""

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence

from django.db import connection

from config.iterables import batched
from oneroster.bundle import reading
from students.models import StudentCourse

INSERT_BATCH = 5000
READ_BATCH = 5000
NAMES = ("courses", "classes", "users", "enrollments")  # the order problems are read in
TABLES = {
    "users": (
        ("sourced_id", "{uuid}"),
        ("first_name", "text"),
        ("last_name", "text"),
        ("email", "text"),
        ("org", "{uuid}"),
        ("deleted", "boolean"),
    ),
    "courses": (
        ("sourced_id", "{uuid}"),
        ("code", "text"),
        ("title", "text"),
        ("org", "{uuid}"),
        ("deleted", "boolean"),
    ),
    "classes": (
        ("sourced_id", "{uuid}"),
        ("course", "{uuid}"),
        ("code", "text"),
        ("title", "text"),
        ("school", "{uuid}"),
        ("term", "{uuid}"),
        ("deleted", "boolean"),
    ),
    "enrollments": (
        ("sourced_id", "{uuid}"),
        ("user_id", "{uuid}"),
        ("class_id", "{uuid}"),
        ("target", "text"),
        ("begin_date", "{date}"),
        ("end_date", "{date}"),
    ),
}
INDEXES = {
    "users": ("sourced_id",),
    "courses": ("sourced_id",),
    "classes": ("sourced_id", "course"),
    "enrollments": (),
}
TEMPORARY = ("bundle_wanted", "bundle_scope", *(f"bundle_{name}" for name in NAMES))


def postgres() -> bool:
    return connection.vendor == "postgresql"


def execute(sql: str, params: Sequence = ()) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def fetch(sql: str, params: Sequence = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def streamed(sql: str, params: Sequence = ()) -> Iterator[tuple]:
    """The statement's rows, fetched a batch at a time (a server-side cursor on PostgreSQL)."""
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(READ_BATCH):
            yield from rows


def in_batches(sql: str, params: Sequence = (), *, key: int = 0) -> Iterator[list[tuple]]:
    """The rows of ``sql`` (which ends in ``{after}`` inside its WHERE clause and orders by the key column, ``line``),
    ``READ_BATCH`` at a time by the key of the last row read (so writes may come between two batches)."""
    last = 0
    while rows := fetch(sql.format(after="line > %s") + " LIMIT %s", [*params, last, READ_BATCH]):
        yield rows
        last = rows[-1][key]


def as_uuid(value) -> uuid.UUID:
    """A sourcedId read back from a staging table (a ``uuid`` on PostgreSQL, 32 hex digits on SQLite)."""
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def drop_tables() -> None:
    """Drops the staging tables (PostgreSQL drops them at commit; SQLite keeps them while its connection lives)."""
    for table in TEMPORARY:
        execute(f"DROP TABLE IF EXISTS {table}")


class Staging:
    """The bundle's rows in the staging tables, the reader's problems in ``problems``."""

    def __init__(self, reader: reading.Reader) -> None:
        self.reader, self.problems = reader, reader.problems
        self.rows: dict[str, int] = {}
        self._postgres = postgres()
        self._date = StudentCourse._meta.get_field("begin_date")
        drop_tables()
        for name in NAMES:
            self._create(name)
            self.rows[name] = self._fill(name, self._values(name, reader.rows(name)))
            for column in INDEXES[name]:
                execute(f"CREATE INDEX bundle_{name}_{column} ON bundle_{name} ({column})")
            if postgres():
                execute(f"ANALYZE bundle_{name}")  # temporary tables are never analyzed on their own

    @property
    def total(self) -> int:
        return sum(self.rows.values())

    def _create(self, name: str) -> None:
        types = {"uuid": "uuid" if postgres() else "char(32)", "date": "date" if postgres() else "text"}
        columns = ", ".join(f"{column} {kind.format(**types)}" for column, kind in TABLES[name])
        suffix = " ON COMMIT DROP" if postgres() else ""
        execute(f"CREATE TEMP TABLE bundle_{name} (line integer PRIMARY KEY, {columns}){suffix}")

    def _fill(self, name: str, rows: Iterable[tuple]) -> int:
        columns = ", ".join(["line", *(column for column, _ in TABLES[name])])
        count = 0
        with connection.cursor() as cursor:
            if postgres():
                with cursor.cursor.copy(f"COPY bundle_{name} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                        count += 1
                return count
            marks = ", ".join(["%s"] * (len(TABLES[name]) + 1))
            for batch in batched(rows, INSERT_BATCH):
                cursor.executemany(f"INSERT INTO bundle_{name} ({columns}) VALUES ({marks})", batch)
                count += len(batch)
        return count

    def _values(self, name: str, rows: Iterable) -> Iterator[tuple]:
        key = self._key
        for row in rows:
            line = row.where.line
            if name == "users":
                org = _maybe(key, row.org)
                yield line, key(row.sourced_id), row.first_name, row.last_name, row.email, org, row.deleted
            elif name == "courses":
                yield line, key(row.sourced_id), row.code, row.title, _maybe(key, row.org), row.deleted
            elif name == "classes":
                school, term = _maybe(key, row.school), _maybe(key, row.term)
                yield line, key(row.sourced_id), key(row.course), row.code, row.title, school, term, row.deleted
            else:
                day = self._day
                yield line, key(row.sourced_id), key(row.user), key(row.klass), row.target, day(row.begin), day(row.end)

    def _key(self, text: str) -> str:
        """A sourcedId (canonical UUID text, as the reader gives it) as the column keeps it: as it is on PostgreSQL,
        32 hex digits on SQLite (as Django stores a UUID there)."""
        return text if self._postgres else text.replace("-", "")

    def _day(self, day: dt.date | None):
        return None if day is None else self._date.get_db_prep_value(day, connection)

    # Every problem that needs several rows or the database, each with its file and line ---------------------------

    def check(self) -> None:
        self._fill_classes()
        for name, key, what in (
            ("users", ("sourced_id",), "sourcedId"),
            ("users", ("email",), "email"),
            ("courses", ("sourced_id",), "sourcedId"),
            ("courses", ("org", "code"), "org and courseCode"),
            ("classes", ("sourced_id",), "sourcedId"),
            ("classes", ("code",), "classCode (a class without one has its course's)"),
        ):
            self._repeated(name, key, what, live=True)
        self._owned("users", "email", "students o", "o.email = r.email", "student")
        self._owned(
            "courses",
            "code",
            "catalog_courses o",
            "o.code = r.code AND o.org_id = (SELECT g.id FROM orgs g WHERE g.sourced_id = r.org)",
            "course in the org's catalog",
        )
        self._owned("classes", "code", "courses o", "o.code = r.code", "class")
        self._report(
            "courses",
            "SELECT c.line, c.org FROM bundle_courses c WHERE NOT c.deleted AND c.org IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.sourced_id = c.org)",
            lambda org: f"orgSourcedId {as_uuid(org)} is no org here (schools are kept in the admin)",
        )
        self._report(
            "classes",
            "SELECT k.line, k.school FROM bundle_classes k WHERE NOT k.deleted AND k.school IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.sourced_id = k.school AND o.type = 'school')",
            lambda org: f"schoolSourcedId {as_uuid(org)} is no school here (schools are kept in the admin)",
        )
        self._report(
            "classes",
            "SELECT k.line, k.term FROM bundle_classes k WHERE NOT k.deleted AND k.term IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM academic_sessions t WHERE t.sourced_id = k.term)",
            lambda term: f"termSourcedIds {as_uuid(term)} is no academic session here (kept in the admin)",
        )
        self._report(
            "users",
            "SELECT u.line, u.org FROM bundle_users u WHERE NOT u.deleted AND u.org IS NOT NULL"
            " AND NOT EXISTS (SELECT 1 FROM orgs o WHERE o.sourced_id = u.org AND o.type = 'school')",
            lambda org: f"primaryOrgSourcedId {as_uuid(org)} is no school here (schools are kept in the admin)",
        )
        self._report(
            "classes",
            "SELECT k.line, k.course FROM bundle_classes k WHERE NOT k.deleted"
            " AND NOT EXISTS (SELECT 1 FROM bundle_courses c WHERE c.sourced_id = k.course AND NOT c.deleted)"
            " AND NOT EXISTS (SELECT 1 FROM catalog_courses c WHERE c.sourced_id = k.course)",
            lambda course: f"courseSourcedId {as_uuid(course)} is no course of the bundle or here",
        )
        self._repeated("enrollments", ("sourced_id",), "sourcedId", live=False)
        self._repeated("enrollments", ("user_id", "class_id"), "user and class", live=False)
        self._report(
            "enrollments",
            "SELECT e.line, e.user_id FROM bundle_enrollments e WHERE"
            " NOT EXISTS (SELECT 1 FROM bundle_users u WHERE u.sourced_id = e.user_id AND NOT u.deleted)"
            " AND NOT EXISTS (SELECT 1 FROM students s WHERE s.sourced_id = e.user_id)",
            lambda user: f"userSourcedId {as_uuid(user)} is no student of the bundle or here",
        )
        self._report(
            "enrollments",
            "SELECT e.line, e.class_id FROM bundle_enrollments e WHERE"
            " NOT EXISTS (SELECT 1 FROM bundle_classes k WHERE k.sourced_id = e.class_id AND NOT k.deleted)"
            " AND NOT EXISTS (SELECT 1 FROM courses c WHERE c.sourced_id = e.class_id)",
            lambda klass: f"classSourcedId {as_uuid(klass)} is no class of the bundle or here",
        )

    def _fill_classes(self) -> None:
        """A class without a code or title takes its course's: the bundle's row, else the catalog course here."""
        for column in ("code", "title"):
            for source in ("bundle_courses", "catalog_courses"):
                execute(
                    f"UPDATE bundle_classes SET {column} = (SELECT c.{column} FROM {source} c"
                    f" WHERE c.sourced_id = bundle_classes.course) WHERE {column} IS NULL"
                )

    def _repeated(self, name: str, columns: tuple[str, ...], what: str, *, live: bool) -> None:
        """Rows whose ``columns`` an earlier row of the file has already."""
        shown = ", ".join(columns)
        where = "WHERE NOT deleted" if live else ""
        self._report(
            name,
            f"SELECT line, first, {shown} FROM (SELECT line, {shown}, min(line) OVER (PARTITION BY {shown}) AS first"
            f" FROM bundle_{name} {where}) repeated WHERE line > first",
            lambda first, *values: (
                f"{what} {' '.join(map(str, _shown(name, columns, values)))} again (first at {name}.csv line {first})"
            ),
        )

    def _owned(self, name: str, column: str, table: str, on: str, noun: str) -> None:
        """Rows whose ``column`` (an email, a code) another object (``o``, of ``table`` joined ``on``) holds here."""
        self._report(
            name,
            f"SELECT r.line, r.{column} FROM bundle_{name} r JOIN {table} ON {on}"
            f" WHERE NOT r.deleted AND o.sourced_id <> r.sourced_id",
            lambda value: f"{column} {value} is another {noun}'s here",
        )

    def _report(self, name: str, sql: str, message: Callable[..., str]) -> None:
        """Adds a problem for each row of ``sql`` (line first): the first ones kept, all of them counted."""
        room = max(self.problems.keep - len(self.problems.kept), 0)
        found = fetch(f"{sql} ORDER BY 1 LIMIT %s", [room])
        for line, *values in found:
            self.problems.add(f"{name}.csv line {line}: {message(*values)}")
        if len(found) == room:
            (total,) = fetch(f"SELECT count(*) FROM ({sql}) found")[0]
            self.problems.count_more(total - len(found))


def _shown(name: str, columns: tuple[str, ...], values: Sequence) -> Iterator:
    kinds = dict(TABLES[name])
    for column, value in zip(columns, values, strict=True):
        yield as_uuid(value) if kinds[column] == "{uuid}" else value


def _maybe(key: Callable[[str], str], text: str | None) -> str | None:
    return None if text is None else key(text)
