"""The bundle import's less travelled paths: tombstones of people and courses, a class renamed, a completion on a
full class, a value another record holds — with the school of ``conftest``."""

import uuid

import pytest

from courses.models import Course
from oneroster.bundle.importing import import_bundle
from oneroster.bundle.report import BundleRefused
from oneroster.tests.conftest import ACTOR
from oneroster.tests.test_bundles import bundle, statuses
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
    course = {"sourcedId": str(school.empty.sourced_id), "status": "tobedeleted", "title": "x", "courseCode": "X1"}
    rows = {"users": [user_row(school.ada, status="tobedeleted")], "courses": [course]}

    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    assert report.skipped == {
        "tobedeleted users (kept: an import deletes no user)": 1,
        "tobedeleted courses (kept: an import deletes no course)": 1,
    }
    assert Student.objects.filter(pk=school.ada.pk).exists()
    assert Course.objects.filter(pk=school.empty.pk).exists()
    assert report.counts == {}


def test_a_class_known_by_its_course_gives_that_course_its_new_sourced_id(school, tmp_path):
    renamed = uuid.UUID("5a1f0c3e-7b2d-4e8f-9a6b-1c2d3e4f5a6b")
    rows = {"classes": [{"sourcedId": str(renamed), "courseSourcedId": str(school.empty.sourced_id)}]}

    report = import_bundle(bundle(tmp_path, rows, mode="delta"), actor=ACTOR)

    assert Course.objects.get(pk=school.empty.pk).class_sourced_id == renamed
    assert report.changes == [f"~ class of {school.empty.code}: now sourcedId {renamed}"]


def test_a_completion_on_a_full_class_is_refused_with_its_line_and_nothing_changes(school, tmp_path):
    row = {
        "sourcedId": "6b2e1d4f-8c3a-4f9b-a7c6-2d3e4f5a6b7c",
        "status": "active",
        "role": "student",
        "classSourcedId": str(school.full.class_sourced_id),
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


def test_a_class_another_course_holds_here_is_refused(school, tmp_path):
    taken = {"sourcedId": str(school.full.class_sourced_id), "courseSourcedId": str(school.empty.sourced_id)}

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, {"classes": [taken]}, mode="delta"), actor=ACTOR)

    assert refusal.value.problems == [
        f"classes.csv line 2: class {school.full.class_sourced_id} is another course's class here"
    ]
