from django.core.management.base import BaseCommand, CommandError

from students.enrollment import services
from students.enrollment.errors import EnrollmentError
from students.enrollment.writing import Actor
from students.management.commands._enrollment_command import find_courses, find_student
from students.models import Channel


class Command(BaseCommand):
    help = (
        "Enrolls a student (by id or email) in courses (by id or code), like POST /students/{id}/courses. "
        "All or nothing: a full course refuses the whole command unless --waitlist.\n"
        "Example: manage.py enroll ada@school.example CS101 MA201 --waitlist"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("student", help="Student id or email.")
        parser.add_argument("courses", nargs="+", help="Course ids or codes.")
        parser.add_argument("--waitlist", action="store_true", help="Waitlist the student on full courses.")

    def handle(self, *args, student: str, courses: list[str], waitlist: bool, **options) -> None:
        found, chosen = find_student(student), find_courses(courses)
        try:
            change = services.change_courses(
                student_id=found.id,
                enroll=[course.id for course in chosen],
                actor=Actor(channel=Channel.COMMAND),
                waitlist=waitlist,
            )
        except EnrollmentError as error:
            raise CommandError(f"Nothing was changed: {error.detail}") from error
        codes = {course.id: course.code for course in chosen}
        for course_id in change.added:
            self.stdout.write(f"enrolled {found.email} in {codes[course_id]}")
        for course_id in change.waitlisted:
            self.stdout.write(f"waitlisted {found.email} for {codes[course_id]} (the course is full)")
        for course_id in change.unchanged:
            self.stdout.write(f"already so: {found.email} in {codes[course_id]}")
