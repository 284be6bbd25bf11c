from django.apps import AppConfig


class StudentsConfig(AppConfig):
    name = "students"
    verbose_name = "Students"

    def ready(self) -> None:
        from changes.feed import follow_model
        from students.models import STUDENT_API_FIELDS, Student

        follow_model(Student, name="student", fields=STUDENT_API_FIELDS)
