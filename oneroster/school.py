"""The records that come from settings: our one school (an ``org``), its optional district, the one term."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings


def stamp(moment: dt.datetime) -> str:
    """A ``dateLastModified``: UTC, to the microsecond (a client that asks for what changed after the latest value
    it saw must not get that record again because the value was rounded)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Links:
    """Builds the ``href``/``sourcedId``/``type`` references of one answer, under the service's absolute base."""

    base: str

    def ref(self, collection: str, kind: str, sourced_id: object) -> dict:
        return {"href": f"{self.base}/{collection}/{sourced_id}", "sourcedId": str(sourced_id), "type": kind}

    def org(self, sourced_id: str) -> dict:
        return self.ref("orgs", "org", sourced_id)

    def school(self) -> dict:
        return self.org(settings.ONEROSTER_SCHOOL["sourced_id"])

    def term(self) -> dict:
        return self.ref("academicSessions", "academicSession", settings.ONEROSTER_TERM["sourced_id"])


def school_id() -> str:
    return settings.ONEROSTER_SCHOOL["sourced_id"]


def term_id() -> str:
    return settings.ONEROSTER_TERM["sourced_id"]


def orgs(links: Links) -> list[dict]:
    """The school, and its district when one is configured."""
    school, district = settings.ONEROSTER_SCHOOL, settings.ONEROSTER_DISTRICT
    modified = stamp(settings.ONEROSTER_MODIFIED)
    school_record = {
        "sourcedId": school["sourced_id"],
        "status": "active",
        "dateLastModified": modified,
        "name": school["name"],
        "type": "school",
        "identifier": school["identifier"],
    }
    if not district:
        return [school_record]
    school_record["parent"] = links.org(district["sourced_id"])
    district_record = {
        "sourcedId": district["sourced_id"],
        "status": "active",
        "dateLastModified": modified,
        "name": district["name"],
        "type": "district",
        "identifier": district["identifier"],
        "children": [links.school()],
    }
    return [school_record, district_record]


def schools(links: Links) -> list[dict]:
    return [org for org in orgs(links) if org["type"] == "school"]


def terms(links: Links) -> list[dict]:
    term = settings.ONEROSTER_TERM
    return [
        {
            "sourcedId": term["sourced_id"],
            "status": "active",
            "dateLastModified": stamp(settings.ONEROSTER_MODIFIED),
            "title": term["title"],
            "startDate": term["start_date"].isoformat(),
            "endDate": term["end_date"].isoformat(),
            "type": "term",
            "schoolYear": term["school_year"],
        }
    ]
