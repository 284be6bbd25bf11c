"""Realistic, reproducible demo data: names, emails, course codes and titles drawn from a seeded generator."""

import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from changes.models import Change
from changes.recording import Entry
from config.api_values import api_value
from config.iterables import batched
from config.raw_sql import stored_rows
from courses.models import CATALOG_COURSE_API_FIELDS, COURSE_API_FIELDS, CatalogCourse, Course
from students.demo_district import (
    STAFF_DOMAIN,
    District,
    assignment_rows,
    catalog_of,
    catalog_rows,
    make_district,
    teacher_rows,
)
from students.enrollment.dates import begins_on
from students.enrollment.writing import enrollment_entry
from students.models import STUDENT_API_FIELDS, Channel, EnrollmentEvent, Student, StudentCourse, normalize_email
from teachers.models import ASSIGNMENT_API_FIELDS, TEACHER_API_FIELDS, Assignment, Teacher

BATCH_SIZE = 5000
ASSOCIATIONS_PER_BATCH = 20000
DEMO_DOMAIN = "@demo.school.example"

FIRST_NAMES = """
Ada Alan Alice Amara Ana Ben Bianca Carlos Chen Chloe Daniel Dara Elena Emeka Ethan Fatima Felix Grace Hana
Hugo Ines Ivan Jamal Jia Jonas Kai Kemal Lara Leila Liam Lucia Maya Mateo Mei Nadia Noah Nora Olga Omar Priya
Quinn Rafael Rosa Sami Sofia Tariq Tess Uma Victor Wei Yara Yusuf Zoe
""".split()
LAST_NAMES = """
Adeyemi Andersen Bauer Becker Castro Chen Costa Dubois Ericsson Fischer Garcia Gonzalez Haddad Hansen Ito
Jensen Kaur Khan Kim Kowalski Larsen Lopez Martin Meyer Moreau Nakamura Novak Nowak Okafor Oliveira Park
Petrov Popescu Rossi Sato Schmidt Silva Singh Smith Suzuki Tanaka Torres Visser Wagner Walker Wang Weber
Wilson Yilmaz Zhang
""".split()
SUBJECTS = (
    ("CS", "Computer Science"),
    ("MA", "Mathematics"),
    ("PH", "Physics"),
    ("CH", "Chemistry"),
    ("BI", "Biology"),
    ("HI", "History"),
    ("EN", "English Literature"),
    ("EC", "Economics"),
    ("PS", "Psychology"),
    ("AR", "Art"),
    ("MU", "Music"),
    ("GE", "Geography"),
    ("PL", "Philosophy"),
    ("LA", "Latin"),
    ("ST", "Statistics"),
)
LEVELS = ("Foundations of", "Introduction to", "Topics in", "Advanced", "Seminar in", "Methods in")


def demo_courses(count: int, rng: random.Random) -> Iterator[dict]:
    """``count`` courses with distinct codes such as ``CS101`` (the same codes for the same count and seed)."""
    for index in range(count):
        prefix, subject = SUBJECTS[index % len(SUBJECTS)]
        number = 101 + index // len(SUBJECTS)
        yield {
            "code": f"{prefix}{number}",
            "title": f"{rng.choice(LEVELS)} {subject}",
            "description": f"{subject}, level {number // 100}. Demo course.",
        }


def demo_students(count: int, rng: random.Random) -> Iterator[dict]:
    """``count`` students with distinct emails (``first.last.N@demo.school.example``)."""
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        email = normalize_email(f"{first}.{last}.{index + 1}{DEMO_DOMAIN}")
        yield {"first_name": first, "last_name": last, "email": email, "index": index}


@dataclass(frozen=True)
class SeedResult:
    """How many rows of each kind the seed added (0 for a repeated run)."""

    students: int
    courses: int
    associations: int
    teachers: int = 0
    schools: int = 1


def _table_and_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> tuple[str, list]:
    """The model's table, and the rows with every value as the ORM would store it there (``stored_rows``)."""
    fields = [model._meta.get_field(column) for column in columns]
    return model._meta.db_table, list(stored_rows(fields, rows))


