"""Reads a OneRoster 1.2 CSV bundle: its manifest and the rows of the files we keep, each checked and tied to its
file and line, streamed (``Reader``) within the import bounds (``imports.files``: the zip checked from its
directory, every line, row and cell bounded). Nothing here touches the database; ``importing`` resolves and applies
what was read. Every problem is collected (``imports.problems``: the first ones kept, all counted), never raised."""

import datetime as dt
import io
import re
import uuid
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from config.spreadsheet_cells import restored
from courses.models import COURSE_CODE_VALIDATOR, normalize_course_code
from imports.files import Limits, UnreadableFile, csv_rows, open_zip
from imports.problems import Problems
from oneroster.bundle.binding import ABSENT, BULK, DELTA, MANIFEST
from students.models import normalize_email

KEPT = ("orgs", "academicSessions", "courses", "classes", "users", "roles", "enrollments")
REQUIRED = {
    "courses": ("sourcedId", "title", "courseCode"),
    "classes": ("sourcedId", "courseSourcedId"),
    "users": ("sourcedId", "givenName", "familyName"),
    "roles": ("userSourcedId", "role"),
    "enrollments": ("sourcedId", "classSourcedId", "userSourcedId", "role"),
}
STATUSES = ("", "active", "tobedeleted")
TEACHING_ROLES = ("teacher", "aide", "ext:aide")  # enrollments of a teacher (``district`` reads them)


class Where(NamedTuple):  # named tuples: a district's million rows are made fast
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}.csv line {self.line}"


class UserRow(NamedTuple):
    where: Where
    sourced_id: str
    first_name: str
    last_name: str
    email: str
    org: str | None  # their school (primaryOrgSourcedId)
    deleted: bool


class CourseRow(NamedTuple):
    where: Where
    sourced_id: str
    code: str
    title: str
    org: str | None  # the org whose catalog holds it
    deleted: bool


class ClassRow(NamedTuple):
    where: Where
    sourced_id: str
    course: str
    code: str | None  # none: the course's code
    title: str | None  # none: the course's title
    school: str | None
    term: str | None  # the first of its terms
    deleted: bool


class EnrollmentRow(NamedTuple):
    where: Where
    sourced_id: str
    user: str
    klass: str
    target: str  # enrolled, completed or dropped
    begin: dt.date | None
    end: dt.date | None


class _Refusal(Exception):
    pass


def _status(where: Where, row: dict, mode: str) -> bool:
    """Whether the row is a tombstone (``tobedeleted``); a status other than the binding's is a problem."""
    status = row.get("status", "")
    if status not in STATUSES:
        raise _Refusal(f"{where}: status {status!r} is none of active, tobedeleted")
    if status == "tobedeleted" and mode == BULK:
        raise _Refusal(f"{where}: a bulk file lists what is, so no row of it is tobedeleted")
    return status == "tobedeleted"


def _required(where: Where, row: dict, *names: str) -> None:
    """The named cells must not be empty; a sourcedId among them must be a UUID (made canonical in ``row``)."""
    if not all(row.get(name) for name in names):
        raise _Refusal(f"{where}: {', '.join(name for name in names if not row.get(name))} must not be empty")
    for name in names:
        if name in _IDENTIFIERS:
            row[name] = _canonical_uuid(where, name, row[name])


_IDENTIFIERS = frozenset({"sourcedId", "courseSourcedId", "classSourcedId", "userSourcedId"})


def _optional_uuid(where: Where, row: dict, name: str) -> str | None:
    return _canonical_uuid(where, name, row[name]) if row.get(name) else None


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _canonical_uuid(where: Where, name: str, text: str) -> str:
    """The sourcedId as its UUID's canonical text (what nearly every file has already: checked without parsing)."""
    if _CANONICAL_UUID.fullmatch(text):
        return text
    try:
        return str(uuid.UUID(text))
    except ValueError:
        shown = text if len(text) <= 60 else text[:60] + "…"
        raise _Refusal(f"{where}: {name} {shown!r} is no UUID (the sourcedIds this service keeps)") from None


def _user(where: Where, row: dict, mode: str) -> UserRow:
    deleted = _status(where, row, mode)
    _required(where, row, "sourcedId", "givenName", "familyName")
    email = normalize_email(row.get("email") or row.get("username", ""))
    if len(email) > 254:
        raise _Refusal(f"{where}: the email is longer than 254 characters")
    try:
        validate_email(email)
    except ValidationError:
        raise _Refusal(f"{where}: {email!r} is no email address (email, or username when email is empty)") from None
    for name, limit in (("givenName", 100), ("familyName", 100)):
        if len(row[name]) > limit:
            raise _Refusal(f"{where}: {name} is longer than {limit} characters")
    org = _optional_uuid(where, row, "primaryOrgSourcedId")
    return UserRow(where, row["sourcedId"], row["givenName"], row["familyName"], email, org, deleted)


