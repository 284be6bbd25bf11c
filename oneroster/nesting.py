"""What a nested collection's parent narrows it to; an unknown parent is refused (``unknownobject``, 404)."""

from django.db.models import QuerySet

from courses.models import Course
from oneroster import school
from oneroster.entities import ACTIVE, CLASSES, COURSES, ENROLLMENTS, USERS
from oneroster.errors import UnknownObject
from oneroster.school import Links
from oneroster.views import identifier
from schools.models import AcademicSession, Org, OrgType, SessionType
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


def _school(links: Links, sourced_id: str) -> bool:
    """Whether this school is the one every student and course belongs to (another school has none yet); an
    unknown school is refused."""
    pk = identifier(sourced_id, "school")
    if not Org.objects.filter(sourced_id=pk, type=OrgType.SCHOOL).exists():
        raise UnknownObject(f"No school has the sourcedId {sourced_id!r}.")
    return str(pk) == links.school()["sourcedId"]


def _term(sourced_id: str) -> AcademicSession:
    """The term, which is the one every course is in when it is the first term; an unknown term is refused."""
    found = AcademicSession.objects.filter(sourced_id=identifier(sourced_id, "term"), type=SessionType.TERM).first()
    if found is None:
        raise UnknownObject(f"No term has the sourcedId {sourced_id!r}.")
    return found


def _home_or_none(rows: QuerySet, home: bool) -> QuerySet:
    return rows if home else rows.none()


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
    return _home_or_none(CLASSES.rows(), _school(links, school_sourced_id))


def courses_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    return _home_or_none(COURSES.rows(), _school(links, school_sourced_id))


def enrollments_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    return _home_or_none(ENROLLMENTS.rows(), _school(links, school_sourced_id))


def students_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    return _home_or_none(USERS.rows(), _school(links, school_sourced_id))


def teachers_of_school(links: Links, school_sourced_id: str) -> list:
    _school(links, school_sourced_id)
    return []


def terms_of_school(links: Links, school_sourced_id: str) -> list[dict]:
    _school(links, school_sourced_id)
    return school.terms(links)  # the district's terms: every school keeps them


def enrollments_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> QuerySet:
    home = _school(links, school_sourced_id)
    return _home_or_none(ENROLLMENTS.rows().filter(course_id=_course_of_class(class_sourced_id)), home)


def students_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> QuerySet:
    home = _school(links, school_sourced_id)
    return _home_or_none(_students_taking(_course_of_class(class_sourced_id)), home)


def teachers_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> list:
    _school(links, school_sourced_id)
    return teachers_of_class(links, class_sourced_id)


def classes_of_student(links: Links, student_sourced_id: str) -> QuerySet:
    return _classes_taken_by(_student(student_sourced_id))


def classes_of_user(links: Links, user_sourced_id: str) -> QuerySet:
    return _classes_taken_by(_student(user_sourced_id, "user"))


def classes_of_teacher(links: Links, teacher_sourced_id: str) -> list:
    raise UnknownObject(f"No teacher has the sourcedId {teacher_sourced_id!r} (this service keeps no teachers).")


def classes_of_term(links: Links, term_sourced_id: str) -> QuerySet:
    term = _term(term_sourced_id)
    return _home_or_none(CLASSES.rows(), str(term.sourced_id) == links.term()["sourcedId"])


def grading_periods_of_term(links: Links, term_sourced_id: str) -> list[dict]:
    term = str(_term(term_sourced_id).sourced_id)
    return [period for period in school.grading_periods(links) if period.get("parent", {}).get("sourcedId") == term]
