"""The enrollments CSV format, shared by ``import_enrollments`` and ``export_enrollments``.

A header row, then one association a row: ``student_email,course_code``, an optional ``action`` (``add``, the
default, or ``drop``) and, in exports, ``enrolled_at`` (ignored on import, so an export can be imported again).
A cell a spreadsheet would run as a formula (an email may begin with ``=``, ``+`` or ``-``) is written behind a quote
and read back without it (``config.spreadsheet_cells``).
"""

import csv
from collections.abc import Iterable, Iterator
from typing import BinaryIO, TextIO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from config.spreadsheet_cells import neutralized, restored
from courses.models import normalize_course_code
from imports.files import csv_rows
from imports.problems import Problems
from students.enrollment.bulk import Row
from students.models import EnrollmentStatus, StudentCourse, normalize_email

REQUIRED_COLUMNS = ("student_email", "course_code")
OPTIONAL_COLUMNS = ("action", "enrolled_at")
EXPORT_COLUMNS = ("student_email", "course_code", "enrolled_at")
ACTIONS = ("add", "drop")
COLUMNS_READ = ("student_email", "course_code", "action")
EMAILS_REMEMBERED = 200_000


def read_rows(stream: BinaryIO, problems: Problems) -> Iterator[Row]:
    """The file's well-formed rows, streamed; every malformed one is added to ``problems`` with its line number and
    the reason (whether its student and course exist is the import's to check). The file is read within the
    import bounds (``imports.files``)."""
    rows = csv_rows(stream, problems)
    line, header = next(rows, (1, []))
    header = [name.strip().lower() for name in header]
    if not any(header):
        if not problems:
            problems.add("line 1: the file is empty; expected a header row: student_email,course_code")
        return
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if missing or unknown:  # one problem: the header is wrong, however many of its names are
        wrong = [f"no {name!r} column" for name in missing] + [f"an unknown column {name!r}" for name in unknown]
        problems.add(
            f"line {line}: the header has {' and '.join(wrong)}; expected student_email,course_code and, "
            "optionally, action"
        )
        return
    email_at, code_at, action_at = (header.index(name) if name in header else None for name in COLUMNS_READ)
    valid_emails: dict[str, bool] = {}  # a district's file names each student many times: check each email once
    for number, row in rows:
        if len(row) != len(header):
            if any(cell.strip() for cell in row):
                problems.add(f"line {number}: expected {len(header)} columns, found {len(row)}")
            continue
        email, code = normalize_email(restored(row[email_at])), normalize_course_code(restored(row[code_at]))
        action = (restored(row[action_at]).strip().lower() if action_at is not None else "") or "add"
        if not (email or code or any(cell.strip() for cell in row)):
            continue
        if (valid := valid_emails.get(email)) is None:
            if len(valid_emails) > EMAILS_REMEMBERED:
                valid_emails.clear()  # bounded: a file of a million distinct emails checks some twice
            valid = valid_emails[email] = _is_email(email)
        if not valid:
            problems.add(f"line {number}: malformed email {email!r}")
        elif not code:
            problems.add(f"line {number}: empty course_code")
        elif action not in ACTIONS:
            problems.add(f"line {number}: action must be 'add' or 'drop', not {action!r}")
        else:
            yield Row(number, email, code, action == "drop")


def by_line(errors: list[str]) -> list[str]:
    """The errors in the order of their lines (those naming no line last, as they came)."""

    def line_of(error: str) -> float:
        head = error.split(":", 1)[0]
        return int(head.removeprefix("line ")) if head.startswith("line ") and head[5:].isdigit() else float("inf")

    return sorted(errors, key=line_of)


def _is_email(email: str) -> bool:
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


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
        writer.writerow((neutralized(email), neutralized(code), enrolled_at.isoformat()))
        count += 1
    return count