def _code(where: Where, row: dict, name: str) -> str:
    code = normalize_course_code(row[name])
    if len(code) > 32:
        raise _Refusal(f"{where}: {name} is at most 32 characters")
    try:
        COURSE_CODE_VALIDATOR(code)
    except ValidationError as error:
        raise _Refusal(f"{where}: {name} {row[name][:40]!r}: {error.messages[0]}") from None
    return code


def _title(where: Where, row: dict) -> str:
    if len(row["title"]) > 200:
        raise _Refusal(f"{where}: title is at most 200 characters")
    return row["title"]


def _course(where: Where, row: dict, mode: str) -> CourseRow:
    deleted = _status(where, row, mode)
    _required(where, row, "sourcedId", "title", "courseCode")
    code, title = _code(where, row, "courseCode"), _title(where, row)
    return CourseRow(where, row["sourcedId"], code, title, _optional_uuid(where, row, "orgSourcedId"), deleted)


def _class(where: Where, row: dict, mode: str) -> ClassRow:
    deleted = _status(where, row, mode)
    _required(where, row, "sourcedId", "courseSourcedId")
    code = _code(where, row, "classCode") if row.get("classCode") else None
    title = _title(where, row) if row.get("title") else None
    terms = [term.strip() for term in row.get("termSourcedIds", "").split(",") if term.strip()]
    term = _canonical_uuid(where, "termSourcedIds", terms[0]) if terms else None
    school = _optional_uuid(where, row, "schoolSourcedId")
    return ClassRow(where, row["sourcedId"], row["courseSourcedId"], code, title, school, term, deleted)


def _date(where: Where, row: dict, name: str) -> dt.date | None:
    if not row.get(name):
        return None
    try:
        return dt.date.fromisoformat(row[name])
    except ValueError:
        raise _Refusal(f"{where}: {name} {row[name][:40]!r} is no date of the form YYYY-MM-DD") from None


def _enrollment(where: Where, row: dict, mode: str, today: dt.date) -> EnrollmentRow:
    deleted = _status(where, row, mode)
    _required(where, row, "sourcedId", "classSourcedId", "userSourcedId")
    begin, end = _date(where, row, "beginDate"), _date(where, row, "endDate")
    ours = row.get("metadata.enrollmentStatus", "")
    if ours not in ("", "enrolled", "completed", "dropped"):
        raise _Refusal(f"{where}: metadata.enrollmentStatus {ours[:40]!r} is none of enrolled, completed, dropped")
    if deleted:
        target = "dropped"
    elif ours in ("enrolled", "completed"):
        target = ours
    else:  # the end date is exclusive: an enrollment whose end has come is completed
        target = "completed" if end is not None and end <= today else "enrolled"
    if begin is not None and end is not None and end < begin:
        raise _Refusal(f"{where}: endDate comes before beginDate")
    return EnrollmentRow(where, row["sourcedId"], row["userSourcedId"], row["classSourcedId"], target, begin, end)


def _cell(text: str) -> str:
    return (restored(text) if text.startswith("'") else text).strip()


PROGRESS_EVERY = 5000
READ_BUFFER = 1 << 20
Progress = Callable[[str, int], None]  # (file, rows read so far)


