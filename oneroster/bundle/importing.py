"""Imports a OneRoster 1.2 CSV bundle into our students, courses and associations, through the domain's entry
points (so the seat rule, the waitlist, the history and the change feed apply as for any other change).

One path on every engine: the bundle's rows are streamed into staging tables (``staging``), checked there with
set-based SQL, and applied a batch at a time; the associations go through the same bulk staging as the enrollments
CSV (``students.enrollment.bulk``: on PostgreSQL planned course by course, set-based writes), so a district's
million enrollments never live in Python at once.

Orgs and academic sessions, students, catalog courses (OneRoster's courses), our courses (its classes: a course may
have several), teachers and their assignments (``district``) are created or updated by sourcedId. Bulk files are the
whole truth for what they cover: an enrolled association missing from a bulk enrollments file is dropped if its
course is in a school and term of the file's classes (another school's are not the file's to drop) — unless that
would drop more than ``max_drop_share`` of those enrolled at once, when the import is refused (a half-exported
file must not empty the school). Delta rows add, change or drop.
Completed associations and waitlisted ones (no OneRoster enrollment) are never dropped by a row's absence; people and
courses are never deleted (their history stays). All or nothing: every bad row is reported, with its file and line,
and nothing changes; a dry run does everything, reports it, and rolls it back.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from changes.feed import record_saves
from courses.models import CatalogCourse, Course
from imports.problems import Problems
from oneroster.bundle import reading
from oneroster.bundle.binding import BULK
from oneroster.bundle.district import District
from oneroster.bundle.report import BundleRefused, ImportReport
from oneroster.bundle.staging import Staging, as_uuid, drop_tables, execute, fetch, in_batches, postgres, streamed
from schools.models import AcademicSession, Org
from students.enrollment import bulk, services
from students.enrollment.errors import CourseFull
from students.enrollment.writing import Actor
from students.models import EnrollmentStatus, Student
from teachers.models import Assignment

COMPLETED = EnrollmentStatus.COMPLETED
Progress = Callable[[str, int], None]  # (file, rows read so far)


def import_bundle(
    source: str | IO[bytes],
    *,
    actor: Actor,
    dry_run: bool = False,
    max_drop_share: float = 0.1,
    today: dt.date | None = None,
    changes: Callable[[str], None] | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Reads, checks and applies the bundle in one transaction (rolled back for a dry run). Every problem, the
    file's and those only the database tells (unknown references, values another record holds), is found before
    anything is written: ``BundleRefused`` names them all, and nothing changes. Each change's line goes to
    ``changes`` as it is made (a dry run's too)."""
    problems = Problems()
    today = today or timezone.localdate()
    with reading.Reader(source, today=today, problems=problems, progress=progress) as reader:
        report = ImportReport(dry_run=dry_run, sink=changes)
        try:
            with transaction.atomic():
                district = District.read(reader)
                if not problems:
                    district.apply_places(report)  # classes name them (rolled back with the rest if refused)
                staged = Staging(reader)
                report.skipped = dict(reader.skipped)
                _Import(staged, report, actor=actor, max_drop_share=max_drop_share, mode=reader.mode).run(district)
                report.rows = staged.total
                if dry_run:
                    transaction.set_rollback(True)
        finally:
            drop_tables()
    return report


def _given_kept_or_first(given: str, kept: str, first: int) -> str:
    """The SQL of a reference a row gives (its org, school or term), else the one the object has here, else the
    first one (a new object's)."""
    return f"coalesce({given}, {kept}, {int(first)})"


def _refuse_if(problems: Problems) -> None:
    if problems:
        raise BundleRefused(problems)


