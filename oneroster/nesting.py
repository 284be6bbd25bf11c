"""What a nested collection's parent narrows it to; an unknown parent is refused (``unknownobject``, 404)."""

from django.db.models import QuerySet

from courses.models import Course
from oneroster import school
from oneroster.entities import ACTIVE, CLASSES, COURSES, ENROLLMENTS, USERS
from oneroster.errors import UnknownObject
from oneroster.school import Links
from oneroster.views import identifier
from students.models import Student


def _found(pk: int | None, kind: str, sourced_id: str) -> int:
    if pk is None:
        raise UnknownObject(f"No {kind} has the sourcedId {sourced_id!r}.")
    return pk


def _course_of_class(sourced_id: str) -> int:
    pk = Course.objects.filter(class_sourced_id=identifier(sourced_id, "class")).values_list("id", flat=True).first()
    return _found(pk, "class", sourced_id)


def _student(sourced_id: str, kind: str = "student") -> int:
    pk = Student.objects.filter(sourced_id=identifier(sourced_id, kind)).values_list("id", flat=True).first()
    return _found(pk, kind, sourced_id)


def _school(sourced_id: str) -> None:
    if sourced_id != school.school_id():
        raise UnknownObject(f"No school has the sourcedId {sourced_id!r}.")


def _term(sourced_id: str) -> None:
    if sourced_id != school.term_id():
        raise UnknownObject(f"No term has the sourcedId {sourced_id!r}.")


def _students_taking(course_id: int) -> QuerySet:
    return USERS.rows().filter(student_courses__course_id=course_id, student_courses__status__in=ACTIVE)


def _classes_taken_by(student_id: int) -> QuerySet:
    return CLASSES.rows().filter(student_courses__student_id=student_id, student_courses__status__in=ACTIVE)


def students_of_class(links: Links, class_sourced_id: str) -> QuerySet:
    return _students_taking(_course_of_class(class_sourced_id))


def teachers_of_class(links: Links, class_sourced_id: str) -> list:
    _course_of_class(class_sourced_id)
    return []


def classes_of_course(links: Links, course_sourced_id: str) -> QuerySet:
    pk = Course.objects.filter(sourced_id=identifier(course_sourced_id, "course")).values_list("id", flat=True).first()
    return CLASSES.rows().filter(id=_found(pk, "course", course_sourced_id))


def classes_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    _school(school_sourced_id)
    return CLASSES.rows()


def courses_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    _school(school_sourced_id)
    return COURSES.rows()


def enrollments_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    _school(school_sourced_id)
    return ENROLLMENTS.rows()


def students_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    _school(school_sourced_id)
    return USERS.rows()


def teachers_of_school(links: Links, school_sourced_id: str) -> list:
    _school(school_sourced_id)
    return []


def terms_of_school(links: Links, school_sourced_id: str) -> list[dict]:
    _school(school_sourced_id)
    return school.terms(links)


def enrollments_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> QuerySet:
    _school(school_sourced_id)
    return ENROLLMENTS.rows().filter(course_id=_course_of_class(class_sourced_id))


def students_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> QuerySet:
    _school(school_sourced_id)
    return _students_taking(_course_of_class(class_sourced_id))


def teachers_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> list:
    _school(school_sourced_id)
    return teachers_of_class(links, class_sourced_id)


def classes_of_student(links: Links, student_sourced_id: str) -> QuerySet:
    return _classes_taken_by(_student(student_sourced_id))


def classes_of_user(links: Links, user_sourced_id: str) -> QuerySet:
    return _classes_taken_by(_student(user_sourced_id, "user"))


def classes_of_teacher(links: Links, teacher_sourced_id: str) -> list:
    raise UnknownObject(f"No teacher has the sourcedId {teacher_sourced_id!r} (this service keeps no teachers).")


def classes_of_term(links: Links, term_sourced_id: str) -> QuerySet:
    _term(term_sourced_id)
    return CLASSES.rows()


def grading_periods_of_term(links: Links, term_sourced_id: str) -> list:
    _term(term_sourced_id)
    return []
