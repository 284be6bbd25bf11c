"""What a OneRoster collection is read from: its entity (the standard's type and properties) and its source — rows
of the database (``Rows``), records held in memory (``Records``), or several kinds of rows read as one collection
(``Union``: a user is a student or a teacher, an enrollment a student's or a teacher's), filtered, sorted and paged
in the database whatever their kind."""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db.models import CharField, F, QuerySet, Value

from oneroster import filtering
from oneroster.errors import InvalidSelectionField
from oneroster.filtering import NEVER, Constant, FilterField, Identifier, Moment, Text, as_text
from oneroster.school import Links, stamp

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


@dataclass(frozen=True)
class Union:
    """A collection whose records are rows of several kinds (``parts``, each ``Rows`` of the same entity): filtered
    part by part, then counted, sorted and paged as one (a ``UNION ALL`` of each row's kind, id and sort value), and
    the page's rows read part by part — a constant number of queries whatever the page's size."""

    entity: Entity
    parts: tuple[Rows, ...]

    def filter_fields(self) -> dict[str, FilterField]:
        return self.parts[0].filter_fields()

    def read(
        self, *, bases: Sequence[QuerySet | None], query, links: Links, offset: int, limit: int
    ) -> tuple[list[dict], int]:
        """A page of records and how many there are, from each part's rows (``None``: all of them)."""
        selected = []
        for kind, (part, base) in enumerate(zip(self.parts, bases, strict=True)):
            rows = part.rows() if base is None else base
            if query.filter is not None:
                rows = rows.filter(filtering.to_q(query.filter, part.filter_fields()))
            selected.append(rows.order_by().annotate(u_kind=Value(kind), u_sort=self._sort(part, query.sort)))
        union = (
            selected[0]
            .values("id", "u_kind", "u_sort")
            .union(*(rows.values("id", "u_kind", "u_sort") for rows in selected[1:]), all=True)
        )
        total = union.count()
        if offset >= total:
            return [], total
        ordering = ["u_sort", "u_kind", "id"] if query.sort else ["u_kind", "id"]
        if query.descending:
            ordering = [f"-{name}" for name in ordering]
        page = list(union.order_by(*ordering)[offset : offset + limit])
        return self.records(page, links), total

    def records(self, page: list[dict], links: Links) -> list[dict]:
        """The records of a page of (kind, id) rows, in the page's order: one query for each kind on it."""
        wanted: dict[int, list[int]] = {}
        for row in page:
            wanted.setdefault(row["u_kind"], []).append(row["id"])
        found = {
            (kind, row["id"]): row for kind, ids in wanted.items() for row in self.parts[kind].rows().filter(id__in=ids)
        }
        return [self.parts[row["u_kind"]].record(found[row["u_kind"], row["id"]], links) for row in page]

    def find(self, sourced_id, links: Links, narrow: Callable[[QuerySet], QuerySet] = lambda rows: rows) -> dict | None:
        """The record of this sourcedId, whichever kind holds it (among the rows ``narrow`` leaves)."""
        for part in self.parts:
            row = narrow(part.rows()).filter(**{part.identifier: sourced_id}).first()
            if row is not None:
                return part.record(row, links)
        return None

    @staticmethod
    def _sort(part: Rows, name: str | None):
        if name is None:
            return Value(0)
        try:
            key = part.sort_key(name)
        except KeyError:
            raise InvalidSelectionField(f"Cannot sort on {name!r}: no such field here.") from None
        if key is None:
            return Value(None, output_field=CharField())
        return F(key) if isinstance(key, str) else key


# What a student and a teacher share as OneRoster users -------------------------------------------------------------

PERSON_COLUMNS = ("id", "sourced_id", "updated_at", "email", "first_name", "last_name", "school__sourced_id")


def person(row: Mapping, links: Links, role: str) -> dict:
    """A user with the one role ``role`` at their school (``school__sourced_id``), found by their email."""
    school = links.org(row["school__sourced_id"])
    return {
        "sourcedId": str(row["sourced_id"]),
        "status": "active",
        "dateLastModified": stamp(row["updated_at"]),
        "username": row["email"],
        "enabledUser": "true",
        "givenName": row["first_name"],
        "familyName": row["last_name"],
        "roles": [{"roleType": "primary", "role": role, "org": school}],
        "primaryOrg": school,
        "email": row["email"],
    }


def person_filters(role: str) -> dict[str, FilterField]:
    return {
        "sourcedId": Identifier("sourced_id"),
        "status": Constant("active"),
        "dateLastModified": Moment("updated_at"),
        "username": Text("email"),
        "email": Text("email"),
        "enabledUser": Constant("true"),
        "givenName": Text("first_name"),
        "familyName": Text("last_name"),
        "roles.role": Constant(role),
        "roles.roleType": Constant("primary"),
        "roles.org.sourcedId": Identifier("school__sourced_id"),
        "primaryOrg.sourcedId": Identifier("school__sourced_id"),
    }
