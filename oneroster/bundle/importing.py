"""Imports a OneRoster 1.2 CSV bundle into our students, courses and associations, through the domain's entry
points (so the seat rule, the waitlist, the history and the change feed apply as for any other change).

Students and courses are created or updated by sourcedId (a class gives its course its class sourcedId; one
class per course). Bulk files are the whole truth for what they cover: an enrolled association missing from a bulk
enrollments file is dropped — unless that would drop more than ``max_drop_share`` of the enrolled ones at once,
when the import is refused (a half-exported file must not empty the school). Delta rows add, change or drop.
Completed associations and waitlisted ones (no OneRoster enrollment) are never dropped by a row's absence; people and
courses are never deleted (their history stays). All or nothing: every bad row is reported, with its file and line,
and nothing changes; a dry run does everything, reports it, and rolls it back.
"""

import datetime as dt
import uuid
from collections.abc import Callable
from typing import IO

from django.db import connection, transaction
from django.utils import timezone

from config.iterables import batched
from config.raw_sql import stored_rows
from courses.models import Course
from oneroster.bundle import reading
from oneroster.bundle.binding import BULK
from oneroster.bundle.report import BundleRefused, ImportReport
from students.enrollment import services
from students.enrollment.errors import CourseFull
from students.enrollment.writing import Actor
from students.models import EnrollmentStatus, Student, StudentCourse

LOOKUP_BATCH = 5000
ENROLLED, COMPLETED, DROPPED = EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED, EnrollmentStatus.DROPPED
WAITLISTED = EnrollmentStatus.WAITLISTED


Progress = Callable[[str, int], None]  # (file, rows read so far)


def read_bundle(source: str | IO[bytes], *, today: dt.date | None = None, progress: Progress | None = None):
    """The bundle's rows, checked, with the problems of each bad one (``bundle.problems``). Touches no database."""
    return reading.read(source, today=today or timezone.localdate(), progress=progress)


def apply_bundle(
    bundle: reading.Bundle, *, actor: Actor, dry_run: bool = False, max_drop_share: float = 0.1
) -> ImportReport:
    """Applies a bundle read by ``read_bundle`` in one transaction (rolled back for a dry run). Every problem, the
    file's and those only the database tells (unknown references, values another record holds), is found before
    anything is written: ``BundleRefused`` names them all, and nothing changes."""
    report = ImportReport(dry_run=dry_run, skipped=dict(bundle.skipped))
    with transaction.atomic():
        _Import(bundle, report, actor=actor, max_drop_share=max_drop_share).run()
        if dry_run:
            transaction.set_rollback(True)
    return report


def import_bundle(
    source: str | IO[bytes],
    *,
    actor: Actor,
    dry_run: bool = False,
    max_drop_share: float = 0.1,
    today: dt.date | None = None,
) -> ImportReport:
    """Reads, checks and applies the bundle; ``BundleRefused`` (every problem) changes nothing."""
    bundle = read_bundle(source, today=today)
    return apply_bundle(bundle, actor=actor, dry_run=dry_run, max_drop_share=max_drop_share)


