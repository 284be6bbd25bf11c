"""The association table arrives in its own migration, which keeps existing data and reverses cleanly."""

import pytest
from django.db import connection

BEFORE = [("courses", "0001_create_course"), ("students", "0001_create_student")]
ASSOCIATION = ("students", "0002_create_student_course_association")


@pytest.mark.django_db(transaction=True)
def test_rows_present_before_the_association_migration_survive_it_and_its_rollback(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    old.apps.get_model("students", "Student").objects.create(first_name="Ada", last_name="L", email="ada@s.example")
    old.apps.get_model("courses", "Course").objects.create(code="CS101", title="Programming")

    new = migrator.apply_tested_migration(ASSOCIATION)
    Student, Course = new.apps.get_model("students", "Student"), new.apps.get_model("courses", "Course")
    assert list(Student.objects.values_list("email", flat=True)) == ["ada@s.example"]
    assert list(Course.objects.values_list("code", flat=True)) == ["CS101"]
    new.apps.get_model("students", "StudentCourse").objects.create(
        student=Student.objects.get(), course=Course.objects.get()
    )

    rolled_back = migrator.apply_tested_migration(BEFORE)
    assert "student_courses" not in connection.introspection.table_names()
    assert rolled_back.apps.get_model("students", "Student").objects.count() == 1
    assert rolled_back.apps.get_model("courses", "Course").objects.count() == 1


LIFECYCLE = ("students", "0003_add_enrollment_status_and_events")


@pytest.mark.django_db(transaction=True)
def test_the_lifecycle_migration_makes_existing_associations_enrolled_and_reverses(migrator):
    old = migrator.apply_initial_migration([ASSOCIATION, ("courses", "0001_create_course")])
    student = old.apps.get_model("students", "Student").objects.create(first_name="A", last_name="L", email="a@s.ex")
    course = old.apps.get_model("courses", "Course").objects.create(code="CS101", title="Programming")
    old_row = old.apps.get_model("students", "StudentCourse").objects.create(student=student, course=course)

    new = migrator.apply_tested_migration(LIFECYCLE)
    row = new.apps.get_model("students", "StudentCourse").objects.get()
    assert (row.status, row.status_changed_at, row.waitlist_ticket) == ("enrolled", old_row.enrolled_at, None)
    assert new.apps.get_model("courses", "Course").objects.get().capacity is None

    back = migrator.apply_tested_migration([ASSOCIATION, ("courses", "0001_create_course")])
    assert back.apps.get_model("students", "StudentCourse").objects.count() == 1
    assert "enrollment_events" not in connection.introspection.table_names()


TIMESTAMPS = ("students", "0004_store_seeded_timestamps_as_django_does")


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="only SQLite stores timestamps as text")
def test_timestamps_an_older_seed_stored_with_an_offset_are_rewritten_as_the_orm_stores_them(migrator):
    old = migrator.apply_initial_migration([LIFECYCLE, ("courses", "0003_validate_course_code")])
    old.apps.get_model("courses", "Course").objects.create(code="CS101", title="Programming")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE courses SET created_at = '2026-11-24 21:26:42.187731+00:00'")
    migrator.apply_tested_migration(TIMESTAMPS)
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(created_at AS TEXT) FROM courses")
        assert cursor.fetchone() == ("2026-11-24 21:26:42.187731",)


EVERY_MIGRATION = [
    (("courses", "0001_create_course"), ("courses", "0002_add_course_capacity")),
    (("courses", "0002_add_course_capacity"), ("courses", "0003_validate_course_code")),
    (("students", "0001_create_student"), ASSOCIATION),
    (ASSOCIATION, LIFECYCLE),
    (LIFECYCLE, TIMESTAMPS),
    (TIMESTAMPS, ("students", "0005_index_events_by_time")),
    (("students", "0006_updated_at_index"), ("students", "0007_oneroster_sourced_ids")),
]


def model(apps, label: str):
    try:
        return apps.get_model(*label.split("."))
    except LookupError:  # not in this migration state
        return None


def fill(apps) -> dict[str, int]:
    """Puts a row in every table the migration state has; returns the row counts."""
    course_model, student_model = model(apps, "courses.Course"), model(apps, "students.Student")
    association_model = model(apps, "students.StudentCourse")
    course = course_model.objects.create(code=f"C{course_model.objects.count()}", title="T") if course_model else None
    student = (
        student_model.objects.create(first_name="A", last_name="B", email=f"s{student_model.objects.count()}@s.ex")
        if student_model
        else None
    )
    if association_model and course and student:
        association_model.objects.create(student=student, course=course)
    models = {
        "courses.Course": course_model,
        "students.Student": student_model,
        "students.StudentCourse": association_model,
    }
    return {label: m.objects.count() for label, m in models.items() if m is not None}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("before", "after"), EVERY_MIGRATION, ids=[m[1][1] for m in EVERY_MIGRATION])
def test_every_migration_runs_forward_and_back_on_a_database_holding_data(migrator, before, after):
    counts = fill(migrator.apply_initial_migration(before).apps)
    forward = migrator.apply_tested_migration(after)
    assert {label: model(forward.apps, label).objects.count() for label in counts} == counts
    fill(forward.apps)
    backward = migrator.apply_tested_migration(before)
    assert {label: model(backward.apps, label).objects.count() for label in counts} == {
        label: count + 1 for label, count in counts.items()
    }


SOURCED_IDS = [("students", "0007_oneroster_sourced_ids"), ("courses", "0005_oneroster_sourced_ids")]
BEFORE_SOURCED_IDS = [("students", "0006_updated_at_index"), ("courses", "0004_updated_at_index")]


@pytest.mark.django_db(transaction=True)
def test_the_sourced_id_migration_gives_every_existing_row_its_own_identifier_and_reverses(migrator):
    old = migrator.apply_initial_migration(BEFORE_SOURCED_IDS)
    for _ in range(3):
        fill(old.apps)

    new = migrator.apply_tested_migration(SOURCED_IDS)
    identifiers = [
        *new.apps.get_model("students", "Student").objects.values_list("sourced_id", flat=True),
        *new.apps.get_model("students", "StudentCourse").objects.values_list("sourced_id", flat=True),
        *new.apps.get_model("courses", "Course").objects.values_list("sourced_id", flat=True),
        *new.apps.get_model("courses", "Course").objects.values_list("class_sourced_id", flat=True),
    ]
    assert len(identifiers) == 12
    assert None not in identifiers
    assert len(set(identifiers)) == 12
    fill(new.apps)  # new rows get theirs from the field's default

    back = migrator.apply_tested_migration(BEFORE_SOURCED_IDS)
    assert back.apps.get_model("students", "StudentCourse").objects.count() == 4
