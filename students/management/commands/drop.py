from django.core.management.base import BaseCommand

from students.enrollment import services
from students.enrollment.writing import Actor
from students.management.commands._enrollment_command import find_courses, find_student
from students.models import Channel


class Command(BaseCommand):
    help = (
        "Drops courses (by id or code) from a student (by id or email), like DELETE /students/{id}/courses/{id}. "
        "A freed seat goes to the course's longest-waiting student.\n"
        "Example: manage.py drop ada@school.example CS101"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("student", help="Student id or email.")
        parser.add_argument("courses", nargs="+", help="Course ids or codes.")

    def handle(self, *args, student: str, courses: list[str], **options) -> None:
        found, chosen = find_student(student), find_courses(courses)
        change = services.change_courses(
            student_id=found.id, drop=[course.id for course in chosen], actor=Actor(channel=Channel.COMMAND)
        )
        for course in chosen:
            if course.id in change.removed:
                self.stdout.write(f"dropped {course.code} for {found.email}")
            else:
                self.stdout.write(f"already so: {found.email} is not enrolled in {course.code}")
