"""The association table arrives in its own migration, which keeps existing data and reverses cleanly."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

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


OURS = {"accounts", "changes", "courses", "oneroster", "schools", "students", "teachers", "webhooks"}


def every_step() -> list[tuple[tuple[str, str], tuple[str, str]]]:
    """Each of our migrations after its app's first, with the one before it, in the order ``migrate`` applies them:
    read from the migration graph, so a new migration is covered without being listed."""
    graph = MigrationLoader(None, ignore_no_migrations=True).graph
    plan = list(dict.fromkeys(node for leaf in graph.leaf_nodes() for node in graph.forwards_plan(leaf)))
    return [
        (parent.key, node)
        for node in plan
        if node[0] in OURS
        for parent in graph.node_map[node].parents
        if parent.key[0] == node[0]
    ]


def model(apps, label: str):
    try:
        return apps.get_model(*label.split("."))
    except LookupError:  # not in this migration state
        return None


def course_values(apps, course_model) -> dict:
    """A new course's values in this migration state: where courses are offered, by the first school in the first
    term, as their own catalog course."""
    values = {"code": f"C{course_model.objects.count()}", "title": "T"}
    if "catalog_course" in {field.name for field in course_model._meta.get_fields()}:
        school = apps.get_model("schools", "Org").objects.filter(type="school").order_by("id").first()
        term = apps.get_model("schools", "AcademicSession").objects.filter(type="term").order_by("id").first()
        catalog = apps.get_model("courses", "CatalogCourse").objects.create(org=school, **values)
        values |= {"school": school, "term": term, "catalog_course": catalog}
    return values


def student_values(apps, student_model) -> dict:
    """A new student's values in this migration state: of the first school where students have one."""
    values = {"first_name": "A", "last_name": "B", "email": f"s{student_model.objects.count()}@s.ex"}
    if "school" in {field.name for field in student_model._meta.get_fields()}:
        values["school"] = apps.get_model("schools", "Org").objects.filter(type="school").order_by("id").first()
    return values


def fill(apps) -> dict[str, int]:
    """Puts a row in every table the migration state has; returns the row counts."""
    course_model, student_model = model(apps, "courses.Course"), model(apps, "students.Student")
    association_model = model(apps, "students.StudentCourse")
    course = course_model.objects.create(**course_values(apps, course_model)) if course_model else None
    student = student_model.objects.create(**student_values(apps, student_model)) if student_model else None
    if association_model and course and student:
        association_model.objects.create(student=student, course=course)
    models = {
        "courses.Course": course_model,
        "students.Student": student_model,
        "students.StudentCourse": association_model,
    }
    return {label: m.objects.count() for label, m in models.items() if m is not None}


def test_every_step_is_read_from_the_graph():
    steps = every_step()
    assert (ASSOCIATION, LIFECYCLE) in steps
    assert {app for _, (app, _) in steps} == OURS - {"teachers"}  # teachers has one migration, nothing before it
    assert ("webhooks", "0002_encrypt_signing_secrets") in [after for _, after in steps]


@pytest.mark.django_db(transaction=True)
def test_every_migration_runs_forward_and_back_on_a_database_holding_data(migrator):
    """Step by step through every migration of ours: data in the tables, the migration applied (the rows kept),
    more data, the migration reversed (every row kept), then applied again for the next step."""
    steps = every_step()
    migrator.apply_initial_migration(steps[0][0])
    for before, after in steps:
        counts = fill(migrator.apply_tested_migration(before).apps)
        forward = migrator.apply_tested_migration(after)
        assert {label: model(forward.apps, label).objects.count() for label in counts} == counts, after
        fill(forward.apps)
        backward = migrator.apply_tested_migration(before)
        kept = {label: model(backward.apps, label).objects.count() for label in counts}
        assert kept == {label: count + 1 for label, count in counts.items()}, after


SCHOOLS = ("students", "0008_students_belong_to_a_school")
DATED = ("students", "0009_dated_enrollments")


@pytest.mark.django_db(transaction=True)
def test_the_dates_migration_dates_each_association_as_oneroster_showed_it(migrator):
    old = migrator.apply_initial_migration([SCHOOLS])
    Association = old.apps.get_model("students", "StudentCourse")
    Student, Course = old.apps.get_model("students", "Student"), old.apps.get_model("courses", "Course")
    enrolled_at = timezone.make_aware(dt.datetime(2026, 9, 1, 10, 30))
    changed_at = timezone.make_aware(dt.datetime(2026, 10, 15, 23, 59))
    for status in ("enrolled", "dropped", "completed", "waitlisted"):
        Association.objects.create(
            student=Student.objects.create(**student_values(old.apps, Student)),
            course=Course.objects.create(**course_values(old.apps, Course)),
            status=status,
            enrolled_at=enrolled_at,
            status_changed_at=changed_at,
            waitlist_ticket=1 if status == "waitlisted" else None,
        )

    new = migrator.apply_tested_migration(DATED)
    rows = new.apps.get_model("students", "StudentCourse").objects.values_list("status", "begin_date", "end_date")
    began, ended = dt.date(2026, 9, 1), dt.date(2026, 10, 16)  # the day after the last: exclusive
    assert set(rows) == {
        ("enrolled", began, None),
        ("dropped", began, ended),
        ("completed", began, ended),
        ("waitlisted", None, None),
    }