def insert_new_rows(
    model: type[Model], columns: tuple[str, ...], rows: list[tuple], *, returning: tuple[str, ...] = ("id",)
) -> list[tuple]:
    """Inserts the rows, skipping those that conflict with existing ones; returns the ``returning`` columns of the
    rows actually inserted. Raw SQL for speed, since the seed writes millions of rows: on PostgreSQL through COPY
    into a temporary table, elsewhere (SQLite 3.35 and newer) in multi-row ``INSERT … ON CONFLICT`` statements.
    Values are stored exactly as the ORM stores them, so every read path finds what it expects.
    """
    if not rows:
        return []
    table, rows = _table_and_rows(model, columns, rows)
    quote = connection.ops.quote_name
    names, keep = ", ".join(map(quote, columns)), ", ".join(map(quote, returning))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"CREATE TEMP TABLE seed_rows ON COMMIT DROP AS SELECT {names} FROM {quote(table)} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY seed_rows ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}) SELECT {names} FROM seed_rows "
                f"ON CONFLICT DO NOTHING RETURNING {keep}"
            )
            inserted = cursor.fetchall()
            cursor.execute("DROP TABLE seed_rows")
            return inserted
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        per_statement = max(1, min(1000, connection.features.max_query_params // len(columns)))
        inserted = []
        for batch in batched(rows, per_statement):
            cursor.execute(
                f"INSERT INTO {quote(table)} ({names}) VALUES {', '.join([row_sql] * len(batch))} "
                f"ON CONFLICT DO NOTHING RETURNING {keep}",
                [value for row in batch for value in row],
            )
            inserted += cursor.fetchall()
        return inserted


def record_in_feed(name: str, fields: tuple[str, ...], rows: list[tuple], now) -> None:
    """A ``<name>.created`` feed entry for each added row (``rows`` hold the values of ``fields``)."""
    entries = [
        Entry(f"{name}.created", str(row[0]), {field: api_value(v) for field, v in zip(fields, row, strict=True)})
        for row in rows
    ]
    append_to_feed(entries, now)


def append_to_feed(entries: list[Entry], now) -> None:
    append_rows(
        Change,
        ("type", "object_type", "object_id", "data", "occurred_at", "actor_username", "channel"),
        [(e.type, e.object_type, e.object_id, e.data, now, "", Channel.COMMAND.value) for e in entries],
    )


def append_rows(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Appends rows to a table without unique keys (the event log): COPY on PostgreSQL, INSERT elsewhere."""
    if connection.vendor != "postgresql":
        insert_new_rows(model, columns, rows)
        return
    table, rows = _table_and_rows(model, columns, rows)
    quote = connection.ops.quote_name
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


@transaction.atomic
def seed_demo(
    *,
    students: int,
    courses: int,
    per_student: int,
    seed: int,
    progress: Callable[[str, int, int], None],
    schools: int = 1,
    teachers: int = 0,
) -> SeedResult:
    """Inserts the demo data set for these arguments, in bulk; rows that exist already are left alone, so running
    it twice with the same arguments changes nothing. The courses are spread over ``schools`` schools and the two
    terms of a school year (``demo_district``), sections of one catalog course per subject and school, each taught
    by one of ``teachers``. Each association added gets its ``enrolled`` event (channel ``command``).
    ``progress(stage, done, total)`` is called after each batch.
    """
    if per_student > courses:
        raise ValueError(f"--per-student ({per_student}) cannot exceed --courses ({courses}).")
    if schools < 1:
        raise ValueError("--schools is at least 1 (the first school).")
    rng, now = random.Random(seed), timezone.now()
    course_rows = list(demo_courses(courses, rng))
    district = make_district(schools=schools)
    added_catalog = insert_new_rows(
        CatalogCourse,
        ("code", "title", "org_id", "created_at", "updated_at", "sourced_id"),
        catalog_rows(course_rows, district, dict(SUBJECTS), now),
        returning=("id", "sourced_id", "code", "title", "org_id"),
    )
    catalogued = [(pk, uuid.UUID(str(sid)), *rest, now, now) for pk, sid, *rest in added_catalog]  # SQLite: hex text
    record_in_feed("catalog_course", CATALOG_COURSE_API_FIELDS, catalogued, now)
    catalog = {(org, code): pk for pk, org, code in CatalogCourse.objects.values_list("id", "org_id", "code")}
    places = [district.place(index) for index in range(len(course_rows))]
    added_courses = insert_new_rows(
        Course,
        (
            *("code", "title", "description", "school_id", "term_id", "catalog_course_id"),
            *("created_at", "updated_at", "sourced_id"),
        ),
        [
            (
                c["code"],
                c["title"],
                c["description"],
                school,
                term,
                catalog_of(c, school, catalog),
                now,
                now,
                uuid.uuid4(),
            )
            for c, (school, term) in zip(course_rows, places, strict=True)
        ],
        returning=("id", "code", "title", "description", "capacity", "school_id", "term_id", "catalog_course_id"),
    )
    record_in_feed("course", COURSE_API_FIELDS, [(*row, now, now) for row in added_courses], now)
    demo = Course.objects.filter(code__in=[c["code"] for c in course_rows])
    course_ids = list(demo.values_list("id", flat=True))  # by code: the order the associations are drawn from
    today = timezone.localdate(now)
    begins = {
        course_id: begins_on(today=today, term_start=start)
        for course_id, start in demo.values_list("id", "term__start_date")
    }
    ids_by_code = dict(demo.values_list("code", "id"))
    added_teachers = _seed_teachers(teachers, district, [ids_by_code[c["code"]] for c in course_rows], seed, now)

    student_rows = list(demo_students(students, rng))
    added_students = 0
    for done, batch in enumerate(batched(student_rows, BATCH_SIZE), start=1):
        added = insert_new_rows(
            Student,
            ("first_name", "last_name", "email", "school_id", "created_at", "updated_at", "sourced_id"),
            [
                (s["first_name"], s["last_name"], s["email"], district.home(s["index"]), now, now, uuid.uuid4())
                for s in batch
            ],
            returning=("id", "first_name", "last_name", "email", "school_id"),
        )
        record_in_feed("student", STUDENT_API_FIELDS, [(*row, now, now) for row in added], now)
        added_students += len(added)
        progress("students", min(done * BATCH_SIZE, students), students)
    ids_by_email = dict(Student.objects.filter(email__endswith=DEMO_DOMAIN).values_list("email", "id"))
    student_ids = sorted(ids_by_email[s["email"]] for s in student_rows)

    added_associations = 0
    per_batch = max(ASSOCIATIONS_PER_BATCH // max(per_student, 1), 1)
    for done, batch in enumerate(batched(student_ids, per_batch), start=1):
        pairs = [(s, c) for s in batch for c in rng.sample(course_ids, per_student)]
        new_pairs = insert_new_rows(
            StudentCourse,
            ("student_id", "course_id", "status", "enrolled_at", "status_changed_at", "begin_date", "sourced_id"),
            [(s, c, "enrolled", now, now, begins[c], uuid.uuid4()) for s, c in pairs],
            returning=("student_id", "course_id"),
        )
        append_rows(
            EnrollmentEvent,
            ("student_id", "course_id", "previous_status", "new_status", "actor_username", "channel", "created_at"),
            [(s, c, "", "enrolled", "", Channel.COMMAND.value, now) for s, c in new_pairs],
        )
        append_to_feed([enrollment_entry(s, c, "enrolled", None, begin=begins[c]) for s, c in new_pairs], now)
        added_associations += len(new_pairs)
        progress("associations", min(done * per_batch, students), students)
    if connection.vendor == "postgresql" and (added_students or added_associations):
        with connection.cursor() as cursor:  # fresh planner statistics after a bulk load
            cursor.execute("ANALYZE students, courses, student_courses, enrollment_events, changes")
    return SeedResult(
        students=added_students,
        courses=len(added_courses),
        associations=added_associations,
        teachers=added_teachers,
        schools=schools,
    )


def _seed_teachers(count: int, district: District, course_ids: list[int], seed: int, now) -> int:
    """The teachers (round the schools) and their assignments, each with its feed entry; how many were added."""
    added = insert_new_rows(
        Teacher,
        ("first_name", "last_name", "email", "identifier", "school_id", "created_at", "updated_at", "sourced_id"),
        teacher_rows(count, district, (FIRST_NAMES, LAST_NAMES), seed, now),
        returning=("id", "first_name", "last_name", "email", "identifier", "school_id", "sourced_id"),
    )
    record_in_feed("teacher", TEACHER_API_FIELDS, [(*row, now, now) for row in added], now)
    by_number = dict(Teacher.objects.filter(email__endswith=STAFF_DOMAIN).values_list("identifier", "id"))
    teacher_ids = [by_number[f"T{index + 1:05d}"] for index in range(count)]
    assigned = insert_new_rows(
        Assignment,
        ("teacher_id", "course_id", "role", "created_at", "updated_at", "sourced_id"),
        assignment_rows(course_ids, teacher_ids, district, now),
        returning=("id", "teacher_id", "course_id", "role", "begin_date", "end_date", "sourced_id"),
    )
    record_in_feed("assignment", ASSIGNMENT_API_FIELDS, assigned, now)
    return len(added)
