"""OneRoster's entities as our data shows them: each collection's records, and the fields it filters and sorts on.

The mapping (README, "OneRoster"): each student is a ``user`` with the one role ``student`` at the school; each
course is a ``course`` and one ``class`` of it (scheduled, in the term, at the school); each association that is or
was enrolled is an ``enrollment`` — ``enrolled`` and ``completed`` are ``active`` (completed with an ``endDate``),
``dropped`` is ``tobedeleted``; waitlisted associations are no enrollment (nobody takes the class yet).
"""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.db.models import Case, Q, QuerySet, Value, When
from django.utils import timezone

from courses.models import Course
from oneroster import school
from oneroster.filtering import (
    NEVER,
    Choice,
    Constant,
    DayOf,
    FilterField,
    Identifier,
    Moment,
    Text,
    as_text,
    parse_date,
    parse_datetime,
)
from oneroster.school import Links, stamp
from students.models import EnrollmentStatus, Student, StudentCourse

BASE_PROPERTIES = ("sourcedId", "status", "dateLastModified", "metadata")


@dataclass(frozen=True)
class Entity:
    """A OneRoster type: the key of its collections and of its single record, and its properties (from 1EdTech's
    OpenAPI file: what ``fields`` may select)."""

    collection: str
    single: str
    properties: tuple[str, ...]


USER = Entity(
    "users",
    "user",
    (
        *BASE_PROPERTIES,
        *("userMasterIdentifier", "username", "userIds", "enabledUser", "givenName", "familyName", "middleName"),
        *("preferredFirstName", "preferredMiddleName", "preferredLastName", "pronouns", "roles", "userProfiles"),
        *("primaryOrg", "identifier", "email", "sms", "phone", "agents", "grades", "password", "resources"),
    ),
)
CLASS = Entity(
    "classes",
    "class",
    (
        *BASE_PROPERTIES,
        *("title", "classCode", "classType", "location", "grades", "subjects", "course", "school", "terms"),
        *("subjectCodes", "periods", "resources"),
    ),
)
COURSE = Entity(
    "courses",
    "course",
    (*BASE_PROPERTIES, "title", "schoolYear", "courseCode", "grades", "subjects", "org", "subjectCodes", "resources"),
)
ENROLLMENT = Entity(
    "enrollments",
    "enrollment",
    (*BASE_PROPERTIES, "user", "class", "school", "role", "primary", "beginDate", "endDate"),
)
ORG = Entity("orgs", "org", (*BASE_PROPERTIES, "name", "type", "identifier", "parent", "children"))
ACADEMIC_SESSION = Entity(
    "academicSessions",
    "academicSession",
    (*BASE_PROPERTIES, "title", "startDate", "endDate", "type", "parent", "children", "schoolYear"),
)
DEMOGRAPHICS = Entity(
    "demographics",
    "demographics",
    (
        *BASE_PROPERTIES,
        *("birthDate", "sex", "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican"),
        *("nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces"),
        *("hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation", "cityOfBirth"),
        "publicSchoolResidenceStatus",
    ),
)


class Absent(FilterField):
    """A property of the standard that we keep no value for: no record equals anything in it."""

    def matching(self, name, op, value):
        return NEVER


@dataclass(frozen=True)
class Rows:
    """A collection held in the database: its rows (as dicts), their record, and how they filter and sort."""

    entity: Entity
    rows: Callable[[], QuerySet]
    record: Callable[[Mapping, Links], dict]
    filters: Mapping[str, FilterField]
    identifier: str  # the column of the sourcedId
    sorts: Mapping[str, object] = field(default_factory=dict)

    def filter_fields(self) -> dict[str, FilterField]:
        absent = {name: Absent() for name in self.entity.properties if name not in self.filters}
        return {**absent, **self.filters}

    def sort_key(self, name: str):
        """The ORM ordering for a field, ``None`` for one every record has alike; ``KeyError`` when unknown."""
        if name in self.sorts:
            return self.sorts[name]
        spec = self.filter_fields()[name]
        return getattr(spec, "lookup", None)


@dataclass(frozen=True)
class Records:
    """A collection held in memory (from settings): its records, and how each field's filter values parse."""

    entity: Entity
    records: Callable[[Links], list[dict]]
    kinds: Mapping[str, Callable[[str, str], object]]

    def filter_kinds(self) -> dict[str, Callable[[str, str], object]]:
        return {**dict.fromkeys(self.entity.properties, as_text), **self.kinds}


# Users (our students) ---------------------------------------------------------------------------------------------

_USER_COLUMNS = ("id", "sourced_id", "updated_at", "email", "first_name", "last_name")