class _Import:
    def __init__(self, staged: Staging, report: ImportReport, *, actor: Actor, max_drop_share: float, mode) -> None:
        self.staged, self.report, self.actor, self.max_drop_share = staged, report, actor, max_drop_share
        self.bulk = mode("enrollments") == BULK
        school, term = Org.objects.first_school(), AcademicSession.objects.first_term()
        self.first_school = 0 if school is None else school.pk  # (0: no row has it)
        self.first_term = 0 if term is None else term.pk

    def run(self, district: District) -> None:
        self.staged.check()  # the well-formed rows, beside the problems of the others: all found in one pass
        _refuse_if(self.staged.problems)
        for noun in ("user", "course"):
            (deleted,) = fetch(f"SELECT count(*) FROM bundle_{noun}s WHERE deleted")[0]
            if deleted:  # people and courses are never deleted by an import: their history stays
                self.report.skipped[f"tobedeleted {noun}s (kept: an import deletes no {noun})"] = deleted
        self.students()
        self.courses()
        self.classes()
        district.apply_teaching(self.report, first_school=Org.objects.first_school(), problems=self.staged.problems)
        _refuse_if(self.staged.problems)  # an assignment to a class that is nowhere
        if self.bulk and district.teaching:
            self.assignments_absent(district)
        self.enrollments()

    def assignments_absent(self, district: District) -> None:
        """A bulk file that lists teachers' enrollments is the whole truth for them too, in the schools and terms of
        the classes it names (its students' and its teachers'): an assignment there that it does not list is removed
        (a file listing none says nothing of teachers, and removes none)."""
        taught = Course.objects.filter(sourced_id__in=[row.klass for row in district.teaching])
        scope = Q()
        for school_id, term_id in {*fetch(_SCOPE_SELECT), *taught.values_list("school_id", "term_id")}:
            scope |= Q(course__school_id=school_id, course__term_id=term_id)
        if not scope:
            return
        listed = [uuid.UUID(row.sourced_id) for row in district.teaching]
        for assignment in Assignment.objects.filter(scope).exclude(sourced_id__in=listed).order_by("id"):
            assignment.delete()  # one feed entry each (assignment.deleted)
            self.report.note("teacher assignments removed", f"- teacher assignment {assignment.sourced_id}")

    # Students, courses and classes, a batch of rows at a time ----------------------------------------------------

    def students(self) -> None:
        """The rows of new students and of students the row changes (the others are read no further)."""
        school = _given_kept_or_first("g.id", "s.school_id", self.first_school)
        sql = (
            f"SELECT u.line, u.sourced_id, u.first_name, u.last_name, u.email, {school} FROM bundle_users u"
            " LEFT JOIN students s ON s.sourced_id = u.sourced_id LEFT JOIN orgs g ON g.sourced_id = u.org"
            " WHERE NOT u.deleted AND (s.id IS NULL OR s.first_name <> u.first_name OR s.last_name <> u.last_name"
            f" OR s.email <> u.email OR s.school_id <> {school}) AND u.{{after}} ORDER BY u.line"
        )
        for rows in in_batches(sql):
            wanted = {
                as_uuid(r[1]): {"first_name": r[2], "last_name": r[3], "email": r[4], "school_id": r[5]} for r in rows
            }
            self._upsert(Student, "student", wanted, feed=True)

    def courses(self) -> None:
        """Catalog courses: new ones, and those whose code, title or org the row changes."""
        org = _given_kept_or_first("g.id", "o.org_id", self.first_school)
        sql = (
            f"SELECT c.line, c.sourced_id, c.code, c.title, {org} FROM bundle_courses c"
            " LEFT JOIN orgs g ON g.sourced_id = c.org LEFT JOIN catalog_courses o ON o.sourced_id = c.sourced_id"
            f" WHERE NOT c.deleted AND (o.id IS NULL OR o.code <> c.code OR o.title <> c.title OR o.org_id <> {org})"
            " AND c.{after} ORDER BY c.line"
        )
        for rows in in_batches(sql):
            wanted = {as_uuid(r[1]): {"code": r[2], "title": r[3], "org_id": r[4]} for r in rows}
            self._upsert(CatalogCourse, "course", wanted, feed=False)

    def classes(self) -> None:
        """Our courses (what students enroll in): new ones, and those whose code, title, catalog course, school or
        term the row changes."""
        school = _given_kept_or_first("g.id", "o.school_id", self.first_school)
        term = _given_kept_or_first("t.id", "o.term_id", self.first_term)
        sql = (
            f"SELECT k.line, k.sourced_id, k.code, k.title, c.id, {school}, {term} FROM bundle_classes k"
            " JOIN catalog_courses c ON c.sourced_id = k.course LEFT JOIN orgs g ON g.sourced_id = k.school"
            " LEFT JOIN academic_sessions t ON t.sourced_id = k.term LEFT JOIN courses o ON o.sourced_id = k.sourced_id"
            " WHERE NOT k.deleted AND (o.id IS NULL OR o.code <> k.code OR o.title <> k.title"
            f" OR o.catalog_course_id <> c.id OR o.school_id <> {school} OR o.term_id <> {term})"
            " AND k.{after} ORDER BY k.line"
        )
        for rows in in_batches(sql):
            wanted = {
                as_uuid(r[1]): {
                    "code": r[2],
                    "title": r[3],
                    "catalog_course_id": r[4],
                    "school_id": r[5],
                    "term_id": r[6],
                }
                for r in rows
            }
            self._upsert(Course, "class", wanted, feed=True)

    def _upsert(self, model, noun: str, wanted: dict[uuid.UUID, dict], *, feed: bool) -> None:
        """Creates or updates each object by sourcedId (checked already: no value of it is another object's)."""
        existing = model.objects.in_bulk(list(wanted), field_name="sourced_id")
        created, updated, now = [], [], timezone.now()
        for sourced_id, values in wanted.items():
            instance = existing.get(sourced_id)
            shown = " ".join(value for value in values.values() if isinstance(value, str))
            if instance is None:
                created.append(model(sourced_id=sourced_id, **values))
                self.report.note(f"{noun}s created", f"+ {noun} {sourced_id}: {shown}")
            elif changed := {k: v for k, v in values.items() if getattr(instance, k) != v}:
                what = ", ".join(
                    f"{k.removesuffix('_id')} {getattr(instance, k)!r} → {v!r}" for k, v in changed.items()
                )
                for name, value in changed.items():
                    setattr(instance, name, value)
                instance.updated_at = now
                updated.append(instance)
                self.report.note(f"{noun}s updated", f"~ {noun} {sourced_id}: {what}")
        model.objects.bulk_create(created)
        model.objects.bulk_update(updated, [*next(iter(wanted.values())), "updated_at"])
        if feed:
            record_saves(created, created=True)
            record_saves(updated, created=False)

    # Enrollments -------------------------------------------------------------------------------------------------

    def enrollments(self) -> None:
        """What each row asks of its association (``kind``: drop, complete, enroll, or nothing), decided against
        the associations as they are before any of it is applied; then the drops, the completions and the
        enrollments, in that order (seats the drops free can be taken)."""
        on_commit = " ON COMMIT DROP" if postgres() else ""
        execute(_WANTED.format(on_commit=on_commit))
        if self.bulk:
            execute(_SCOPE.format(on_commit=on_commit))
            execute(_ABSENT)
        if postgres():
            execute("ANALYZE bundle_wanted")
        self._guard()
        pairs = (
            "SELECT student_id, course_id, {drop} AS is_drop, sourced_id, begin_date, end_date FROM bundle_wanted"
            " WHERE {where}"
        )
        bulk.stage_pairs(pairs.format(drop=_TRUE, where="kind = 'drop'")).apply(actor=self.actor)
        self._note("drop", lambda names, status: f"- {names}: dropped")
        self._complete(pairs.format(drop=_FALSE, where="kind = 'complete' AND coalesce(current, '') <> 'enrolled'"))
        bulk.stage_pairs(pairs.format(drop=_FALSE, where="kind = 'enroll'")).apply(actor=self.actor, waitlist=True)
        self._note("enroll", lambda names, status: f"+ {names}: {_ENROLLED.get(status, status)}")
        execute(_ADOPT)  # new associations take the rows' sourcedId (PostgreSQL's took them already)

    def _guard(self) -> None:
        (drops,) = fetch("SELECT count(*) FROM bundle_wanted WHERE kind = 'drop'")[0]
        if not drops or self.max_drop_share >= 1 or not self.bulk:
            return
        (enrolled,) = fetch(f"SELECT count(*) FROM student_courses sc WHERE status = 'enrolled' AND {_IN_SCOPE}")[0]
        if drops > self.max_drop_share * enrolled:
            raise BundleRefused(
                [
                    f"enrollments.csv: this bulk file would drop {drops} of the {enrolled} enrolled associations "
                    f"in the schools and terms of its classes (more than {self.max_drop_share:.0%}); nothing changed. "
                    "If that is meant, import it with a larger --max-drop-share."
                ]
            )

    def _complete(self, to_enroll: str) -> None:
        """Completed rows: enrolled first where they are not (a seat is needed), then completed one by one."""
        try:
            bulk.stage_pairs(to_enroll).apply(actor=self.actor)
        except CourseFull as full:
            problems = Problems()
            for (line,) in streamed(
                "SELECT line FROM bundle_wanted WHERE kind = 'complete' AND coalesce(current, '') <> 'enrolled'"
                " ORDER BY line"
            ):
                problems.add(f"enrollments.csv line {line}: completed, but the class is full here")
            raise BundleRefused(problems) from full
        sql = "SELECT line, student_id, course_id FROM bundle_wanted WHERE kind = 'complete' AND {after} ORDER BY line"
        for rows in in_batches(sql):
            for _, student, course in rows:
                services.change_status(student_id=student, course_id=course, status=COMPLETED, actor=self.actor)
        self._note("complete", lambda names, status: f"✓ {names}: completed")

    def _note(self, kind: str, line: Callable[[str, str], str]) -> None:
        noun = {"drop": "dropped", "complete": "completed", "enroll": "added"}[kind]
        for email, code, status in streamed(_NAMED, [kind]):
            key = "enrollments waitlisted" if status == "waitlisted" else f"enrollments {noun}"
            self.report.note(key, line(f"enrollment of {email} in {code}", status))


