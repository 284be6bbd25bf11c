import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from imports.problems import Problems
from students.enrollment import bulk
from students.enrollment.errors import EnrollmentError
from students.enrollment.wording import counted
from students.enrollment.writing import Actor
from students.enrollment_csv import by_line, read_rows
from students.models import Channel


class Command(BaseCommand):
    help = (
        "Imports enrollments from a CSV file with a header row: student_email,course_code and an optional action "
        "column (add, the default, or drop); an enrolled_at column, as exports have, is ignored. The whole file is "
        "checked first: if any row is bad, every bad row is reported with its line number and nothing is applied. "
        "Otherwise everything is applied in one transaction.\n"
        "Example: manage.py import_enrollments enrollments.csv --dry-run   (use - to read standard input)"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="The CSV file, or - for standard input.")
        parser.add_argument("--dry-run", action="store_true", help="Print the summary and change nothing.")
        parser.add_argument(
            "--replace", action="store_true", help="Make each listed student's courses exactly the listed set."
        )
        parser.add_argument("--waitlist", action="store_true", help="Waitlist students on full courses.")

    def handle(self, *args, file: str, dry_run: bool, replace: bool, waitlist: bool, **options) -> None:
        try:
            stream = sys.stdin.buffer if file == "-" else open(file, "rb")  # noqa: SIM115
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from error
        problems = Problems()
        with stream, transaction.atomic():
            staged = bulk.stage(read_rows(stream, problems))
            staged.add_problems_to(problems)
            if problems:
                for error in by_line(problems.listed()):
                    self.stderr.write(error)
                raise CommandError(f"{counted(problems.total, 'problem')} in the file; nothing was applied.")
            try:
                summary = staged.apply(
                    actor=Actor(channel=Channel.COMMAND), replace=replace, waitlist=waitlist, dry_run=dry_run
                )
            except EnrollmentError as error:
                raise CommandError(f"Nothing was applied: {error.detail}") from error
        prefix = "Dry run, nothing changed. Would have: " if dry_run else ""
        self.stdout.write(
            f"{prefix}{counted(staged.rows, 'row')}: added {summary.added}, dropped {summary.dropped}, "
            f"waitlisted {summary.waitlisted}, unchanged {summary.unchanged}."
        )
