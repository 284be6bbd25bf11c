"""Realistic, reproducible demo data: names, emails, course codes and titles drawn from a seeded generator."""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import transaction

from courses.models import Course
from students.models import Channel, EnrollmentEvent, Student, StudentCourse

BATCH_SIZE = 5000

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
        email = f"{first}.{last.replace(' ', '')}.{index + 1}@demo.school.example".lower()
        yield {"first_name": first, "last_name": last, "email": email}


@dataclass(frozen=True)
class SeedResult:
    """How many rows of each kind the seed added (0 for a repeated run)."""

    students: int
    courses: int
    associations: int


def _counts() -> tuple[int, int, int]:
    return Student.objects.count(), Course.objects.count(), StudentCourse.objects.count()


def _batches(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@transaction.atomic
def seed_demo(
    *, students: int, courses: int, per_student: int, seed: int, progress: Callable[[str, int, int], None]
) -> SeedResult:
    """Inserts the demo data set for these arguments, in bulk; rows that exist already are left alone, so running
    it twice with the same arguments changes nothing. Each association added gets its ``enrolled`` event
    (channel ``command``). ``progress(stage, done, total)`` is called after each batch.
    """
    if per_student > courses:
        raise ValueError(f"--per-student ({per_student}) cannot exceed --courses ({courses}).")
    before = _counts()
    rng = random.Random(seed)
    course_rows = list(demo_courses(courses, rng))
    Course.objects.bulk_create((Course(**row) for row in course_rows), ignore_conflicts=True)
    course_ids = list(Course.objects.filter(code__in=[r["code"] for r in course_rows]).values_list("id", flat=True))

    student_rows = list(demo_students(students, rng))
    student_ids: list[int] = []
    for batch in _batches(student_rows, BATCH_SIZE):
        Student.objects.bulk_create((Student(**row) for row in batch), ignore_conflicts=True)
        student_ids += Student.objects.filter(email__in=[r["email"] for r in batch]).values_list("id", flat=True)
        progress("students", len(student_ids), students)

    student_ids.sort()
    per_batch = BATCH_SIZE // max(per_student, 1)
    for done, batch in enumerate(_batches(student_ids, per_batch), start=1):
        existing = set(StudentCourse.objects.filter(student_id__in=batch).values_list("student_id", "course_id"))
        pairs = [
            (student_id, course_id)
            for student_id in batch
            for course_id in rng.sample(course_ids, per_student)
            if (student_id, course_id) not in existing
        ]
        StudentCourse.objects.bulk_create(StudentCourse(student_id=s, course_id=c) for s, c in pairs)
        EnrollmentEvent.objects.bulk_create(
            EnrollmentEvent(student_id=s, course_id=c, new_status="enrolled", channel=Channel.COMMAND) for s, c in pairs
        )
        progress("associations", min(done * per_batch, students), students)
    added = [after - earlier for after, earlier in zip(_counts(), before, strict=True)]
    return SeedResult(students=added[0], courses=added[1], associations=added[2])
