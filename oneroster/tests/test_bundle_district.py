"""A bundle's district: orgs and academic sessions created or updated with their parents, teachers at their schools
and their enrollments as assignments; each bad row refused with its line, and then nothing changes."""

from uuid import UUID

import pytest

from changes.models import Change
from courses.tests.factories import CourseFactory
from oneroster.bundle.importing import import_bundle
from oneroster.bundle.report import BundleRefused
from oneroster.tests.conftest import ACTOR
from oneroster.tests.test_bundles import bundle
from schools.models import AcademicSession, Org, OrgType
from teachers.models import Assignment, AssignmentRole, Teacher
from teachers.tests.factories import AssignmentFactory, TeacherFactory

pytestmark = pytest.mark.django_db

DISTRICT, SCHOOL = "d0000000-0000-4000-8000-000000000001", "d0000000-0000-4000-8000-000000000002"
YEAR, FALL = "d0000000-0000-4000-8000-000000000003", "d0000000-0000-4000-8000-000000000004"
TEACHER, TAUGHT = "d0000000-0000-4000-8000-000000000005", "d0000000-0000-4000-8000-000000000006"


def places() -> dict[str, list[dict]]:
    return {
        "orgs": [
            {"sourcedId": SCHOOL, "name": "North High", "type": "school", "parentSourcedId": DISTRICT},
            {"sourcedId": DISTRICT, "name": "Springfield", "type": "district"},
        ],
        "academicSessions": [
            {
                **{"sourcedId": FALL, "title": "Fall", "type": "term", "parentSourcedId": YEAR},
                **{"startDate": "2026-08-17", "endDate": "2027-01-09", "schoolYear": "2027"},
            },
            {
                **{"sourcedId": YEAR, "title": "2026-2027", "type": "schoolYear"},
                **{"startDate": "2026-08-17", "endDate": "2027-07-01", "schoolYear": "2027"},
            },
        ],
    }


def test_orgs_and_sessions_are_made_with_their_parents_whatever_their_order(tmp_path):
    import_bundle(bundle(tmp_path, places()), actor=ACTOR)

    school = Org.objects.get(sourced_id=SCHOOL)
    fall = AcademicSession.objects.get(sourced_id=FALL)
    assert (school.name, school.parent.name, school.parent.type) == ("North High", "Springfield", OrgType.DISTRICT)
    assert (fall.parent.title, str(fall.end_date)) == ("2026-2027", "2027-01-09")


def test_a_session_that_ends_before_it_starts_is_refused_and_nothing_is_made(tmp_path):
    rows = places()
    rows["academicSessions"][0]["endDate"] = "2026-08-01"

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, rows), actor=ACTOR)

    assert refusal.value.problems == [
        "academicSessions.csv line 2: startDate and endDate are needed, the end after the start (it is exclusive)"
    ]
    assert not Org.objects.filter(sourced_id=SCHOOL).exists()


def teaching(course, **enrollment) -> dict[str, list[dict]]:
    return {
        "users": [
            {
                **{"sourcedId": TEACHER, "givenName": "Ada", "familyName": "Byron", "email": "Ada@School.Example"},
                **{"enabledUser": "true", "identifier": "T-1"},
            }
        ],
        "roles": [{"sourcedId": TAUGHT, "userSourcedId": TEACHER, "role": "teacher", "roleType": "primary"}],
        "enrollments": [
            {
                **{"sourcedId": TAUGHT, "classSourcedId": str(course.sourced_id), "userSourcedId": TEACHER},
                **{"role": "teacher", "primary": "true", "beginDate": "2026-08-17"},
                **enrollment,
            }
        ],
    }


def test_a_teacher_and_their_enrollment_become_a_teacher_assigned_to_the_class(tmp_path):
    course = CourseFactory()

    report = import_bundle(bundle(tmp_path, teaching(course), mode="delta"), actor=ACTOR)

    teacher = Teacher.objects.get(sourced_id=TEACHER)
    assert (teacher.email, teacher.identifier, teacher.school) == ("ada@school.example", "T-1", course.school)
    assignment = Assignment.objects.get()
    assert (assignment.course, assignment.role, str(assignment.begin_date)) == (course, "primary", "2026-08-17")
    assert report.counts == {"teachers created": 1, "teacher assignments created": 1}


def test_an_aides_enrollment_makes_an_aide(tmp_path):
    import_bundle(
        bundle(tmp_path, teaching(CourseFactory(), role="ext:aide", primary="false"), mode="delta"), actor=ACTOR
    )

    assert Assignment.objects.get().role == AssignmentRole.AIDE


def test_a_teachers_email_another_teacher_holds_here_is_refused(tmp_path):
    TeacherFactory(email="ada@school.example")

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, teaching(CourseFactory()), mode="delta"), actor=ACTOR)

    assert refusal.value.problems == ["users.csv line 2: email ada@school.example is another teacher's here"]
    assert not Teacher.objects.filter(sourced_id=TEACHER).exists()


def test_a_teachers_enrollment_in_a_class_that_is_nowhere_is_refused_and_nothing_changes(tmp_path):
    course = CourseFactory.build(sourced_id="d0000000-0000-4000-8000-0000000000ff")

    with pytest.raises(BundleRefused) as refusal:
        import_bundle(bundle(tmp_path, teaching(course), mode="delta"), actor=ACTOR)

    assert refusal.value.problems == [
        f"enrollments.csv line 2: classSourcedId {course.sourced_id} is no class of the bundle or here"
    ]
    assert not Teacher.objects.exists()


def test_a_bulk_file_listing_teachers_removes_an_assignment_it_no_longer_lists_in_its_scope(tmp_path):
    course = CourseFactory()
    elsewhere = CourseFactory(school=Org.objects.create(name="North High", type=OrgType.SCHOOL))
    gone, kept = AssignmentFactory(course=course), AssignmentFactory(course=elsewhere)

    report = import_bundle(bundle(tmp_path, teaching(course)), actor=ACTOR)

    assert set(Assignment.objects.values_list("sourced_id", flat=True)) == {kept.sourced_id, UUID(TAUGHT)}
    assert report.counts["teacher assignments removed"] == 1
    assert Change.objects.filter(type="assignment.deleted", object_id=str(gone.id)).exists()


def test_a_bulk_file_listing_no_teacher_removes_no_assignment(tmp_path):
    assignment = AssignmentFactory()
    student_only = {k: v for k, v in teaching(assignment.course).items() if k != "enrollments"}

    import_bundle(bundle(tmp_path, {**student_only, "enrollments": []}), actor=ACTOR)

    assert Assignment.objects.filter(pk=assignment.pk).exists()
