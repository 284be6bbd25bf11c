"""Teachers as OneRoster shows them: each a ``user`` with the role ``teacher`` at their school (``identifier`` the
district's staff number), and each assignment to a course an ``enrollment`` in its class — role ``teacher``
(``primary`` true for the primary teacher) or ``ext:aide`` (1.2 has no aide among enrollment roles), with its begin
and end dates when it has them."""

from collections.abc import Mapping

from django.db.models import Case, Q, Value, When

from oneroster.filtering import ALWAYS, NEVER, Choice, Day, Identifier, Moment, Text
from oneroster.school import Links, stamp
from oneroster.sources import ENROLLMENT, PERSON_COLUMNS, USER, Rows, person, person_filters
from teachers.models import Assignment, AssignmentRole, Teacher


def _teacher(row: Mapping, links: Links) -> dict:
    record = person(row, links, "teacher")
    if row["identifier"]:
        record["identifier"] = row["identifier"]
    return record


TEACHERS = Rows(
    USER,
    rows=lambda: Teacher.objects.values(*PERSON_COLUMNS, "identifier"),
    record=_teacher,
    identifier="sourced_id",
    filters={**person_filters("teacher"), "identifier": Text("identifier")},
)

_ASSIGNMENT_COLUMNS = (
    *("id", "sourced_id", "updated_at", "role", "begin_date", "end_date"),
    *("teacher__sourced_id", "course__sourced_id", "course__school__sourced_id"),
)
_TEACHING = (AssignmentRole.PRIMARY, AssignmentRole.SECONDARY)
AIDE = "ext:aide"  # 1.2's enrollment roles are administrator, proctor, student and teacher, or an extension


def _enrollment(row: Mapping, links: Links) -> dict:
    record = {
        "sourcedId": str(row["sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "user": links.ref("users", "user", row["teacher__sourced_id"]),
        "class": links.ref("classes", "class", row["course__sourced_id"]),
        "school": links.org(row["course__school__sourced_id"]),
        "role": AIDE if row["role"] == AssignmentRole.AIDE else "teacher",
        "primary": "true" if row["role"] == AssignmentRole.PRIMARY else "false",
    }
    if row["begin_date"] is not None:
        record["beginDate"] = row["begin_date"].isoformat()
    if row["end_date"] is not None:
        record["endDate"] = row["end_date"].isoformat()
    return record


TEACHER_ENROLLMENTS = Rows(
    ENROLLMENT,
    rows=lambda: Assignment.objects.values(*_ASSIGNMENT_COLUMNS),
    record=_enrollment,
    identifier="sourced_id",
    filters={
        "sourcedId": Identifier("sourced_id"),
        "status": Choice({"active": ALWAYS, "tobedeleted": NEVER}),
        "dateLastModified": Moment("updated_at"),
        "user.sourcedId": Identifier("teacher__sourced_id"),
        "class.sourcedId": Identifier("course__sourced_id"),
        "school.sourcedId": Identifier("course__school__sourced_id"),
        "role": Choice({"teacher": Q(role__in=_TEACHING), AIDE: Q(role=AssignmentRole.AIDE)}),
        "primary": Choice({"true": Q(role=AssignmentRole.PRIMARY), "false": ~Q(role=AssignmentRole.PRIMARY)}),
        "beginDate": Day("begin_date"),
        "endDate": Day("end_date"),
    },
    sorts={
        "status": Value(0),
        "role": Case(When(role=AssignmentRole.AIDE, then=Value(AIDE)), default=Value("teacher")),
    },
)
