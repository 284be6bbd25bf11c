"""The district's orgs and academic sessions as OneRoster records, and the references records make to them."""

import datetime as dt

from schools.models import AcademicSession, Org, OrgType, SessionType


def stamp(moment: dt.datetime) -> str:
    """A ``dateLastModified``: UTC, to the microsecond (a client that asks for what changed after the latest value
    it saw must not get that record again because the value was rounded)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def system_name() -> str:
    """Who we are, in a bundle's manifest: the district's name, else the first school's."""
    for kind in (OrgType.DISTRICT, OrgType.SCHOOL):
        name = Org.objects.filter(type=kind).order_by("id").values_list("name", flat=True).first()
        if name:
            return name
    return "Enrollments"


class Links:
    """Builds the ``href``/``sourcedId``/``type`` references of one answer, under the service's absolute base."""

    def __init__(self, base: str) -> None:
        self.base = base

    def ref(self, collection: str, kind: str, sourced_id: object) -> dict:
        return {"href": f"{self.base}/{collection}/{sourced_id}", "sourcedId": str(sourced_id), "type": kind}

    def org(self, sourced_id: object) -> dict:
        return self.ref("orgs", "org", sourced_id)

    def session(self, sourced_id: object) -> dict:
        return self.ref("academicSessions", "academicSession", sourced_id)


def _with_family(rows: list[dict], records: list[dict], ref) -> list[dict]:
    """Each record with its ``parent`` and ``children`` (references made by ``ref``), from the rows' ``parent_id``."""
    sourced = {row["id"]: row["sourced_id"] for row in rows}
    children: dict[int, list] = {}
    for row in rows:
        if row["parent_id"] is not None:
            children.setdefault(row["parent_id"], []).append(row["sourced_id"])
    for row, record in zip(rows, records, strict=True):
        if row["parent_id"] is not None:
            record["parent"] = ref(sourced[row["parent_id"]])
        if row["id"] in children:
            record["children"] = [ref(child) for child in children[row["id"]]]
    return records


def orgs(links: Links) -> list[dict]:
    """Every org, with its parent and children (a district's hundreds of schools, read whole: one query)."""
    rows = list(
        Org.objects.order_by("id").values("id", "sourced_id", "updated_at", "name", "type", "identifier", "parent_id")
    )
    records = [
        {
            "sourcedId": str(row["sourced_id"]),
            "status": "active",
            "dateLastModified": stamp(row["updated_at"]),
            "name": row["name"],
            "type": row["type"],
            "identifier": row["identifier"],
        }
        for row in rows
    ]
    return _with_family(rows, records, links.org)


def schools(links: Links) -> list[dict]:
    return [org for org in orgs(links) if org["type"] == OrgType.SCHOOL]


def sessions(links: Links, *types: str) -> list[dict]:
    """The academic sessions (of these types; every one without), with their parent and children (one query)."""
    rows = list(
        AcademicSession.objects.order_by("id").values(
            "id", "sourced_id", "updated_at", "title", "type", "start_date", "end_date", "parent_id", "school_year"
        )
    )
    records = [
        {
            "sourcedId": str(row["sourced_id"]),
            "status": "active",
            "dateLastModified": stamp(row["updated_at"]),
            "title": row["title"],
            "startDate": row["start_date"].isoformat(),
            "endDate": row["end_date"].isoformat(),
            "type": row["type"],
            "schoolYear": row["school_year"],
        }
        for row in rows
    ]
    return [record for record in _with_family(rows, records, links.session) if not types or record["type"] in types]


def terms(links: Links) -> list[dict]:
    return sessions(links, SessionType.TERM)


def grading_periods(links: Links) -> list[dict]:
    return sessions(links, SessionType.GRADING_PERIOD)


def academic_sessions(links: Links) -> list[dict]:
    return sessions(links)
