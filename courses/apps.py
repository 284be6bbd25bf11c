from django.apps import AppConfig


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = "Courses"

    def ready(self) -> None:
        from changes.feed import follow_model
        from courses.models import CATALOG_COURSE_API_FIELDS, COURSE_API_FIELDS, CatalogCourse, Course
        from schools.models import ORG_API_FIELDS, SESSION_API_FIELDS, AcademicSession, Org

        follow_model(Course, name="course", fields=COURSE_API_FIELDS)
        # What courses are offered by, in and as (schools lie below the feed, so their models are followed here).
        follow_model(Org, name="org", fields=ORG_API_FIELDS)
        follow_model(AcademicSession, name="session", fields=SESSION_API_FIELDS)
        follow_model(CatalogCourse, name="catalog_course", fields=CATALOG_COURSE_API_FIELDS)
