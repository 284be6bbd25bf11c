"""OneRoster 1.2's CSV binding, the parts we write and read: a zip of ``manifest.csv`` and one file per entity.

The columns of each file are the binding's, in its order (1EdTech, "OneRoster: CSV Binding 1.2"); files we keep
nothing for are declared ``absent`` in the manifest. We add one extension column the binding allows
(``metadata.*``): ``metadata.enrollmentStatus`` on enrollments, our association's status, so an export imports back
exactly (``completed`` is otherwise only told by an ``endDate`` that has passed).
"""

MANIFEST = "manifest.csv"
MANIFEST_HEADER = ("propertyName", "value")

COLUMNS = {
    "orgs": ("sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId"),
    "academicSessions": (
        *("sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate"),
        *("parentSourcedId", "schoolYear"),
    ),
    "courses": (
        *("sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title", "courseCode", "grades"),
        *("orgSourcedId", "subjects", "subjectCodes"),
    ),
    "classes": (
        *("sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId", "classCode"),
        *("classType", "location", "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes", "periods"),
    ),
    "users": (
        *("sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds", "givenName"),
        *("familyName", "middleName", "identifier", "email", "sms", "phone", "agentSourcedIds", "grades"),
        *("password", "userMasterIdentifier", "resourceSourcedIds", "preferredGivenName", "preferredMiddleName"),
        *("preferredFamilyName", "primaryOrgSourcedId", "pronouns"),
    ),
    "roles": (
        *("sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role", "beginDate"),
        *("endDate", "orgSourcedId", "userProfileSourcedId"),
    ),
    "enrollments": (
        *("sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId", "userSourcedId"),
        *("role", "primary", "beginDate", "endDate", "metadata.enrollmentStatus"),
    ),
}
WRITTEN = tuple(COLUMNS)
# Every file the manifest names (OneRoster 1.2), in the manifest's order.
MANIFEST_FILES = (
    *("academicSessions", "categories", "classes", "classResources", "courses", "courseResources"),
    *("demographics", "enrollments", "lineItemLearningObjectiveIds", "lineItems", "lineItemScoreScales", "orgs"),
    *("resources", "resultLearningObjectiveIds", "results", "resultScoreScales", "roles", "scoreScales"),
    *("userProfiles", "userResources", "users"),
)
BULK, DELTA, ABSENT = "bulk", "delta", "absent"


def manifest_rows(mode: str, *, system_name: str) -> list[tuple[str, str]]:
    rows = [("manifest.version", "1.0"), ("oneroster.version", "1.2")]
    rows += [(f"file.{name}", mode if name in COLUMNS else ABSENT) for name in MANIFEST_FILES]
    return [*rows, ("source.systemName", system_name), ("source.systemCode", "enrollments")]
