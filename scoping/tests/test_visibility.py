"""What a school's scope sees of each model, and that no model of ours is without a rule."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Permission

from courses.models import Course
from courses.tests.factories import CourseFactory
from schools.models import AcademicSession, Org
from scoping.scopes import DISTRICT, Scope, scope_of_orgs
from scoping.visibility import NotScoped, rule_of, visible
from students.models import EnrollmentEvent, Student, StudentCourse
from students.tests.factories import StudentCourseFactory, StudentFactory
from teachers.models import Assignment, Teacher
from teachers.tests.factories import AssignmentFactory, TeacherFactory

OUR_APPS = ("accounts", "changes", "courses", "oneroster", "schools", "scoping", "students", "teachers", "webhooks")


def test_every_model_of_ours_has_a_visibility_rule():
    unruled = []
    for model in apps.get_models():
        if model._meta.app_label in OUR_APPS:
            try:
                rule_of(model)
            except NotScoped:
                unruled.append(model.__name__)
    assert unruled == []


def test_a_model_without_a_rule_is_refused_not_served_whole():
    with pytest.raises(NotScoped):
        visible(Permission.objects.all(), Scope(schools=frozenset({1}), orgs=frozenset({1})))


@pytest.fixture
def two_schools(north, south):
    """A student, a course, a teacher in each school, an enrollment and an assignment within each, and one of
    each across the two (a north student in a south course, a north teacher on a south course)."""
    rows = {}
    for name, school in (("north", north), ("south", south)):
        student, course = StudentFactory(school=school), CourseFactory(school=school)
        teacher = TeacherFactory(school=school)
        rows[name] = {
            "student": student,
            "course": course,
            "teacher": teacher,
            "enrollment": StudentCourseFactory(student=student, course=course),
            "assignment": AssignmentFactory(teacher=teacher, course=course),
        }
    rows["across"] = {
        "enrollment": StudentCourseFactory(student=rows["north"]["student"], course=rows["south"]["course"]),
        "assignment": AssignmentFactory(teacher=rows["north"]["teacher"], course=rows["south"]["course"]),
    }
    return rows


def seen(model, scope: Scope) -> set[int]:
    return set(visible(model.objects.all(), scope).values_list("id", flat=True))


@pytest.mark.parametrize(("kind", "model"), [("student", Student), ("course", Course), ("teacher", Teacher)])
def test_a_school_sees_its_own_people_and_courses_only(two_schools, north, kind, model):
    assert seen(model, scope_of_orgs([north.id])) == {two_schools["north"][kind].id}


@pytest.mark.parametrize(("kind", "model"), [("enrollment", StudentCourse), ("assignment", Assignment)])
def test_a_link_across_two_schools_is_seen_only_by_a_scope_that_sees_both(two_schools, north, south, kind, model):
    assert seen(model, scope_of_orgs([north.id])) == {two_schools["north"][kind].id}
    assert two_schools["across"][kind].id in seen(model, scope_of_orgs([north.id, south.id]))


def test_the_history_of_an_enrollment_across_schools_is_seen_by_the_district_only(two_schools, north):
    across = two_schools["across"]["enrollment"]
    EnrollmentEvent.objects.create(student=across.student, course=across.course, new_status="enrolled")
    assert not visible(EnrollmentEvent.objects.filter(course=across.course), scope_of_orgs([north.id])).exists()
    assert visible(EnrollmentEvent.objects.filter(course=across.course), DISTRICT).exists()


def test_a_school_reads_its_own_org_and_the_district_not_another_school(district, north, south):
    assert seen(Org, scope_of_orgs([north.id])) == {north.id, district.id}


def test_every_scope_reads_the_districts_calendar(north):
    assert seen(AcademicSession, scope_of_orgs([north.id])) == set(AcademicSession.objects.values_list("id", flat=True))


def test_the_district_sees_every_row(two_schools):
    assert seen(StudentCourse, DISTRICT) == set(StudentCourse.objects.values_list("id", flat=True))