_TRUE, _FALSE = "1 = 1", "1 = 0"
_ENROLLED = {"waitlisted": "waitlisted (the class is full)"}
_WANTED = """
CREATE TEMP TABLE bundle_wanted{on_commit} AS
SELECT e.line, e.sourced_id, e.begin_date, e.end_date, s.id AS student_id, c.id AS course_id, sc.status AS current,
    CASE
        WHEN e.target = 'dropped' AND sc.status IN ('enrolled', 'waitlisted') THEN 'drop'
        WHEN e.target = 'completed' AND coalesce(sc.status, '') <> 'completed' THEN 'complete'
        WHEN e.target = 'enrolled' AND coalesce(sc.status, 'dropped') IN ('dropped', 'completed') THEN 'enroll'
    END AS kind
FROM bundle_enrollments e
JOIN students s ON s.sourced_id = e.user_id
JOIN courses c ON c.sourced_id = e.class_id
LEFT JOIN student_courses sc ON sc.student_id = s.id AND sc.course_id = c.id
"""
# A bulk file is the whole truth for the schools and terms of the classes it names (its classes' and its enrollments'):
# an enrolled association in a course of one of them that it does not list is dropped; another school's, or another
# term's, is not the file's to drop.
_SCOPE_SELECT = """
SELECT DISTINCT c.school_id, c.term_id FROM courses c
WHERE c.sourced_id IN (
    SELECT sourced_id FROM bundle_classes WHERE NOT deleted UNION SELECT class_id FROM bundle_enrollments
)
"""
_SCOPE = "CREATE TEMP TABLE bundle_scope{on_commit} AS" + _SCOPE_SELECT
_IN_SCOPE = (
    "EXISTS (SELECT 1 FROM courses c JOIN bundle_scope b ON b.school_id = c.school_id AND b.term_id = c.term_id"
    " WHERE c.id = sc.course_id)"
)
_ABSENT = f"""
INSERT INTO bundle_wanted (line, sourced_id, begin_date, end_date, student_id, course_id, current, kind)
SELECT NULL, NULL, NULL, NULL, sc.student_id, sc.course_id, sc.status, 'drop' FROM student_courses sc
WHERE sc.status = 'enrolled' AND {_IN_SCOPE}
  AND NOT EXISTS (SELECT 1 FROM bundle_wanted w WHERE w.student_id = sc.student_id AND w.course_id = sc.course_id)
"""
_NAMED = """
SELECT s.email, c.code, sc.status FROM bundle_wanted w
JOIN students s ON s.id = w.student_id JOIN courses c ON c.id = w.course_id
JOIN student_courses sc ON sc.student_id = w.student_id AND sc.course_id = w.course_id
WHERE w.kind = %s ORDER BY w.student_id, w.course_id
"""
_ADOPT = """
UPDATE student_courses SET sourced_id = w.sourced_id
FROM bundle_wanted w
WHERE w.current IS NULL AND w.kind IN ('enroll', 'complete')
  AND student_courses.student_id = w.student_id AND student_courses.course_id = w.course_id
  AND student_courses.sourced_id <> w.sourced_id
"""
