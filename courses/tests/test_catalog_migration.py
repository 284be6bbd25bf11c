"""Courses there are become offerings of catalog courses with the sourcedIds OneRoster clients know, and back."""

import uuid

import pytest

BEFORE = [("courses", "0006_capacity_at_least_one"), ("schools", "0002_the_settings_school_district_and_term_as_rows")]
CATALOG = ("courses", "0007_catalog_courses_and_where_courses_are_offered")
COURSE_ID, CLASS_ID = (
    uuid.UUID("11111111-1111-4111-8111-111111111111"),
    uuid.UUID("22222222-2222-4222-8222-222222222222"),
)


@pytest.mark.django_db(transaction=True)
def test_a_course_keeps_its_course_and_class_sourced_ids_as_catalog_course_and_offering(migrator):
    old = migrator.apply_initial_migration(BEFORE)
    old.apps.get_model("courses", "Course").objects.create(
        code="ALG1", title="Algebra I", sourced_id=COURSE_ID, class_sourced_id=CLASS_ID
    )

    new = migrator.apply_tested_migration(CATALOG)

    course = new.apps.get_model("courses", "Course").objects.select_related("catalog_course", "school", "term").get()
    assert (course.sourced_id, course.catalog_course.sourced_id) == (CLASS_ID, COURSE_ID)
    assert (course.catalog_course.code, course.catalog_course.title) == ("ALG1", "Algebra I")
    assert (course.school.type, course.term.type) == ("school", "term")
    assert course.catalog_course.org_id == course.school_id

    back = migrator.apply_tested_migration(BEFORE)
    row = back.apps.get_model("courses", "Course").objects.get()
    assert (row.sourced_id, row.class_sourced_id) == (COURSE_ID, CLASS_ID)
