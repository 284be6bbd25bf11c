"""What a nested collection's parent narrows it to; an unknown parent, or one of a school the client does not
read (``scoped``), is refused (``unknownobject``, 404). The view narrows the collection's rows to the client's scope."""

from django.db.models import Q, QuerySet

from courses.models import CatalogCourse, Course
from oneroster import school
from oneroster.entities import ACTIVE, CLASSES, COURSES, STUDENT_ENROLLMENTS, STUDENTS
from oneroster.errors import UnknownObject
from oneroster.school import Links
from oneroster.scoped import visible
from oneroster.teaching import TEACHER_ENROLLMENTS, TEACHERS
from oneroster.views import identifier
from schools.models import AcademicSession, Org, OrgType, SessionType
from students.models import Student
from teachers.models import Teacher


def _found(pk: int | None, kind: str, sourced_id: str) -> int:
    if pk is None:
        raise UnknownObject(f"No {kind} has the sourcedId {sourced_id!r}.")
    return pk


def _course_of_class(sourced_id: str) -> int:
    pk = visible(Course.objects.filter(sourced_id=identifier(sourced_id, "class"))).values_list("id", flat=True).first()
    return _found(pk, "class", sourced_id)


def _student(sourced_id: str, kind: str = "student") -> int:
    pk = visible(Student.objects.filter(sourced_id=identifier(sourced_id, kind))).values_list("id", flat=True).first()
    return _found(pk, kind, sourced_id)


def _school(sourced_id: str) -> int:
    """The school's id; an unknown school is refused."""
    pk = visible(Org.objects.filter(sourced_id=identifier(sourced_id, "school"), type=OrgType.SCHOOL)).values_list(
        "id", flat=True
    )
    return _found(pk.first(), "school", sourced_id)


def _term(sourced_id: str) -> int:
    """The term's id; an unknown term is refused."""
    pk = AcademicSession.objects.filter(sourced_id=identifier(sourced_id, "term"), type=SessionType.TERM)
    return _found(pk.values_list("id", flat=True).first(), "term", sourced_id)


def _class_in_school(school_sourced_id: str, class_sourced_id: str) -> int:
    """The class's course id, when the school offers it (a class of another school is no class of this one)."""
    school_id, course_id = _school(school_sourced_id), _course_of_class(class_sourced_id)
    if not Course.objects.filter(id=course_id, school_id=school_id).exists():
        raise UnknownObject(f"The school {school_sourced_id!r} has no class {class_sourced_id!r}.")
    return course_id


def _teacher(sourced_id: str, kind: str = "teacher") -> int | None:
    return visible(Teacher.objects.filter(sourced_id=identifier(sourced_id, kind))).values_list("id", flat=True).first()


def _students_taking(course_id: int) -> QuerySet:
    return STUDENTS.rows().filter(student_courses__course_id=course_id, student_courses__status__in=ACTIVE)


def _classes_taken_by(student_id: int) -> QuerySet:
    return CLASSES.rows().filter(student_courses__student_id=student_id, student_courses__status__in=ACTIVE)


def students_of_class(links: Links, class_sourced_id: str) -> QuerySet:
    return _students_taking(_course_of_class(class_sourced_id))


def _teachers_of(course_id: int) -> QuerySet:
    return TEACHERS.rows().filter(assignments__course_id=course_id)


def _classes_taught_by(teacher_id: int) -> QuerySet:
    return CLASSES.rows().filter(assignments__teacher_id=teacher_id)


def _enrollments(**narrowed) -> tuple[QuerySet, QuerySet]:
    """The students' and the teachers' enrollments (``ENROLLMENTS``' two parts), narrowed alike."""
    return STUDENT_ENROLLMENTS.rows().filter(**narrowed), TEACHER_ENROLLMENTS.rows().filter(**narrowed)


def teachers_of_class(links: Links, class_sourced_id: str) -> QuerySet:
    return _teachers_of(_course_of_class(class_sourced_id))


def classes_of_course(links: Links, course_sourced_id: str) -> QuerySet:
    pk = visible(CatalogCourse.objects.filter(sourced_id=identifier(course_sourced_id, "course"))).values_list(
        "id", flat=True
    )
    return CLASSES.rows().filter(catalog_course_id=_found(pk.first(), "course", course_sourced_id))


def classes_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    return CLASSES.rows().filter(school_id=_school(school_sourced_id))


def courses_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    """The school's catalog, and the catalog courses it offers classes of (a district's catalog course too)."""
    school_id = _school(school_sourced_id)
    return COURSES.rows().filter(Q(org_id=school_id) | Q(offerings__school_id=school_id)).distinct()


def enrollments_of_school(links: Links, school_sourced_id: str) -> tuple[QuerySet, QuerySet]:
    return _enrollments(course__school_id=_school(school_sourced_id))


def students_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    return STUDENTS.rows().filter(school_id=_school(school_sourced_id))


def teachers_of_school(links: Links, school_sourced_id: str) -> QuerySet:
    return TEACHERS.rows().filter(school_id=_school(school_sourced_id))


def terms_of_school(links: Links, school_sourced_id: str) -> list[dict]:
    _school(school_sourced_id)
    return school.terms(links)  # the district's terms: every school keeps them


def enrollments_of_class_in_school(
    links: Links, school_sourced_id: str, class_sourced_id: str
) -> tuple[QuerySet, QuerySet]:
    return _enrollments(course_id=_class_in_school(school_sourced_id, class_sourced_id))


def students_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> QuerySet:
    return _students_taking(_class_in_school(school_sourced_id, class_sourced_id))


def teachers_of_class_in_school(links: Links, school_sourced_id: str, class_sourced_id: str) -> QuerySet:
    return _teachers_of(_class_in_school(school_sourced_id, class_sourced_id))


def classes_of_student(links: Links, student_sourced_id: str) -> QuerySet:
    return _classes_taken_by(_student(student_sourced_id))


def classes_of_user(links: Links, user_sourced_id: str) -> QuerySet:
    """A student's classes, or a teacher's."""
    pk = (
        visible(Student.objects.filter(sourced_id=identifier(user_sourced_id, "user")))
        .values_list("id", flat=True)
        .first()
    )
    if pk is not None:
        return _classes_taken_by(pk)
    return _classes_taught_by(_found(_teacher(user_sourced_id, "user"), "user", user_sourced_id))


def classes_of_teacher(links: Links, teacher_sourced_id: str) -> QuerySet:
    return _classes_taught_by(_found(_teacher(teacher_sourced_id), "teacher", teacher_sourced_id))


def classes_of_term(links: Links, term_sourced_id: str) -> QuerySet:
    return CLASSES.rows().filter(term_id=_term(term_sourced_id))


def grading_periods_of_term(links: Links, term_sourced_id: str) -> list[dict]:
    _term(term_sourced_id)
    term = str(identifier(term_sourced_id, "term"))
    return [period for period in school.grading_periods(links) if period.get("parent", {}).get("sourcedId") == term]
