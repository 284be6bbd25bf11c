"""OneRoster's entities as our data shows them: each collection's records, and the fields it filters and sorts on.

The mapping (README, "OneRoster"): each student is a ``user`` with the one role ``student`` at the school; each
course (what students enroll in) is a ``class`` (scheduled, at its school, in its term) of its catalog course, which
is a ``course`` (in its school's or district's catalog); each association that is or was enrolled is an
``enrollment`` — ``enrolled`` and ``completed`` are ``active``, ``dropped`` is ``tobedeleted``, each with the
association's own ``beginDate`` and ``endDate`` (``students.enrollment.dates``); waitlisted associations are no
enrollment (nobody takes the class yet).
"""

from collections.abc import Mapping

from django.db.models import Case, Q, Value, When

from courses.models import CatalogCourse, Course
from oneroster import school, teaching
from oneroster.filtering import (
    Choice,
    Constant,
    Day,
    Identifier,
    Moment,
    Text,
    parse_date,
    parse_datetime,
)
from oneroster.school import Links, stamp
from oneroster.sources import (
    ACADEMIC_SESSION,
    CLASS,
    COURSE,
    DEMOGRAPHICS,
    ENROLLMENT,
    ORG,
    PERSON_COLUMNS,
    USER,
    Records,
    Rows,
    Union,
    person,
    person_filters,
)
from students.models import EnrollmentStatus, Student, StudentCourse

# Users: students (here) and teachers (``teaching``) -------------------------------------------------------------------

STUDENTS = Rows(
    USER,
    rows=lambda: Student.objects.values(*PERSON_COLUMNS),
    record=lambda row, links: person(row, links, "student"),
    identifier="sourced_id",
    filters=person_filters("student"),
)

# Classes (our courses: what students enroll in) and courses (our catalog courses) --------------------------------

_CLASS_COLUMNS = (
    *("id", "sourced_id", "updated_at", "code", "title"),
    *("catalog_course__sourced_id", "school__sourced_id", "term__sourced_id"),
)


def _class(row: Mapping, links: Links) -> dict:
    return {
        "sourcedId": str(row["sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "title": row["title"],
        "classCode": row["code"],
        "classType": "scheduled",
        "course": links.ref("courses", "course", row["catalog_course__sourced_id"]),
        "school": links.org(row["school__sourced_id"]),
        "terms": [links.session(row["term__sourced_id"])],
    }


_CATALOG_COLUMNS = ("id", "sourced_id", "updated_at", "code", "title", "org__sourced_id")


def _course(row: Mapping, links: Links) -> dict:
    return {
        "sourcedId": str(row["sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "title": row["title"],
        "courseCode": row["code"],
        "org": links.org(row["org__sourced_id"]),
    }


_COURSE_FILTERS = {
    "sourcedId": Identifier("sourced_id"),
    "status": Constant("active"),
    "dateLastModified": Moment("updated_at"),
    "title": Text("title"),
}
CLASSES = Rows(
    CLASS,
    rows=lambda: Course.objects.values(*_CLASS_COLUMNS),
    record=_class,
    identifier="sourced_id",
    filters={
        **_COURSE_FILTERS,
        "classCode": Text("code"),
        "classType": Constant("scheduled"),
        "course.sourcedId": Identifier("catalog_course__sourced_id"),
        "school.sourcedId": Identifier("school__sourced_id"),
        "terms.sourcedId": Identifier("term__sourced_id"),
    },
)
COURSES = Rows(
    COURSE,
    rows=lambda: CatalogCourse.objects.values(*_CATALOG_COLUMNS),
    record=_course,
    identifier="sourced_id",
    filters={**_COURSE_FILTERS, "courseCode": Text("code"), "org.sourcedId": Identifier("org__sourced_id")},
)

# Enrollments (associations that are or were enrolled) --------------------------------------------------------------

ACTIVE = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED)
_ENROLLMENT_COLUMNS = (
    *("id", "sourced_id", "status", "status_changed_at", "begin_date", "end_date"),
    *("student__sourced_id", "course__sourced_id", "course__school__sourced_id"),
)


def _enrollment(row: Mapping, links: Links) -> dict:
    record = {
        "sourcedId": str(row["sourced_id"]),
        "status": "tobedeleted" if row["status"] == EnrollmentStatus.DROPPED else "active",
        "dateLastModified": stamp(row["status_changed_at"]),
        "user": links.ref("users", "user", row["student__sourced_id"]),
        "class": links.ref("classes", "class", row["course__sourced_id"]),
        "school": links.org(row["course__school__sourced_id"]),
        "role": "student",
        "primary": "false",
    }
    if row["begin_date"] is not None:  # a drop from the waitlist never began
        record["beginDate"] = row["begin_date"].isoformat()
    if row["end_date"] is not None:  # exclusive: the day after the last one
        record["endDate"] = row["end_date"].isoformat()
    return record


STUDENT_ENROLLMENTS = Rows(
    ENROLLMENT,
    rows=lambda: StudentCourse.objects.exclude(status=EnrollmentStatus.WAITLISTED).values(*_ENROLLMENT_COLUMNS),
    record=_enrollment,
    identifier="sourced_id",
    filters={
        "sourcedId": Identifier("sourced_id"),
        "status": Choice({"active": Q(status__in=ACTIVE), "tobedeleted": Q(status=EnrollmentStatus.DROPPED)}),
        "dateLastModified": Moment("status_changed_at"),
        "user.sourcedId": Identifier("student__sourced_id"),
        "class.sourcedId": Identifier("course__sourced_id"),
        "school.sourcedId": Identifier("course__school__sourced_id"),
        "role": Constant("student"),
        "primary": Constant("false"),
        "beginDate": Day("begin_date"),
        "endDate": Day("end_date"),
    },
    sorts={"status": Case(When(status=EnrollmentStatus.DROPPED, then=Value(1)), default=Value(0))},
)

# Read whole and filtered in memory: the orgs and the academic sessions (a district's hundreds: two queries a
# request, parents and children included); and the collections we keep nothing in ----------------------------------

_STAMP_KINDS = {"dateLastModified": parse_datetime}
_SESSION_KINDS = {**_STAMP_KINDS, "startDate": parse_date, "endDate": parse_date}
ORGS = Records(ORG, school.orgs, _STAMP_KINDS)
SCHOOLS = Records(ORG, school.schools, _STAMP_KINDS)
ACADEMIC_SESSIONS = Records(ACADEMIC_SESSION, school.academic_sessions, _SESSION_KINDS)
TERMS = Records(ACADEMIC_SESSION, school.terms, _SESSION_KINDS)
GRADING_PERIODS = Records(ACADEMIC_SESSION, school.grading_periods, _SESSION_KINDS)
NO_DEMOGRAPHICS = Records(DEMOGRAPHICS, lambda links: [], {**_STAMP_KINDS, "birthDate": parse_date})

# Read as one collection: every user (students, then teachers), every enrollment (students', then teachers')

USERS = Union(USER, (STUDENTS, teaching.TEACHERS))
ENROLLMENTS = Union(ENROLLMENT, (STUDENT_ENROLLMENTS, teaching.TEACHER_ENROLLMENTS))