def _user(row: Mapping, links: Links) -> dict:
    return {
        "sourcedId": str(row["sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "username": row["email"],
        "enabledUser": "true",
        "givenName": row["first_name"],
        "familyName": row["last_name"],
        "roles": [{"roleType": "primary", "role": "student", "org": links.school()}],
        "primaryOrg": links.school(),
        "email": row["email"],
    }


@dataclass(frozen=True)
class Shared(FilterField):
    """A reference every row makes to the same record (the school, the term), read when a filter asks for it."""

    sourced_id: Callable[[], str | None]

    def matching(self, name, op, value):
        return Constant(self.sourced_id() or "").matching(name, op, value)


def _school_constant() -> Shared:
    return Shared(school.school_id)


USERS = Rows(
    USER,
    rows=lambda: Student.objects.values(*_USER_COLUMNS),
    record=_user,
    identifier="sourced_id",
    filters={
        "sourcedId": Identifier("sourced_id"),
        "status": Constant("active"),
        "dateLastModified": Moment("updated_at"),
        "username": Text("email"),
        "email": Text("email"),
        "enabledUser": Constant("true"),
        "givenName": Text("first_name"),
        "familyName": Text("last_name"),
        "roles.role": Constant("student"),
        "roles.roleType": Constant("primary"),
        "roles.org.sourcedId": _school_constant(),
        "primaryOrg.sourcedId": _school_constant(),
    },
)

# Classes and courses (each course is a course and its one class) ----------------------------------------------------

_COURSE_COLUMNS = ("id", "sourced_id", "class_sourced_id", "updated_at", "code", "title")


def _class(row: Mapping, links: Links) -> dict:
    return {
        "sourcedId": str(row["class_sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "title": row["title"],
        "classCode": row["code"],
        "classType": "scheduled",
        "course": links.ref("courses", "course", row["sourced_id"]),
        "school": links.school(),
        "terms": [links.term()],
    }


def _course(row: Mapping, links: Links) -> dict:
    return {
        "sourcedId": str(row["sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "title": row["title"],
        "courseCode": row["code"],
        "org": links.school(),
    }


_COURSE_FILTERS = {"status": Constant("active"), "dateLastModified": Moment("updated_at"), "title": Text("title")}
CLASSES = Rows(
    CLASS,
    rows=lambda: Course.objects.values(*_COURSE_COLUMNS),
    record=_class,
    identifier="class_sourced_id",
    filters={
        **_COURSE_FILTERS,
        "sourcedId": Identifier("class_sourced_id"),
        "classCode": Text("code"),
        "classType": Constant("scheduled"),
        "course.sourcedId": Identifier("sourced_id"),
        "school.sourcedId": _school_constant(),
        "terms.sourcedId": Shared(school.term_id),
    },
)
COURSES = Rows(
    COURSE,
    rows=lambda: Course.objects.values(*_COURSE_COLUMNS),
    record=_course,
    identifier="sourced_id",
    filters={
        **_COURSE_FILTERS,
        "sourcedId": Identifier("sourced_id"),
        "courseCode": Text("code"),
        "org.sourcedId": _school_constant(),
    },
)

# Enrollments (associations that are or were enrolled) --------------------------------------------------------------

ACTIVE = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED)
ENDED = (EnrollmentStatus.COMPLETED, EnrollmentStatus.DROPPED)
_ENROLLMENT_COLUMNS = (
    *("id", "sourced_id", "status", "status_changed_at", "enrolled_at"),
    *("student__sourced_id", "course__class_sourced_id"),
)


def _day(moment: dt.datetime, days: int = 0) -> str:
    return (timezone.localdate(moment) + dt.timedelta(days=days)).isoformat()


def _enrollment(row: Mapping, links: Links) -> dict:
    record = {
        "sourcedId": str(row["sourced_id"]),
        "status": "tobedeleted" if row["status"] == EnrollmentStatus.DROPPED else "active",
        "dateLastModified": stamp(row["status_changed_at"]),
        "user": links.ref("users", "user", row["student__sourced_id"]),
        "class": links.ref("classes", "class", row["course__class_sourced_id"]),
        "school": links.school(),
        "role": "student",
        "primary": "false",
        "beginDate": _day(row["enrolled_at"]),
    }
    if row["status"] in ENDED:
        record["endDate"] = _day(row["status_changed_at"], days=1)  # exclusive: the day after the last one
    return record


ENROLLMENTS = Rows(
    ENROLLMENT,
    rows=lambda: StudentCourse.objects.exclude(status=EnrollmentStatus.WAITLISTED).values(*_ENROLLMENT_COLUMNS),
    record=_enrollment,
    identifier="sourced_id",
    filters={
        "sourcedId": Identifier("sourced_id"),
        "status": Choice({"active": Q(status__in=ACTIVE), "tobedeleted": Q(status=EnrollmentStatus.DROPPED)}),
        "dateLastModified": Moment("status_changed_at"),
        "user.sourcedId": Identifier("student__sourced_id"),
        "class.sourcedId": Identifier("course__class_sourced_id"),
        "school.sourcedId": _school_constant(),
        "role": Constant("student"),
        "primary": Constant("false"),
        "beginDate": DayOf("enrolled_at"),
        "endDate": DayOf("status_changed_at", shift=1, present=Q(status__in=ENDED)),
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
NO_USERS = Records(USER, lambda links: [], {**dict.fromkeys(USERS.filters, as_text), **_STAMP_KINDS})
NO_DEMOGRAPHICS = Records(DEMOGRAPHICS, lambda links: [], {**_STAMP_KINDS, "birthDate": parse_date})