class Reader:
    """An open bundle whose files are read one row at a time: ``rows(name)`` yields the checked rows of a file we
    keep (users, courses, classes, enrollments) and adds every bad one to ``problems``. Use it as a context manager.
    A bundle that cannot be opened, or whose manifest cannot be read, is a problem and reads as no rows."""

    def __init__(
        self, source: str | IO[bytes], *, today: dt.date, problems: Problems, progress: Progress | None = None
    ) -> None:
        self.today, self.problems, self.progress = today, problems, progress
        self.limits = Limits.from_settings()
        self.modes: dict[str, str] = {}
        self.skipped: dict[str, int] = {}
        self.teachers: set[str] = set()  # the users the roles file makes teachers or aides
        self.archive: zipfile.ZipFile | None = None
        try:
            self.archive = open_zip(source, self.limits)
            self.modes = self._manifest()
        except (UnreadableFile, _Refusal) as refusal:
            problems.add(str(refusal))
            return
        for name, mode in self.modes.items():
            if mode != ABSENT and name not in KEPT:
                self.skip(f"{name}.csv (this service keeps none)")
        self._students, self.teachers = self._role_ids()

    def __enter__(self) -> "Reader":
        return self

    def __exit__(self, *exc) -> None:
        if self.archive is not None:
            self.archive.close()

    def mode(self, name: str) -> str:
        return self.modes.get(name, ABSENT)

    def skip(self, reason: str, count: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + count

    def rows(self, name: str) -> Iterator:
        parse = {"users": _user, "courses": _course, "classes": _class, "enrollments": self._enrollment}[name]
        mode = self.mode(name)
        if mode == ABSENT or self.archive is None:
            return
        for where, row in self._csv(name):
            if self.progress is not None and where.line % PROGRESS_EVERY == 0:
                self.progress(name, where.line - 1)
            if name == "users" and self._students is not None and row.get("sourcedId") not in self._students:
                if row.get("sourcedId") not in self.teachers:  # read as teachers (``district``)
                    self.skip("users who are neither students nor teachers")
                continue
            if name == "enrollments" and row.get("role") != "student":
                if row.get("role") not in TEACHING_ROLES:  # read as teachers' (``district``)
                    self.skip("enrollments of other roles than student, teacher or aide")
                continue
            try:
                yield parse(where, row, mode)
            except _Refusal as refusal:
                self.problems.add(str(refusal))

    def _enrollment(self, where: Where, row: dict, mode: str) -> EnrollmentRow:
        return _enrollment(where, row, mode, self.today)

    def _csv(self, name: str, problems: Problems | None = None) -> Iterator[tuple[Where, dict[str, str]]]:
        """The file's rows; what is wrong with the file itself (its bytes, header, lines) goes to ``problems``."""
        problems = self.problems if problems is None else problems
        filename = f"{name}.csv"
        if filename not in self.archive.namelist():
            problems.add(f"{filename}: the manifest declares it {self.mode(name)}; the bundle lacks it")
            return
        with self.archive.open(filename) as entry, io.BufferedReader(entry, READ_BUFFER) as raw:  # lines read in C
            before = problems.total
            rows = csv_rows(raw, problems, name=filename, limits=self.limits)
            _, header = next(rows, (1, []))
            if not header and problems.total > before:
                return  # the file could not be read; that problem says so
            missing = [c for c in REQUIRED.get(name, ("sourcedId",)) if c not in header]
            if missing:
                problems.add(f"{filename}: the header lacks {', '.join(missing)}")
                return
            for line, cells in rows:
                if len(cells) != len(header):
                    problems.add(f"{filename} line {line}: {len(cells)} columns, the header names {len(header)}")
                    continue
                if "'" in "".join(cells):  # a cell may be behind a spreadsheet's quote (rare: the slow way)
                    yield Where(name, line), {k: _cell(v) for k, v in zip(header, cells, strict=True)}
                else:
                    yield Where(name, line), dict(zip(header, map(str.strip, cells), strict=True))

    def _manifest(self) -> dict[str, str]:
        if MANIFEST not in self.archive.namelist():
            raise _Refusal("the bundle has no manifest.csv")
        problems = Problems()
        with self.archive.open(MANIFEST) as raw:
            rows = csv_rows(raw, problems, name=MANIFEST, limits=self.limits)
            _, header = next(rows, (1, []))
            if header[:2] != ["propertyName", "value"]:
                raise _Refusal("manifest.csv: the header is not propertyName,value")
            properties = {cells[0]: restored(cells[1]).strip() for _, cells in rows if len(cells) >= 2}
        if problems:
            raise _Refusal(problems.kept[0])
        if properties.get("oneroster.version") != "1.2":
            raise _Refusal(
                f"manifest.csv: oneroster.version is {properties.get('oneroster.version', '')[:20]!r}, not '1.2'"
            )
        modes = {}
        for name, value in properties.items():
            if name.startswith("file."):
                if value not in (BULK, DELTA, ABSENT):
                    raise _Refusal(f"manifest.csv: {name[:60]} is {value[:20]!r}, none of bulk, delta, absent")
                modes[name.removeprefix("file.")] = value
        return modes

    def raw(self, name: str, *, again: bool = False) -> Iterator[tuple[Where, dict[str, str]]]:
        """A file's rows as read (each bounded, with its line), if the bundle has the file; read ``again`` (a file
        ``rows`` reads too), what is wrong with the file itself is not said twice."""
        if self.mode(name) != ABSENT and self.archive is not None:
            yield from self._csv(name, Problems() if again else None)

    def _role_ids(self) -> tuple[set[str] | None, set[str]]:
        """The users the roles file makes students (``None``: every user, when the bundle has no roles), and those
        it makes teachers or aides."""
        if self.mode("roles") == ABSENT:
            return None, set()
        students, teachers = set(), set()
        for _, row in self._csv("roles"):
            if row.get("role") == "student":
                students.add(row["userSourcedId"])
            elif row.get("role") in ("teacher", "aide"):
                teachers.add(row["userSourcedId"])
        return students, teachers - students
