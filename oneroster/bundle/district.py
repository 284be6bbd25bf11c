"""A bundle's district: its orgs and academic sessions (a district's hundreds), and its teachers and their
enrollments (thousands), read whole and checked here, each problem with its file and line; applied by sourcedId.

Orgs and sessions are applied first, inside the import's transaction (classes name them; a refused import rolls
them back with the rest): created, or updated where the row differs; a parent must be a row of the file or here.
Teachers are the users the roles file makes teachers or aides (an email is needed: learning platforms find
teachers by it), at their ``primaryOrgSourcedId`` school (else the one they have, else the first); each enrollment of
role teacher (``primary`` true: the primary teacher) or aide assigns its teacher to its class. Nothing is deleted:
tombstones are counted as skipped.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from courses.models import Course
from imports.problems import Problems
from oneroster.bundle.reading import (
    TEACHING_ROLES,
    Reader,
    Where,
    _canonical_uuid,
    _date,
    _optional_uuid,
    _Refusal,
    _status,
)
from oneroster.bundle.report import ImportReport
from schools.models import AcademicSession, Org, OrgType, SessionType
from teachers.models import Assignment, AssignmentRole, Teacher


class Place(NamedTuple):  # an org or an academic session
    where: Where
    sourced_id: str
    values: dict
    parent: str | None


class Person(NamedTuple):
    where: Where
    sourced_id: str
    values: dict
    school: str | None


class Teaching(NamedTuple):
    where: Where
    sourced_id: str
    teacher: str
    klass: str
    values: dict


def _text(where: Where, row: dict, name: str, limit: int, *, required: bool = True) -> str:
    value = row.get(name, "")
    if required and not value:
        raise _Refusal(f"{where}: {name} must not be empty")
    if len(value) > limit:
        raise _Refusal(f"{where}: {name} is longer than {limit} characters")
    return value


def _org(where: Where, row: dict) -> Place:
    kind = row.get("type", "")
    if kind not in OrgType.values:
        raise _Refusal(f"{where}: type {kind[:40]!r} is none of {', '.join(OrgType.values)}")
    values = {"name": _text(where, row, "name", 200), "type": kind}
    values["identifier"] = _text(where, row, "identifier", 100, required=False)
    return Place(where, _canonical_uuid(where, "sourcedId", row.get("sourcedId", "")), values, _parent(where, row))


def _session(where: Where, row: dict) -> Place:
    kind = row.get("type", "")
    if kind not in SessionType.values:
        raise _Refusal(f"{where}: type {kind[:40]!r} is none of {', '.join(SessionType.values)}")
    start, end = _date(where, row, "startDate"), _date(where, row, "endDate")
    if start is None or end is None or end <= start:
        raise _Refusal(f"{where}: startDate and endDate are needed, the end after the start (it is exclusive)")
    year = row.get("schoolYear", "")
    if not (len(year) == 4 and year.isascii() and year.isdigit()):
        raise _Refusal(f"{where}: schoolYear {year[:20]!r} is no year such as 2027")
    values = {"title": _text(where, row, "title", 200), "type": kind, "start_date": start, "end_date": end}
    values["school_year"] = year
    return Place(where, _canonical_uuid(where, "sourcedId", row.get("sourcedId", "")), values, _parent(where, row))


def _parent(where: Where, row: dict) -> str | None:
    parent = _optional_uuid(where, row, "parentSourcedId")
    if parent is not None and parent == row.get("sourcedId"):
        raise _Refusal(f"{where}: a record is not its own parent")
    return parent


def _teacher(where: Where, row: dict) -> Person:
    email = (row.get("email") or row.get("username", "")).strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise _Refusal(f"{where}: {email[:60]!r} is no email address (a teacher is found by it)") from None
    values = {"first_name": _text(where, row, "givenName", 100), "last_name": _text(where, row, "familyName", 100)}
    values |= {"email": email[:254], "identifier": _text(where, row, "identifier", 100, required=False)}
    sourced_id = _canonical_uuid(where, "sourcedId", row.get("sourcedId", ""))
    return Person(where, sourced_id, values, _optional_uuid(where, row, "primaryOrgSourcedId"))


def _teaching(where: Where, row: dict) -> Teaching:
    role = AssignmentRole.PRIMARY if row.get("primary") == "true" else AssignmentRole.SECONDARY
    if row.get("role") in ("aide", "ext:aide"):
        role = AssignmentRole.AIDE
    begin, end = _date(where, row, "beginDate"), _date(where, row, "endDate")
    if begin is not None and end is not None and end <= begin:
        raise _Refusal(f"{where}: endDate comes after beginDate (it is exclusive)")
    user = _canonical_uuid(where, "userSourcedId", row.get("userSourcedId", ""))
    klass = _canonical_uuid(where, "classSourcedId", row.get("classSourcedId", ""))
    sourced_id = _canonical_uuid(where, "sourcedId", row.get("sourcedId", ""))
    return Teaching(where, sourced_id, user, klass, {"role": role, "begin_date": begin, "end_date": end})


@dataclass
class District:
    """The bundle's orgs, sessions, teachers and teachers' enrollments, read and checked (``read``)."""

    orgs: list[Place] = field(default_factory=list)
    sessions: list[Place] = field(default_factory=list)
    teachers: list[Person] = field(default_factory=list)
    teaching: list[Teaching] = field(default_factory=list)

    @classmethod
    def read(cls, reader: Reader) -> "District":
        found = cls()
        found.orgs = _parsed(reader, "orgs", _org)
        found.sessions = _parsed(reader, "academicSessions", _session)
        if reader.teachers:
            people = (pair for pair in reader.raw("users", again=True) if pair[1].get("sourcedId") in reader.teachers)
            found.teachers = _parsed(reader, "users", _teacher, people)
        roles = (pair for pair in reader.raw("enrollments", again=True) if pair[1].get("role") in TEACHING_ROLES)
        teaching = _parsed(reader, "enrollments", _teaching, roles)
        teachers = {person.sourced_id for person in found.teachers} | _here(Teacher, {t.teacher for t in teaching})
        found.teaching = [row for row in teaching if row.teacher in teachers]
        if len(found.teaching) < len(teaching):
            reader.skip(
                "enrollments of role teacher or aide of users who are no teachers", len(teaching) - len(found.teaching)
            )
        found._check_references(reader.problems)
        return found

    def _check_references(self, problems: Problems) -> None:
        for rows, model, what in ((self.orgs, Org, "org"), (self.sessions, AcademicSession, "academic session")):
            known = {row.sourced_id for row in rows} | _here(model, {row.parent for row in rows if row.parent})
            for row in rows:
                if row.parent is not None and row.parent not in known:
                    problems.add(f"{row.where}: parentSourcedId {row.parent} is no {what} of the bundle or here")
        schools = {row.sourced_id for row in self.orgs if row.values["type"] == OrgType.SCHOOL}
        schools |= _here(Org, {p.school for p in self.teachers if p.school}, type=OrgType.SCHOOL)
        for person in self.teachers:
            if person.school is not None and person.school not in schools:
                problems.add(f"{person.where}: primaryOrgSourcedId {person.school} is no school of the bundle or here")
        emails = dict(
            Teacher.objects.filter(email__in=[p.values["email"] for p in self.teachers]).values_list(
                "email", "sourced_id"
            )
        )
        first_at: dict[str, Where] = {}
        for person in self.teachers:
            email = person.values["email"]
            if email in emails and str(emails[email]) != person.sourced_id:
                problems.add(f"{person.where}: email {email} is another teacher's here")
            elif email in first_at:
                problems.add(f"{person.where}: email {email} again (first at {first_at[email]})")
            first_at.setdefault(email, person.where)

    # Applying ------------------------------------------------------------------------------------------------------

    def apply_places(self, report: ImportReport) -> None:
        """Orgs and sessions, created or updated, then their parents (a parent may come later in its file)."""
        for rows, model, noun in ((self.orgs, Org, "org"), (self.sessions, AcademicSession, "academic session")):
            by_id = _upsert(model, noun, {row.sourced_id: row.values for row in rows}, report)
            parents = _here(model, {row.parent for row in rows if row.parent}, objects=True)
            for row in rows:
                parent = parents.get(row.parent) if row.parent else None
                place = by_id[row.sourced_id]
                if place.parent_id != (parent.pk if parent else None):
                    place.parent = parent
                    place.save(update_fields=["parent", "updated_at"])
                    report.note(f"{noun}s updated", f"~ {noun} {row.sourced_id}: parent {row.parent}")

    def apply_teaching(self, report: ImportReport, *, first_school: Org | None, problems: Problems) -> None:
        """Teachers (at their school, else the one they have, else the first), then their assignments, whose class
        must be ours by now (the bundle's classes were applied before)."""
        schools = _here(Org, {p.school for p in self.teachers if p.school}, objects=True)
        current = _here(Teacher, {p.sourced_id for p in self.teachers}, objects=True)
        wanted = {}
        for person in self.teachers:
            kept = current.get(person.sourced_id)
            school = schools.get(person.school) if person.school else (kept.school if kept else first_school)
            wanted[person.sourced_id] = {**person.values, "school_id": school.pk}
        _upsert(Teacher, "teacher", wanted, report)
        teachers = _here(Teacher, {row.teacher for row in self.teaching}, objects=True)
        courses = _here(Course, {row.klass for row in self.teaching}, objects=True)
        wanted = {}
        for row in self.teaching:
            if row.klass not in courses:
                problems.add(f"{row.where}: classSourcedId {row.klass} is no class of the bundle or here")
                continue
            course, teacher = courses[row.klass], teachers[row.teacher]
            wanted[row.sourced_id] = {**row.values, "teacher_id": teacher.pk, "course_id": course.pk}
        _upsert(Assignment, "teacher assignment", wanted, report)


def _parsed(reader: Reader, name: str, parse: Callable, rows: Iterable | None = None) -> list:
    found, mode = [], reader.mode(name)
    for where, row in reader.raw(name) if rows is None else rows:
        try:
            if _status(where, row, mode):
                reader.skip(f"tobedeleted {name} (kept: an import deletes none)")
                continue
            found.append(parse(where, row))
        except _Refusal as refusal:
            reader.problems.add(str(refusal))
    return found


def _here(model, sourced_ids: set, *, objects: bool = False, **narrowed):
    """Which of these sourcedIds rows of ``model`` here have (as text), or those rows by sourcedId."""
    rows = model.objects.filter(sourced_id__in=list(sourced_ids), **narrowed)
    if objects:
        return {str(row.sourced_id): row for row in rows}
    return {str(pk) for pk in rows.values_list("sourced_id", flat=True)}


def _upsert(model, noun: str, wanted: dict[str, dict], report: ImportReport) -> dict[str, object]:
    """Creates or updates each row by sourcedId, each change noted; returns every wanted row by sourcedId."""
    found = _here(model, set(wanted), objects=True)
    for sourced_id, values in wanted.items():
        row = found.get(sourced_id)
        if row is None:
            found[sourced_id] = model.objects.create(sourced_id=sourced_id, **values)
            report.note(f"{noun}s created", f"+ {noun} {sourced_id}")
        elif changed := {k: v for k, v in values.items() if getattr(row, k) != v}:
            for name, value in changed.items():
                setattr(row, name, value)
            row.save()
            what = ", ".join(f"{k.removesuffix('_id')} {_shown(v)}" for k, v in changed.items())
            report.note(f"{noun}s updated", f"~ {noun} {sourced_id}: {what}")
    return found


def _shown(value) -> str:
    return value.isoformat() if isinstance(value, dt.date) else repr(value)
