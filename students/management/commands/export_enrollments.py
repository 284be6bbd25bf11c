import os
import sys

from django.core.management.base import BaseCommand, CommandError

from courses.models import Course, normalize_course_code
from students.enrollment_csv import enrollment_rows, write_enrollments
from students.models import Student, normalize_email


class Command(BaseCommand):
    help = (
        "Exports enrolled associations as CSV (student_email,course_code,enrolled_at), streamed from the database "
        "so that large exports need little memory. The file can be fed back to import_enrollments.\n"
        "Example: manage.py export_enrollments --course CS101 --output cs101.csv"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--output", default="-", help="The file to write; - (the default) for standard output.")
        parser.add_argument("--course", help="Only this course (code).")
        parser.add_argument("--student", help="Only this student (email).")

    def handle(self, *args, output: str, course: str | None, student: str | None, **options) -> None:
        if course and not Course.objects.filter(code=normalize_course_code(course)).exists():
            raise CommandError(f"No course has the code {course!r}.")
        if student and not Student.objects.filter(email=normalize_email(student)).exists():
            raise CommandError(f"No student has the email {student!r}.")
        rows = enrollment_rows(course_code=course, student_email=student)
        if output == "-":
            try:
                write_enrollments(rows, self.stdout)
            except BrokenPipeError:  # the reader stopped early (`| head`): stop quietly
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        else:
            try:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    count = write_enrollments(rows, out)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}.") from error
            self.stderr.write(f"Exported {count} enrollments to {output}.")
