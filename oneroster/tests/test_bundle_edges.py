"""The bundle import's less travelled paths: tombstones of people and courses, a new section of a course, a class
moved to another course, a completion on a full class, a value another record holds, a school that is not here, a
bulk file beside another school's enrollments — with the school of ``conftest``."""

import uuid

import pytest

from courses.models import Course
from courses.tests.factories import CourseFactory
from oneroster.bundle.importing import import_bundle
from oneroster.bundle.report import BundleRefused
from oneroster.tests.conftest import ACTOR
from oneroster.tests.test_bundles import bundle, statuses
from schools.models import Org, OrgType
from students.enrollment import services
from students.models import Student


def user_row(student: Student, **changes) -> dict:
    row = {
        "sourcedId": str(student.sourced_id),
        "status": "active",
        "givenName": student.first_name,
        "familyName": student.last_name,
        "email": student.email,
        "enabledUser": "true",
    }
    return {**row, **changes}


def test_tombstoned_users_and_courses_are_counted_as_skipped_and_kept(school, tmp_path):
    course = {
        "sourcedId": str(school.empty.catalog_course.sourced_id),
        "status": "tobedeleted",
        "title": "x",
        "courseCode": "X1",
    }
    rows = {"users": [user_row(school.ada, status="tobedeleted")], "courses": [course]}

    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    assert report.skipped == {
        "tobedeleted users (kept: an import deletes no user)": 1,
        "tobedeleted courses (kept: an import deletes no course)": 1,
    }
    assert Student.objects.filter(pk=school.ada.pk).exists()
    assert Course.objects.filter(pk=school.empty.pk).exists()
    assert report.counts == {}


def test_a_new_class_of_a_known_course_is_a_new_section_of_it(school, tmp_path):
    section = uuid.UUID("5a1f0c3e-7b2d-4e8f-9a6b-1c2d3e4f5a6b")
    catalog = school.empty.catalog_course
    rows = {"classes": [{"sourcedId": str(section), "courseSourcedId": str(catalog.sourced_id), "classCode": "X-2"}]}

    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    created = Course.objects.get(sourced_id=section)
    assert (created.code, created.title, created.catalog_course) == ("X-2", catalog.title, catalog)
    assert list(catalog.offerings.order_by("id")) == [school.empty, created]
    assert report.changes == [f"+ class {section}: X-2 {catalog.title}"]


def test_a_class_moved_to_another_course_becomes_a_section_of_that_one(school, tmp_path):
    row = {
        "sourcedId": str(school.full.sourced_id),
        "courseSourcedId": str(school.empty.catalog_course.sourced_id),
        "classCode": school.full.code,
        "title": school.full.title,
    }

    import_bundle(bundle(tmp_path, {"classes": [row]}, mode="delta"), actor=ACTOR)

    assert Course.objects.get(pk=school.full.pk).catalog_course == school.empty.catalog_course


def test_a_completion_on_a_full_class_is_refused_with_its_line_and_nothing_changes(school, tmp_path):
    row = {
        "sourcedId": "6b2e1d4f-8c3a-4f9b-a7c6-2d3e4f5a6b7c",
        "status": "active",
        "role": "student",
        "classSourcedId": str(school.full.sourced_id),
        "userSourcedId": str(school.edsger.sourced_id),
        "metadata.enrollmentStatus": "completed",
    }
    before = statuses()

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, {"enrollments": [row]}, mode="delta"), actor=ACTOR)

    assert refusal.value.problems == ["enrollments.csv line 2: completed, but the class is full here"]
    assert statuses() == before


def test_an_email_another_student_holds_here_is_refused(school, tmp_path):
    newcomer = user_row(school.ada, sourcedId="7c3f2e5a-9d4b-4a0c-b8d7-3e4f5a6b7c8d", givenName="Not Ada")

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, {"users": [newcomer]}, mode="delta"), actor=ACTOR)

    assert refusal.value.problems == [f"users.csv line 2: email {school.ada.email} is another student's here"]


def test_a_class_code_another_class_holds_here_is_refused(school, tmp_path):
    taken = {
        "sourcedId": "8d4a3f6b-0e5c-4b1d-c9e8-4f5a6b7c8d9e",
        "courseSourcedId": str(school.empty.catalog_course.sourced_id),
        "classCode": school.full.code,
    }

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, {"classes": [taken]}, mode="delta"), actor=ACTOR)

    assert refusal.value.problems == [f"classes.csv line 2: code {school.full.code} is another class's here"]


def test_a_class_of_a_school_that_is_not_here_is_refused(school, tmp_path):
    elsewhere = "9e5b4a7c-1f6d-4c2e-8a9f-5a6b7c8d9e0f"
    row = {
        "sourcedId": "8d4a3f6b-0e5c-4b1d-89e8-4f5a6b7c8d9e",
        "courseSourcedId": str(school.empty.catalog_course.sourced_id),
        "classCode": "NEW-1",
        "schoolSourcedId": elsewhere,
    }

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, {"classes": [row]}, mode="delta"), actor=ACTOR)

    assert refusal.value.problems == [
        f"classes.csv line 2: schoolSourcedId {elsewhere} is no school here (schools are kept in the admin)"
    ]


def test_a_bulk_file_drops_nothing_of_a_school_none_of_its_classes_is_in(school, tmp_path):
    elsewhere = CourseFactory(school=Org.objects.create(name="North High", type=OrgType.SCHOOL))
    services.change_courses(student_id=school.grace.id, enroll=[elsewhere.id], actor=ACTOR)
    only_ada_in_full = {
        "sourcedId": str(school.association(school.ada, school.full).sourced_id),
        "status": "",
        "role": "student",
        "classSourcedId": str(school.full.sourced_id),
        "userSourcedId": str(school.ada.sourced_id),
    }

    import_bundle(bundle(tmp_path, {"enrollments": [only_ada_in_full]}), actor=ACTOR, max_drop_share=1)

    assert statuses()[("Ada", school.open.code)] == "dropped"  # the file's school and term: the file is their truth
    assert statuses()[("Grace", elsewhere.code)] == "enrolled"  # another school's: not the file's to drop
