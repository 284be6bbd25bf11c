"""1EdTech's OpenAPI file for the OneRoster 1.2 rostering service, whole, for the fuzzing: its ``paths`` rebuilt here
around the ``components.schemas`` kept in ``oneroster_v1p2_schemas.json`` (origin noted there).

The file's 41 paths repeat two shapes, so they are written out as a table rather than copied: every collection
takes ``limit`` (int32, default 100, at least 1), ``offset`` (int32, at least 0), ``sort``, ``orderBy`` (``asc``,
``desc``), ``filter`` and ``fields`` (an array of strings, style form), answers its ``…SetDType`` with an
``X-Total-Count`` header, and documents 400, 401, 403, 422, 429 and 500 as ``imsx_StatusInfoDType`` (a record adds
404) besides a ``default``; every record takes its ``sourcedId`` and ``fields``; security is OAuth 2.0 client
credentials with the scopes each path names (core: ``roster.readonly`` or ``roster-core.readonly``; nested
collections: ``roster.readonly``; demographics: ``roster-demographics.readonly``). Each row below is a path of the
file with its path parameters' names as the file spells them.
"""

from oneroster.tests import schemas

TITLE = "OneRoster OpenAPI (JSON) Definition"
BASE = "/ims/oneroster/rostering/v1p2"
SCOPE = "https://purl.imsglobal.org/spec/or/v1p2/scope/"
CORE = [SCOPE + "roster.readonly", SCOPE + "roster-core.readonly"]
ROSTER = [SCOPE + "roster.readonly"]
DEMOGRAPHICS = [SCOPE + "roster-demographics.readonly"]

SESSIONS, CLASSES, COURSES, USERS = "AcademicSession", "Class", "Course", "User"
ENROLLMENTS, ORGS, DEMOGRAPHIC = "Enrollment", "Org", "Demographics"

# (path, the entity its answer holds, "collection" or "record", scopes)
PATHS = [
    ("/academicSessions", SESSIONS, "collection", CORE),
    ("/academicSessions/{sourcedId}", SESSIONS, "record", CORE),
    ("/classes", CLASSES, "collection", CORE),
    ("/classes/{sourcedId}", CLASSES, "record", CORE),
    ("/classes/{classSourcedId}/students", USERS, "collection", ROSTER),
    ("/classes/{classSourcedId}/teachers", USERS, "collection", ROSTER),
    ("/courses", COURSES, "collection", CORE),
    ("/courses/{sourcedId}", COURSES, "record", CORE),
    ("/courses/{courseSourcedId}/classes", CLASSES, "collection", ROSTER),
    ("/demographics", DEMOGRAPHIC, "collection", DEMOGRAPHICS),
    ("/demographics/{sourcedId}", DEMOGRAPHIC, "record", DEMOGRAPHICS),
    ("/enrollments", ENROLLMENTS, "collection", CORE),
    ("/enrollments/{sourcedId}", ENROLLMENTS, "record", CORE),
    ("/gradingPeriods", SESSIONS, "collection", CORE),
    ("/gradingPeriods/{sourcedId}", SESSIONS, "record", CORE),
    ("/orgs", ORGS, "collection", CORE),
    ("/orgs/{sourcedId}", ORGS, "record", CORE),
    ("/schools", ORGS, "collection", CORE),
    ("/schools/{sourcedId}", ORGS, "record", CORE),
    ("/schools/{schoolSourcedId}/classes", CLASSES, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/classes/{classSourcedId}/enrollments", ENROLLMENTS, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/classes/{classSourcedId}/students", USERS, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/classes/{classSourcedId}/teachers", USERS, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/courses", COURSES, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/enrollments", ENROLLMENTS, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/students", USERS, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/teachers", USERS, "collection", ROSTER),
    ("/schools/{schoolSourcedId}/terms", SESSIONS, "collection", ROSTER),
    ("/students", USERS, "collection", CORE),
    ("/students/{sourcedId}", USERS, "record", CORE),
    ("/students/{studentSourcedId}/classes", CLASSES, "collection", ROSTER),
    ("/teachers", USERS, "collection", CORE),
    ("/teachers/{sourcedId}", USERS, "record", CORE),
    ("/teachers/{teacherSourcedId}/classes", CLASSES, "collection", ROSTER),
    ("/terms", SESSIONS, "collection", CORE),
    ("/terms/{sourcedId}", SESSIONS, "record", CORE),
    ("/terms/{termSourcedId}/classes", CLASSES, "collection", ROSTER),
    ("/terms/{termSourcedId}/gradingPeriods", SESSIONS, "collection", ROSTER),
    ("/users", USERS, "collection", CORE),
    ("/users/{sourcedId}", USERS, "record", CORE),
    ("/users/{userSourcedId}/classes", CLASSES, "collection", ROSTER),
]


def _query(name: str, schema: dict) -> dict:
    return {"name": name, "in": "query", "required": False, "schema": schema, "style": "form", "allowEmptyValue": False}


FIELDS = _query("fields", {"type": "array", "items": {"type": "string"}})
PAGING = [
    _query("limit", {"type": "integer", "format": "int32", "default": 100, "minimum": 1}),
    _query("offset", {"type": "integer", "format": "int32", "default": 0, "minimum": 0}),
    _query("sort", {"type": "string"}),
    _query("orderBy", {"type": "string", "enum": ["asc", "desc"]}),
    _query("filter", {"type": "string"}),
    FIELDS,
]
STATUS_INFO = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/imsx_StatusInfoDType"}}}}


def _operation(path: str, entity: str, kind: str, scopes: list[str]) -> dict:
    names = [part[1:-1] for part in path.split("/") if part.startswith("{")]
    in_path = [
        {"name": n, "in": "path", "required": True, "schema": {"type": "string"}, "style": "simple"} for n in names
    ]
    answer = {
        "$ref": f"#/components/schemas/{entity}SetDType"
        if kind == "collection"
        else f"#/components/schemas/Single{entity}DType"
    }
    ok = {"description": "OK", "content": {"application/json": {"schema": answer}}}
    errors = ["400", "401", "403", "422", "429", "500"] + (["404"] if kind == "record" else [])
    if kind == "collection":
        ok["headers"] = {"X-Total-Count": {"schema": {"type": "integer"}}}
    return {
        "get": {
            "parameters": in_path + (PAGING if kind == "collection" else [FIELDS]),
            "security": [{"OAuth2CC": scopes}],
            "responses": {
                "default": {"description": "error", **STATUS_INFO},
                "200": ok,
                **{code: {"description": "error", **STATUS_INFO} for code in errors},
            },
        }
    }


def document() -> dict:
    """The OpenAPI document: the file's paths (above) and its components (kept as the file has them)."""
    return {
        "openapi": "3.0.0",
        "info": {"title": TITLE, "version": "1.2"},
        "servers": [{"url": BASE}],
        "paths": {path: _operation(path, *rest) for path, *rest in PATHS},
        "components": {
            "schemas": schemas.document()["components"]["schemas"],
            "securitySchemes": {
                "OAuth2CC": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": "/oauth/token",
                            "scopes": {scope: scope for scope in CORE + DEMOGRAPHICS},
                        }
                    },
                }
            },
        },
    }