class _Import:
    def __init__(self, bundle, report, *, actor, max_drop_share) -> None:
        self.bundle, self.report, self.actor, self.max_drop_share = bundle, report, actor, max_drop_share
        self.problems = bundle.problems  # the file's problems; those the database tells are added to them
        self.users = self._live(bundle.users, "user")
        self.course_rows = self._live(bundle.courses, "course")
        self.class_rows = [r for r in bundle.classes if not r.deleted]

    def refuse_if_problems(self) -> None:
        if self.problems:
            raise BundleRefused(self.problems)

    def run(self) -> None:
        self.check()
        self.refuse_if_problems()
        students = self.students()
        courses = self.courses()
        classes = self.classes(courses)
        self.refuse_if_problems()
        self.enrollments(students, classes)

    # Every problem, before anything is written -------------------------------------------------------------------

    def check(self) -> None:
        """Adds the problems that need the database (or several rows) to tell, writing nothing."""
        self._check_owners(self.users, Student, "email", "student")
        self._check_owners(self.course_rows, Course, "code", "course")
        course_ids = {r.sourced_id for r in self.course_rows}
        course_ids |= {str(i) for i in _existing(Course, "sourced_id", {r.course for r in self.class_rows})}
        self._unique(self.class_rows, lambda r: r.sourced_id, "sourcedId")
        self._unique(self.class_rows, lambda r: r.course, "a class of the course (one class per course here):")
        holders = dict(
            Course.objects.filter(class_sourced_id__in=_uuids(r.sourced_id for r in self.class_rows)).values_list(
                "class_sourced_id", "sourced_id"
            )
        )
        classes = set()
        for row in self.class_rows:
            if row.course not in course_ids:
                self.problems.add(f"{row.where}: courseSourcedId {row.course} is no course of the bundle or here")
                continue
            holder = holders.get(_uuid(row.sourced_id))
            if holder is not None and str(holder) != row.course:
                self.problems.add(f"{row.where}: class {row.sourced_id} is another course's class here")
                continue
            classes.add(row.sourced_id)
        rows = self.bundle.enrollments
        self._unique(rows, lambda r: r.sourced_id, "sourcedId")
        self._unique(rows, lambda r: (r.user, r.klass), "user and class")
        users = {r.sourced_id for r in self.users}
        users |= {str(i) for i in _existing(Student, "sourced_id", {r.user for r in rows} - users)}
        classes |= {str(i) for i in _existing(Course, "class_sourced_id", {r.klass for r in rows} - classes)}
        for row in rows:
            if row.user not in users:
                self.problems.add(f"{row.where}: userSourcedId {row.user} is no student of the bundle or here")
            if row.klass not in classes:
                self.problems.add(f"{row.where}: classSourcedId {row.klass} is no class of the bundle or here")

    def _check_owners(self, rows: list, model, key: str, noun: str) -> None:
        """Each row's sourcedId and ``key`` once in the file, and its ``key`` not another object's here."""
        self._unique(rows, lambda r: r.sourced_id, "sourcedId")
        self._unique(rows, lambda r: getattr(r, key), key)
        owners = {}
        for batch in batched(sorted({getattr(r, key) for r in rows}), LOOKUP_BATCH):
            owners.update(model.objects.filter(**{f"{key}__in": batch}).values_list(key, "sourced_id"))
        for row in rows:
            owner = owners.get(getattr(row, key))
            if owner is not None and str(owner) != row.sourced_id:
                self.problems.add(f"{row.where}: {key} {getattr(row, key)} is another {noun}'s here")

    # Students and courses ----------------------------------------------------------------------------------------

    def _unique(self, rows, key: Callable, what: str) -> None:
        if len({key(row) for row in rows}) == len(rows):  # the common case, in a set: a district's rows are many
            return
        first: dict = {}
        for row in rows:
            value = key(row)
            if value in first:
                shown = " ".join(value) if isinstance(value, tuple) else value
                self.problems.add(f"{row.where}: {what} {shown} again (first at {first[value]})")
            else:
                first[value] = row.where

    def _live(self, rows: list, noun: str) -> list:
        """The rows that are no tombstones; people and courses are never deleted by an import (their history stays)."""
        live = [row for row in rows if not row.deleted]
        for _ in range(len(rows) - len(live)):
            self.report.skip(f"tobedeleted {noun}s (kept: an import deletes no {noun})")
        return live

    def _upsert(self, rows: list, model, *, noun: str, key: str, fields: tuple[str, ...], new: Callable) -> dict:
        """Creates or updates each row's object by sourcedId (its ``fields``, from the row's same-named attributes);
        ``key`` must not be another object's already. Returns the objects by sourcedId."""
        existing = {str(o.sourced_id): o for o in model.objects.filter(sourced_id__in=[r.sourced_id for r in rows])}
        owners = dict(
            model.objects.filter(**{f"{key}__in": [getattr(r, key) for r in rows]}).values_list(key, "sourced_id")
        )
        found = {}
        for row in rows:
            value = getattr(row, key)
            if owners.get(value) is not None and str(owners[value]) != row.sourced_id:
                continue  # a problem found by check()
            wanted = {name: getattr(row, name) for name in fields}
            found[row.sourced_id] = instance = existing.get(row.sourced_id)
            if instance is None:
                found[row.sourced_id] = model.objects.create(sourced_id=row.sourced_id, **wanted, **new(row))
                self.report.note(f"{noun}s created", f"+ {noun} {row.sourced_id}: {' '.join(wanted.values())}")
            elif changed := {k: v for k, v in wanted.items() if getattr(instance, k) != v}:
                what = ", ".join(f"{k} {getattr(instance, k)!r} → {v!r}" for k, v in changed.items())
                for name, new_value in changed.items():
                    setattr(instance, name, new_value)
                instance.save(update_fields=[*changed, "updated_at"])
                self.report.note(f"{noun}s updated", f"~ {noun} {row.sourced_id}: {what}")
        return found

    def students(self) -> dict[str, int]:
        rows = self.users
        fields = ("first_name", "last_name", "email")
        found = self._upsert(rows, Student, noun="student", key="email", fields=fields, new=lambda row: {})
        return {sourced_id: student.id for sourced_id, student in found.items()}

    def courses(self) -> dict[str, Course]:
        rows = self.course_rows
        class_of = {r.course: r.sourced_id for r in self.class_rows}
        return self._upsert(
            rows,
            Course,
            noun="course",
            key="code",
            fields=("code", "title"),
            new=lambda row: {"class_sourced_id": class_of.get(row.sourced_id) or uuid.uuid4()},
        )

    def classes(self, courses: dict[str, Course]) -> dict[str, int]:
        """Each class's course id, the file's classes and the ones we hold."""
        rows = self.class_rows
        known = {str(c.sourced_id): c for c in Course.objects.filter(sourced_id__in=[r.course for r in rows])}
        holders = dict(
            Course.objects.filter(class_sourced_id__in=[r.sourced_id for r in rows]).values_list(
                "class_sourced_id", "id"
            )
        )
        classes = {}
        for row in rows:
            course = courses.get(row.course) or known.get(row.course)
            holder = holders.get(_uuid(row.sourced_id))
            if course is None or (holder is not None and holder != course.id):
                continue  # a problem found by check()
            if str(course.class_sourced_id) != row.sourced_id:
                course.class_sourced_id = row.sourced_id
                course.save(update_fields=["class_sourced_id", "updated_at"])
                self.report.note("classes renamed", f"~ class of {course.code}: now sourcedId {row.sourced_id}")
            classes[row.sourced_id] = course.id
        return classes

    # Enrollments -------------------------------------------------------------------------------------------------

    def enrollments(self, students: dict[str, int], classes: dict[str, int]) -> None:
        rows = self.bundle.enrollments
        known_students = dict(
            Student.objects.filter(sourced_id__in=[r.user for r in rows if r.user not in students]).values_list(
                "sourced_id", "id"
            )
        )
        known_classes = dict(
            Course.objects.filter(class_sourced_id__in=[r.klass for r in rows if r.klass not in classes]).values_list(
                "class_sourced_id", "id"
            )
        )
        wanted: dict[tuple[int, int], reading.EnrollmentRow] = {}
        for row in rows:
            student = students.get(row.user) or known_students.get(_uuid(row.user))
            course = classes.get(row.klass) or known_classes.get(_uuid(row.klass))
            if student is not None and course is not None:  # otherwise a problem found by check()
                wanted[(student, course)] = row
        self.refuse_if_problems()
        bulk = self.bundle.mode("enrollments") == BULK
        current = self._current(wanted, everything=bulk)
        drops = {
            pair
            for pair, row in wanted.items()
            if row.target == DROPPED and current.get(pair) in (ENROLLED, WAITLISTED)
        }
        if bulk:
            drops |= {pair for pair, status in current.items() if status == ENROLLED and pair not in wanted}
            self._guard(len(drops), sum(1 for status in current.values() if status == ENROLLED))
        completions = {
            pair for pair, row in wanted.items() if row.target == COMPLETED and current.get(pair) != COMPLETED
        }
        enrolments = {
            pair
            for pair, row in wanted.items()
            if row.target == ENROLLED and current.get(pair) in (None, DROPPED, COMPLETED)
        }
        names = self._names({*drops, *completions, *enrolments})
        if drops:
            services.enroll_many(changes=_by_student(drops, drop=True), actor=self.actor)
            for pair in sorted(drops):
                self.report.note("enrollments dropped", f"- {names(pair)}: dropped")
        if completions:
            to_enroll = {pair for pair in completions if current.get(pair) != ENROLLED}
            try:
                services.enroll_many(changes=_by_student(to_enroll), actor=self.actor)
            except CourseFull as full:
                raise BundleRefused(
                    [f"{wanted[p].where}: completed, but the class is full here" for p in sorted(to_enroll)]
                ) from full
            for student, course in sorted(completions):
                services.change_status(student_id=student, course_id=course, status=COMPLETED, actor=self.actor)
                self.report.note("enrollments completed", f"✓ {names((student, course))}: completed")
        if enrolments:
            services.enroll_many(changes=_by_student(enrolments), actor=self.actor, waitlist=True)
            after = self._current(enrolments, everything=False)
            for pair in sorted(enrolments):
                if after[pair] == WAITLISTED:
                    self.report.note("enrollments waitlisted", f"+ {names(pair)}: waitlisted (the class is full)")
                else:
                    self.report.note("enrollments added", f"+ {names(pair)}: enrolled")
        self._adopt_identifiers({pair: wanted[pair] for pair in (completions | enrolments) if pair not in current})

    def _current(self, pairs, *, everything: bool) -> dict[tuple[int, int], str]:
        rows = (
            StudentCourse.objects.all()
            if everything
            else StudentCourse.objects.filter(student_id__in={s for s, _ in pairs})
        )
        return {
            (s, c): status
            for s, c, status in rows.values_list("student_id", "course_id", "status").iterator(chunk_size=10_000)
            if everything or (s, c) in pairs
        }

    def _guard(self, drops: int, enrolled: int) -> None:
        if drops and self.max_drop_share < 1 and drops > self.max_drop_share * enrolled:
            raise BundleRefused(
                [
                    f"enrollments.csv: this bulk file would drop {drops} of the {enrolled} enrolled associations "
                    f"(more than {self.max_drop_share:.0%}); nothing changed. If that is meant, import it with a "
                    "larger --max-drop-share."
                ]
            )

    def _names(self, pairs) -> Callable[[tuple[int, int]], str]:
        emails = dict(Student.objects.filter(id__in={s for s, _ in pairs}).values_list("id", "email"))
        codes = dict(Course.objects.filter(id__in={c for _, c in pairs}).values_list("id", "code"))
        return lambda pair: f"enrollment of {emails[pair[0]]} in {codes[pair[1]]}"

    def _adopt_identifiers(self, created: dict[tuple[int, int], reading.EnrollmentRow]) -> None:
        """Associations this import made take the enrollment's sourcedId and begin date from the file: one
        set-based UPDATE from a temporary table (a district's million rows; one UPDATE each would take minutes)."""
        if not created:
            return
        fields = [StudentCourse._meta.get_field(name) for name in ADOPTED]
        rows = stored_rows(
            fields,
            (
                (student, course, uuid.UUID(row.sourced_id), _midnight(row.begin))
                for (student, course), row in created.items()
            ),
        )
        columns = ", ".join(field.column for field in fields)
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE import_adopted AS SELECT {columns} FROM student_courses WHERE 1 = 0")
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY import_adopted ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(f"INSERT INTO import_adopted ({columns}) VALUES (%s, %s, %s, %s)", list(rows))
            cursor.execute(
                "UPDATE student_courses SET sourced_id = a.sourced_id, "
                "enrolled_at = COALESCE(a.enrolled_at, student_courses.enrolled_at) FROM import_adopted AS a "
                "WHERE student_courses.student_id = a.student_id AND student_courses.course_id = a.course_id"
            )
            cursor.execute("DROP TABLE import_adopted")


ADOPTED = ("student", "course", "sourced_id", "enrolled_at")


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return None if day is None else timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _by_student(pairs, *, drop: bool = False) -> dict[int, tuple[list[int], list[int]]]:
    changes: dict[int, tuple[list[int], list[int]]] = {}
    for student, course in pairs:
        add, remove = changes.setdefault(student, ([], []))
        (remove if drop else add).append(course)
    return changes


def _uuids(texts) -> list[uuid.UUID]:
    return [u for u in map(_uuid, texts) if u is not None]


def _existing(model, column: str, sourced_ids) -> set[uuid.UUID]:
    """Which of the sourcedIds (any text) name a ``model`` row by ``column``."""
    found: set[uuid.UUID] = set()
    for batch in batched(sorted(set(_uuids(sourced_ids))), LOOKUP_BATCH):
        found.update(model.objects.filter(**{f"{column}__in": batch}).values_list(column, flat=True))
    return found


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text)
    except ValueError:
        return None
