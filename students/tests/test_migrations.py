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

    new = migrator.apply_tested_migration([LIFECYCLE, ("courses", "0003_validate_course_code")])
    row = new.apps.get_model("students", "StudentCourse").objects.get()
    assert (row.status, row.status_changed_at, row.waitlist_ticket) == ("enrolled", old_row.enrolled_at, None)
    assert new.apps.get_model("courses", "Course").objects.get().capacity is None

    back = migrator.apply_tested_migration([ASSOCIATION, ("courses", "0001_create_course")])
    assert back.apps.get_model("students", "StudentCourse").objects.count() == 1
    assert "enrollment_events" not in connection.introspection.table_names()
