"""Reads a OneRoster 1.2 CSV bundle: its manifest and the rows of the files we keep, each checked and tied to its
file and line. Nothing here touches the database; ``importing`` resolves and applies what was read."""

import csv
import datetime as dt
import io
import sys
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from config.spreadsheet_cells import restored
from courses.models import COURSE_CODE_VALIDATOR, normalize_course_code
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


@dataclass(frozen=True, slots=True)
class Where:
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}.csv line {self.line}"


@dataclass(frozen=True, slots=True)
class UserRow:
    where: Where
    sourced_id: str
    first_name: str
    last_name: str
    email: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class CourseRow:
    where: Where
    sourced_id: str
    code: str
    title: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class ClassRow:
    where: Where
    sourced_id: str
    course: str
    deleted: bool


@dataclass(frozen=True, slots=True)
class EnrollmentRow:
    where: Where
    sourced_id: str
    user: str
    klass: str
    target: str  # enrolled, completed or dropped
    begin: dt.date | None


@dataclass
class Bundle:
    """What a bundle says, as far as we keep it; ``problems`` names every row we cannot take, with its place."""

    modes: dict[str, str]
    users: list[UserRow] = field(default_factory=list)
    courses: list[CourseRow] = field(default_factory=list)
    classes: list[ClassRow] = field(default_factory=list)
    enrollments: list[EnrollmentRow] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)  # rows we keep nothing for, by reason
    problems: list[str] = field(default_factory=list)

    def mode(self, name: str) -> str:
        return self.modes.get(name, ABSENT)

    def skip(self, reason: str) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + 1


class _Refusal(Exception):
    pass


def _csv_rows(archive: zipfile.ZipFile, name: str, bundle: Bundle) -> Iterator[tuple[Where, dict[str, str]]]:
    filename = f"{name}.csv"
    if filename not in archive.namelist():
        bundle.problems.append(f"{filename}: the manifest declares it {bundle.mode(name)}; the bundle lacks it")
        return
    with archive.open(filename) as raw:
        reader = csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        missing = [c for c in REQUIRED.get(name, ("sourcedId",)) if c not in (reader.fieldnames or ())]
        if missing:
            bundle.problems.append(f"{filename}: the header lacks {', '.join(missing)}")
            return
        for row in reader:
            yield Where(name, reader.line_num), {k: restored(v or "").strip() for k, v in row.items() if k is not None}


def _status(where: Where, row: dict, bundle: Bundle) -> bool:
    """Whether the row is a tombstone (``tobedeleted``); a status other than the binding's is a problem."""
    status = row.get("status", "")
    if status not in STATUSES:
        raise _Refusal(f"{where}: status {status!r} is none of active, tobedeleted")
    if status == "tobedeleted" and bundle.mode(where.file) == BULK:
        raise _Refusal(f"{where}: a bulk file lists what is, so no row of it is tobedeleted")
    return status == "tobedeleted"


def _required(where: Where, row: dict, *names: str) -> None:
    empty = [name for name in names if not row.get(name)]
    if empty:
        raise _Refusal(f"{where}: {', '.join(empty)} must not be empty")
    for name in names:
        if name.endswith(("sourcedId", "SourcedId")):
            try:
                uuid.UUID(row[name])
            except ValueError:
                raise _Refusal(
                    f"{where}: {name} {row[name]!r} is no UUID (the sourcedIds this service keeps)"
                ) from None


def _user(where: Where, row: dict, bundle: Bundle) -> UserRow:
    deleted = _status(where, row, bundle)
    _required(where, row, "sourcedId", "givenName", "familyName")
    email = normalize_email(row.get("email") or row.get("username", ""))
    try:
        validate_email(email)
    except ValidationError:
        raise _Refusal(f"{where}: {email!r} is no email address (email, or username when email is empty)") from None
    for name, limit in (("givenName", 100), ("familyName", 100)):
        if len(row[name]) > limit:
            raise _Refusal(f"{where}: {name} is longer than {limit} characters")
    return UserRow(where, row["sourcedId"], row["givenName"], row["familyName"], email, deleted)


def _course(where: Where, row: dict, bundle: Bundle) -> CourseRow:
    deleted = _status(where, row, bundle)
    _required(where, row, "sourcedId", "title", "courseCode")
    code = normalize_course_code(row["courseCode"])
    try:
        COURSE_CODE_VALIDATOR(code)
    except ValidationError as error:
        raise _Refusal(f"{where}: courseCode {row['courseCode']!r}: {error.messages[0]}") from None
    if len(code) > 32 or len(row["title"]) > 200:
        raise _Refusal(f"{where}: courseCode is at most 32 characters, title at most 200")
    return CourseRow(where, row["sourcedId"], code, row["title"], deleted)


