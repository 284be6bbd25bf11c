from django.apps import AppConfig


class TeachersConfig(AppConfig):
    name = "teachers"
    verbose_name = "Teachers"

    def ready(self) -> None:
        from changes.feed import follow_model
        from teachers.models import ASSIGNMENT_API_FIELDS, TEACHER_API_FIELDS, Assignment, Teacher

        follow_model(Teacher, name="teacher", fields=TEACHER_API_FIELDS)
        follow_model(Assignment, name="assignment", fields=ASSIGNMENT_API_FIELDS)
