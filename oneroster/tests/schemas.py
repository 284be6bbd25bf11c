"""1EdTech's schemas for the OneRoster 1.2 rostering service (``oneroster_v1p2_schemas.json``, origin noted there),
and a validator with the formats they use checked as the standard writes them."""

import datetime as dt
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker

_FILE = Path(__file__).with_name("oneroster_v1p2_schemas.json")
_UTC_DATE_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")  # W3C ISO 8601, in UTC ("MUST")
_DATE = re.compile(r"\d{4}-\d\d-\d\d")

formats = FormatChecker(formats=())


@formats.checks("date-time")
def _date_time(value: object) -> bool:
    return not isinstance(value, str) or bool(_UTC_DATE_TIME.fullmatch(value))


@formats.checks("date", raises=ValueError)
def _date(value: object) -> bool:
    return not isinstance(value, str) or bool(_DATE.fullmatch(value) and dt.date.fromisoformat(value))


@formats.checks("uri")
def _uri(value: object) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


@cache
def document() -> dict:
    return json.loads(_FILE.read_text())


def validate(body: object, schema_name: str) -> None:
    """Raises ``jsonschema.ValidationError`` unless ``body`` is valid against ``components.schemas[schema_name]``."""
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document()["components"]}
    Draft202012Validator(schema, format_checker=formats).validate(body)


COLLECTION_SCHEMAS = {
    "academicSessions": "AcademicSessionSetDType",
    "classes": "ClassSetDType",
    "courses": "CourseSetDType",
    "demographics": "DemographicsSetDType",
    "enrollments": "EnrollmentSetDType",
    "orgs": "OrgSetDType",
    "users": "UserSetDType",
}
RECORD_SCHEMAS = {
    "academicSession": "SingleAcademicSessionDType",
    "class": "SingleClassDType",
    "course": "SingleCourseDType",
    "demographics": "SingleDemographicsDType",
    "enrollment": "SingleEnrollmentDType",
    "org": "SingleOrgDType",
    "user": "SingleUserDType",
}