def _class(where: Where, row: dict, bundle: Bundle) -> ClassRow:
    deleted = _status(where, row, bundle)
    _required(where, row, "sourcedId", "courseSourcedId")
    return ClassRow(where, row["sourcedId"], row["courseSourcedId"], deleted)


def _date(where: Where, row: dict, name: str) -> dt.date | None:
    if not row.get(name):
        return None
    try:
        return dt.date.fromisoformat(row[name])
    except ValueError:
        raise _Refusal(f"{where}: {name} {row[name]!r} is no date of the form YYYY-MM-DD") from None


def _enrollment(where: Where, row: dict, bundle: Bundle, today: dt.date) -> EnrollmentRow:
    deleted = _status(where, row, bundle)
    _required(where, row, "sourcedId", "classSourcedId", "userSourcedId")
    begin, end = _date(where, row, "beginDate"), _date(where, row, "endDate")
    ours = row.get("metadata.enrollmentStatus", "")
    if ours not in ("", "enrolled", "completed", "dropped"):
        raise _Refusal(f"{where}: metadata.enrollmentStatus {ours!r} is none of enrolled, completed, dropped")
    if deleted:
        target = "dropped"
    elif ours in ("enrolled", "completed"):
        target = ours
    else:  # the end date is exclusive: an enrollment whose end has come is completed
        target = "completed" if end is not None and end <= today else "enrolled"
    user, klass = sys.intern(row["userSourcedId"]), sys.intern(row["classSourcedId"])  # each repeats a lot
    return EnrollmentRow(where, row["sourcedId"], user, klass, target, begin)


def _read_manifest(archive: zipfile.ZipFile) -> dict[str, str]:
    if MANIFEST not in archive.namelist():
        raise _Refusal("the bundle has no manifest.csv")
    with archive.open(MANIFEST) as raw:
        properties = {
            row.get("propertyName", ""): restored(row.get("value") or "").strip()
            for row in csv.DictReader(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
        }
    if properties.get("oneroster.version") != "1.2":
        raise _Refusal(f"manifest.csv: oneroster.version is {properties.get('oneroster.version')!r}, not '1.2'")
    modes = {}
    for name, value in properties.items():
        if name.startswith("file."):
            if value not in (BULK, DELTA, ABSENT):
                raise _Refusal(f"manifest.csv: {name} is {value!r}, none of bulk, delta, absent")
            modes[name.removeprefix("file.")] = value
    return modes


PROGRESS_EVERY = 5000


def read(source: str | IO[bytes], *, today: dt.date, progress: Callable[[str, int], None] | None = None) -> Bundle:
    """Every row of the bundle we keep, checked; problems collected rather than raised, so all are reported."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError):
        return Bundle(modes={}, problems=["the file is no zip archive"])
    with archive:
        try:
            bundle = Bundle(modes=_read_manifest(archive))
        except (_Refusal, UnicodeDecodeError, csv.Error) as refusal:
            return Bundle(modes={}, problems=[str(refusal)])
        for name, mode in bundle.modes.items():
            if mode != ABSENT and name not in KEPT:
                bundle.skip(f"{name}.csv (this service keeps none)")
        students = _student_ids(archive, bundle)
        readers = {
            "courses": (_course, bundle.courses),
            "classes": (_class, bundle.classes),
            "users": (_user, bundle.users),
            "enrollments": (lambda w, r, b: _enrollment(w, r, b, today), bundle.enrollments),
        }
        for name, (parse, rows) in readers.items():
            if bundle.mode(name) == ABSENT:
                continue
            try:
                for where, row in _csv_rows(archive, name, bundle):
                    if progress is not None and where.line % PROGRESS_EVERY == 0:
                        progress(name, where.line - 1)
                    if name == "users" and students is not None and row.get("sourcedId") not in students:
                        bundle.skip("users who are no students")
                        continue
                    if name == "enrollments" and row.get("role") != "student":
                        bundle.skip("enrollments of other roles than student")
                        continue
                    try:
                        rows.append(parse(where, row, bundle))
                    except _Refusal as refusal:
                        bundle.problems.append(str(refusal))
            except (UnicodeDecodeError, csv.Error) as error:
                bundle.problems.append(f"{name}.csv: unreadable ({error}); write it as UTF-8 CSV")
    return bundle


def _student_ids(archive: zipfile.ZipFile, bundle: Bundle) -> set[str] | None:
    """The users the roles file makes students; ``None`` (every user) when the bundle has no roles."""
    if bundle.mode("roles") == ABSENT:
        return None
    return {row["userSourcedId"] for _, row in _csv_rows(archive, "roles", bundle) if row.get("role") == "student"}
