"""Writes a OneRoster 1.2 CSV bundle of our data: bulk (everything, as it is) or delta (what changed since a moment,
tombstones included, with ``status`` and ``dateLastModified`` filled). Rows are streamed from the database into
the zip, so memory stays bounded whatever the district's size. The records are the rostering service's own
(``oneroster.entities``), so the bundle and the service always say the same. A cell a spreadsheet would run as a
formula is written behind a quote (``config.spreadsheet_cells``); the import takes the quote off again."""

import csv
import datetime as dt
import io
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from pathlib import Path

from django.db.models import Q

from config.spreadsheet_cells import neutralized
from oneroster import entities, school
from oneroster.bundle.binding import BULK, COLUMNS, DELTA, MANIFEST, MANIFEST_HEADER, manifest_rows
from oneroster.school import Links
from oneroster.teaching import TEACHER_ENROLLMENTS, TEACHERS
from students.models import EnrollmentStatus

ROLE_NAMESPACE = uuid.UUID("9f3c1d2a-6b8e-4f0a-9c5d-2e7b1a4f6c83")  # a user's one role: uuid5(this, user)
CHUNK = 5000


def role_sourced_id(user_sourced_id: str) -> str:
    return str(uuid.uuid5(ROLE_NAMESPACE, user_sourced_id))


def _ref(record: dict, name: str) -> str:
    return (record.get(name) or {}).get("sourcedId", "")


def _with_parent(r: dict) -> dict:
    """An org's or academic session's row: its parent by sourcedId."""
    return {**r, "parentSourcedId": _ref(r, "parent")}


def _course_row(r: dict) -> dict:
    return {**r, "orgSourcedId": _ref(r, "org")}


def _class_row(r: dict) -> dict:
    terms = ",".join(t["sourcedId"] for t in r["terms"])
    return {**r, "courseSourcedId": _ref(r, "course"), "schoolSourcedId": _ref(r, "school"), "termSourcedIds": terms}


def _user_row(r: dict) -> dict:
    return {**r, "primaryOrgSourcedId": _ref(r, "primaryOrg")}


def _role_rows(r: dict) -> list[dict]:
    return [
        {
            "sourcedId": role_sourced_id(r["sourcedId"]),
            "status": r["status"],
            "dateLastModified": r["dateLastModified"],
            "userSourcedId": r["sourcedId"],
            "roleType": role["roleType"],
            "role": role["role"],
            "orgSourcedId": role["org"]["sourcedId"],
        }
        for role in r["roles"]
    ]


def _enrollment_row(r: dict, status: str) -> dict:
    return {
        **r,
        "classSourcedId": _ref(r, "class"),
        "schoolSourcedId": _ref(r, "school"),
        "userSourcedId": _ref(r, "user"),
        "metadata.enrollmentStatus": status,
    }


def _db_records(source: entities.Rows, changed: Q, links: Links) -> Iterator[tuple[dict, dict]]:
    for row in source.rows().filter(changed).order_by(source.identifier).iterator(chunk_size=CHUNK):
        yield row, source.record(row, links)


def _people(changed: Q, links: Links) -> Iterator[tuple[dict, dict]]:
    """The students, then the teachers."""
    yield from _db_records(entities.STUDENTS, changed, links)
    yield from _db_records(TEACHERS, changed, links)


def _files(since: dt.datetime | None) -> dict[str, Callable[[], Iterable[dict]]]:
    """Each file's rows: everything (bulk) or what changed after ``since`` (delta)."""

    def after(column: str) -> Q:
        return Q() if since is None else Q(**{f"{column}__gt": since})

    def changed(records: list[dict]) -> list[dict]:  # orgs and sessions: a district's hundreds, read whole
        return [
            _with_parent(r)
            for r in records
            if since is None or dt.datetime.fromisoformat(r["dateLastModified"]) > since
        ]

    links = Links("")  # the references only (their sourcedIds), read once for the whole export
    enrollments = after("status_changed_at") & (Q() if since else ~Q(status=EnrollmentStatus.DROPPED))
    return {
        "orgs": lambda: changed(school.orgs(links)),
        "academicSessions": lambda: changed(school.academic_sessions(links)),
        "courses": lambda: (_course_row(r) for _, r in _db_records(entities.COURSES, after("updated_at"), links)),
        "classes": lambda: (_class_row(r) for _, r in _db_records(entities.CLASSES, after("updated_at"), links)),
        "users": lambda: (_user_row(r) for _, r in _people(after("updated_at"), links)),
        "roles": lambda: (row for _, r in _people(after("updated_at"), links) for row in _role_rows(r)),
        "enrollments": lambda: chain(
            (
                _enrollment_row(r, row["status"])
                for row, r in _db_records(entities.STUDENT_ENROLLMENTS, enrollments, links)
            ),
            (_enrollment_row(r, "") for _, r in _db_records(TEACHER_ENROLLMENTS, after("updated_at"), links)),
        ),
    }


def _write_csv(archive: zipfile.ZipFile, name: str, header: tuple[str, ...], rows: Iterable) -> int:
    count = 0
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
        writer = csv.writer(text, lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([neutralized(cell) for cell in row])
            count += 1
    return count


def export_bundle(path: Path | str, *, since: dt.datetime | None = None) -> dict[str, int]:
    """Writes the bundle to ``path``; returns how many rows each file holds."""
    mode = BULK if since is None else DELTA
    counts = {}
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        _write_csv(archive, MANIFEST, MANIFEST_HEADER, manifest_rows(mode, system_name=school.system_name()))
        for name, rows in _files(since).items():
            columns = COLUMNS[name]
            blank = ("status", "dateLastModified") if mode == BULK else ()
            values = ([("" if c in blank else _cell(r.get(c))) for c in columns] for r in rows())
            counts[name] = _write_csv(archive, f"{name}.csv", columns, values)
    return counts


def _cell(value: object) -> str:
    return "" if value is None else str(value)
