"""The enrollments CSV format, shared by ``import_enrollments`` and ``export_enrollments``.

A header row, then one association a row: ``student_email,course_code``, an optional ``action`` (``add``, the
default, or ``drop``) and, in exports, ``enrolled_at`` (ignored on import, so an export can be imported again).
"""

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from config.iterables import batched
from courses.models import Course, normalize_course_code
from students.models import EnrollmentStatus, Student, StudentCourse, normalize_email

REQUIRED_COLUMNS = ("student_email", "course_code")
OPTIONAL_COLUMNS = ("action", "enrolled_at")
EXPORT_COLUMNS = ("student_email", "course_code", "enrolled_at")
ACTIONS = ("add", "drop")
LOOKUP_BATCH = 5000


@dataclass
class ParsedFile:
    """A validated file: ``changes[student_id] = (course ids to add, course ids to drop)``, or ``errors``."""

    changes: dict[int, tuple[set[int], set[int]]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    rows: int = 0


def _lines(stream: BinaryIO, errors: list[str]) -> Iterator[str]:
    """Decodes the file line by line as UTF-8 (a BOM is allowed), reporting each undecodable line.

    An undecodable line is replaced by an empty one, so that line numbers stay true.
    """
    for number, raw in enumerate(stream, start=1):
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as error:
            errors.append(f"line {number}: not UTF-8 text ({error.reason} at byte {error.start})")
            yield "\n"


def _lookup(model, column: str, values: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for batch in batched(sorted(values), LOOKUP_BATCH):
        found.update(model.objects.filter(**{f"{column}__in": batch}).values_list(column, "id"))
    return found


def parse_enrollments(stream: BinaryIO) -> ParsedFile:
    """Reads and validates the whole file; every bad row is reported with its line number and the reason."""
    parsed = ParsedFile()
    reader = csv.reader(_lines(stream, parsed.errors))
    try:
        _parse(reader, parsed)
    except csv.Error as error:
        parsed.errors.append(f"line {reader.line_num}: not valid CSV ({error})")
    parsed.errors.sort(key=lambda error: int(error.split(":", 1)[0].removeprefix("line ")))
    return parsed


def _parse(reader, parsed: ParsedFile) -> ParsedFile:
    header = [name.strip().lower() for name in next(reader, [])]
    if not any(header):
        if not parsed.errors:
            parsed.errors.append("line 1: the file is empty; expected a header row: student_email,course_code")
        return parsed
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:
        parsed.errors += [f"line 1: missing column {name!r}" for name in missing]
        parsed.errors += [f"line 1: unknown column {name!r}" for name in unknown]
        return parsed
    position = {name: header.index(name) for name in header}

    entries: list[tuple[int, str, str, str]] = []
    for row in reader:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            parsed.errors.append(f"line {number}: expected {len(header)} columns, found {len(row)}")
            continue
        email = normalize_email(row[position["student_email"]])
        code = normalize_course_code(row[position["course_code"]])
        action = row[position["action"]].strip().lower() if "action" in position else ""
        action = action or "add"
        try:
            validate_email(email)
        except ValidationError:
            parsed.errors.append(f"line {number}: malformed email {email!r}")
            continue
        if not code:
            parsed.errors.append(f"line {number}: empty course_code")
            continue
        if action not in ACTIONS:
            parsed.errors.append(f"line {number}: action must be 'add' or 'drop', not {action!r}")
            continue
        entries.append((number, email, code, action))
    parsed.rows = len(entries)

    students = _lookup(Student, "email", {email for _, email, _, _ in entries})
    courses = _lookup(Course, "code", {code for _, _, code, _ in entries})
    seen: dict[tuple[int, int], tuple[str, int]] = {}
    for number, email, code, action in entries:
        if email not in students:
            parsed.errors.append(f"line {number}: unknown student {email!r}")
            continue
        if code not in courses:
            parsed.errors.append(f"line {number}: unknown course {code!r}")
            continue
        key = (students[email], courses[code])
        if key in seen and seen[key][0] != action:
            parsed.errors.append(f"line {number}: {action} contradicts line {seen[key][1]} for {email} {code}")
            continue
        seen.setdefault(key, (action, number))
        add, drop = parsed.changes.setdefault(key[0], (set(), set()))
        (add if action == "add" else drop).add(key[1])
    return parsed


def enrollment_rows(*, course_code: str | None = None, student_email: str | None = None) -> Iterable[tuple]:
    """The enrolled associations as ``(student_email, course_code, enrolled_at)``, streamed from the database."""
    rows = StudentCourse.objects.filter(status=EnrollmentStatus.ENROLLED)
    if course_code:
        rows = rows.filter(course__code=normalize_course_code(course_code))
    if student_email:
        rows = rows.filter(student__email=normalize_email(student_email))
    ordered = rows.order_by("student__email", "course__code")
    return ordered.values_list("student__email", "course__code", "enrolled_at").iterator(chunk_size=5000)


def write_enrollments(rows: Iterable[tuple], out: TextIO) -> int:
    """Writes the header and the rows; returns how many rows were written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(EXPORT_COLUMNS)
    count = 0
    for email, code, enrolled_at in rows:
        writer.writerow((email, code, enrolled_at.isoformat()))
        count += 1
    return count
