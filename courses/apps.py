from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from changes.feed import follow_model
        from courses.models import COURSE_API_FIELDS, Course

        follow_model(Course, name="course", fields=COURSE_API_FIELDS)
