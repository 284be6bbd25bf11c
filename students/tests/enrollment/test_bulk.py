"""The bulk import (``bulk.stage``) does exactly what ``services.enroll_many`` does with the same rows: the same
associations, waitlist tickets, events and feed entries, and the same refusals. On PostgreSQL the import runs its own
set-based path (COPY, temporary tables, planning course by course), so these tests hold it to the entry point."""

import random
from collections import Counter

import pytest
from django.db import connection, transaction

from changes.models import Change
from courses.tests.factories import CourseFactory
from schools.tests.factories import TermFactory
from students.enrollment import bulk, services
from students.enrollment.bulk import Row
from students.enrollment.errors import CourseFull, CourseNotFound, InvalidRows, StudentNotFound
from students.enrollment.outcomes import Summary
from students.enrollment.writing import Actor
from students.models import Channel, EnrollmentEvent, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory

pytestmark = pytest.mark.django_db

COMMAND = Actor(channel=Channel.COMMAND)


class Rollback(Exception):
    pass


def outcome_of(change) -> tuple:
    """What ``change()`` returns and writes (associations, events, feed entries), then undoes it."""
    events_before = EnrollmentEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    feed_before = Change.objects.order_by("-id").values_list("id", flat=True).first() or 0
    try:
        with transaction.atomic():
            try:
                result = change()
            except CourseFull as refusal:
                result = ("refused", refusal.extra["course_ids"])
            rows = set(
                StudentCourse.objects.values_list(
                    "student_id", "course_id", "status", "waitlist_ticket", "begin_date", "end_date"
                )
            )
            events = Counter(
                EnrollmentEvent.objects.filter(id__gt=events_before).values_list(
                    "student_id", "course_id", "previous_status", "new_status", "channel"
                )
            )
            feed = Counter(
                (entry.type, entry.object_id, tuple(sorted(entry.data.items())), entry.channel)
                for entry in Change.objects.filter(id__gt=feed_before)
            )
            raise Rollback((result, rows, events, feed))
    except Rollback as done:
        return done.args[0]


def import_rows(rows: list[Row], **options) -> Summary:
    staged = bulk.stage(rows)
    assert staged.problems() == []
    return staged.apply(actor=COMMAND, **options)


def as_changes(rows: list[Row], students: dict, courses: dict) -> dict:
    changes: dict[int, tuple[set, set]] = {}
    for row in rows:
        add, drop = changes.setdefault(students[row.email], (set(), set()))
        (drop if row.is_drop else add).add(courses[row.code])
    return changes


def random_school(rng: random.Random):
    """Students and courses (some with small capacities), associations in every status, waitlists with tickets."""
    students = StudentFactory.create_batch(12)
    coming = TermFactory(coming=True)  # enrolling in its courses begins on its first day
    courses = [
        CourseFactory(capacity=rng.choice([None, 1, 2, 3, 5]), **({"term": coming} if rng.random() < 0.5 else {}))
        for _ in range(6)
    ]
    for course in courses:
        ticket = 0
        for student in rng.sample(students, rng.randint(0, 7)):
            status = rng.choice(["enrolled", "enrolled", "waitlisted", "dropped", "completed"])
            if status == "waitlisted":
                ticket += 1
            StudentCourseFactory(
                student=student,
                course=course,
                status=status,
                waitlist_ticket=ticket if status == "waitlisted" else None,
            )
    return students, courses


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="on SQLite the import is enroll_many itself: nothing to compare"
)
@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("options", [{}, {"waitlist": True}, {"replace": True, "waitlist": True}, {"replace": True}])
def test_an_import_does_what_enroll_many_does(seed, options, monkeypatch):
    monkeypatch.setattr("students.enrollment.bulk_postgres.PLAN_BATCH", 3)  # several planning batches
    rng = random.Random(seed)
    students, courses = random_school(rng)
    pairs = rng.sample([(s, c) for s in students for c in courses], 30)
    rows = [Row(line, s.email, c.code, rng.random() < 0.3) for line, (s, c) in enumerate(pairs, start=2)]
    ids = {s.email: s.id for s in students}, {c.code: c.id for c in courses}

    imported = outcome_of(lambda: import_rows(rows, dry_run=False, **options))
    expected = outcome_of(lambda: services.enroll_many(changes=as_changes(rows, *ids), actor=COMMAND, **options))

    assert imported == expected


@pytest.mark.parametrize("seed", range(4))
def test_a_dry_run_reports_what_the_import_would_do_and_changes_nothing(seed):
    rng = random.Random(seed)
    students, courses = random_school(rng)
    named = zip(students, courses * 2, strict=False)
    rows = [Row(line, s.email, c.code, False) for line, (s, c) in enumerate(named, start=2)]
    before = set(StudentCourse.objects.values_list("student_id", "course_id", "status"))

    summary = import_rows(rows, dry_run=True, waitlist=True)

    assert set(StudentCourse.objects.values_list("student_id", "course_id", "status")) == before
    assert summary == outcome_of(lambda: import_rows(rows, dry_run=False, waitlist=True))[0]


def test_rows_naming_unknown_students_or_courses_or_contradicting_are_each_reported():
    student, course = StudentFactory(), CourseFactory(code="CS101")
    rows = [
        Row(2, "nobody@school.example", "CS101", False),
        Row(3, student.email, "XX999", False),
        Row(4, student.email, "CS101", False),
        Row(5, student.email, "CS101", True),
        Row(6, student.email, "CS101", False),
    ]
    assert sorted(bulk.stage(rows).problems()) == [
        (2, "line 2: unknown student 'nobody@school.example'"),
        (3, "line 3: unknown course 'XX999'"),
        (5, f"line 5: drop contradicts line 4 for {student.email} CS101"),
    ]
    assert not StudentCourse.objects.filter(course=course).exists()


def test_a_student_deleted_after_the_check_refuses_the_import_and_changes_nothing():
    kept, deleted, course = StudentFactory(), StudentFactory(), CourseFactory(code="CS101")
    staged = bulk.stage([Row(2, kept.email, "CS101", False), Row(3, deleted.email, "CS101", False)])
    assert staged.problems() == []
    deleted.delete()  # no history yet: another channel may delete it before the import applies
    with pytest.raises(StudentNotFound):
        staged.apply(actor=COMMAND)
    assert not StudentCourse.objects.filter(course=course).exists()


def test_a_course_deleted_after_the_check_refuses_the_import_and_changes_nothing():
    student, kept, deleted = StudentFactory(), CourseFactory(code="CS101"), CourseFactory(code="MA101")
    staged = bulk.stage([Row(2, student.email, "CS101", False), Row(3, student.email, "MA101", False)])
    assert staged.problems() == []
    deleted.delete()
    with pytest.raises(CourseNotFound):
        staged.apply(actor=COMMAND)
    assert not StudentCourse.objects.filter(course=kept).exists()


def test_applying_rows_with_problems_refuses_them_all_even_unchecked():
    student, course = StudentFactory(), CourseFactory(code="CS101")
    staged = bulk.stage([Row(2, student.email, "CS101", False), Row(3, "nobody@school.example", "CS101", False)])
    with pytest.raises(InvalidRows) as refused:
        staged.apply(actor=COMMAND)  # problems() never called: apply checks first
    assert refused.value.extra["rows"] == ["line 3: unknown student 'nobody@school.example'"]
    assert not StudentCourse.objects.filter(course=course).exists()
