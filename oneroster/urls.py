"""Every read endpoint of 1EdTech's OpenAPI file for the OneRoster 1.2 rostering service, under ``BASE_PATH``."""

from django.urls import path

from oneroster import nesting
from oneroster.entities import (
    ACADEMIC_SESSIONS,
    CLASSES,
    COURSES,
    ENROLLMENTS,
    GRADING_PERIODS,
    NO_DEMOGRAPHICS,
    ORGS,
    SCHOOLS,
    STUDENTS,
    TERMS,
    USERS,
)
from oneroster.teaching import TEACHERS
from oneroster.views import Collection, Record

CORE, ROSTER, DEMOGRAPHICS = "core", "roster", "demographics"


def collection(route: str, source, scope: str = CORE, within=None):
    return path(route, Collection.as_view(source=source, scope=scope, within=within))


def record(route: str, source, scope: str = CORE):
    return path(route, Record.as_view(source=source, scope=scope))


urlpatterns = [
    collection("academicSessions", ACADEMIC_SESSIONS),
    record("academicSessions/<str:sourced_id>", ACADEMIC_SESSIONS),
    collection("classes", CLASSES),
    record("classes/<str:sourced_id>", CLASSES),
    collection("classes/<str:class_sourced_id>/students", STUDENTS, ROSTER, nesting.students_of_class),
    collection("classes/<str:class_sourced_id>/teachers", TEACHERS, ROSTER, nesting.teachers_of_class),
    collection("courses", COURSES),
    record("courses/<str:sourced_id>", COURSES),
    collection("courses/<str:course_sourced_id>/classes", CLASSES, ROSTER, nesting.classes_of_course),
    collection("demographics", NO_DEMOGRAPHICS, DEMOGRAPHICS),
    record("demographics/<str:sourced_id>", NO_DEMOGRAPHICS, DEMOGRAPHICS),
    collection("enrollments", ENROLLMENTS),
    record("enrollments/<str:sourced_id>", ENROLLMENTS),
    collection("gradingPeriods", GRADING_PERIODS),
    record("gradingPeriods/<str:sourced_id>", GRADING_PERIODS),
    collection("orgs", ORGS),
    record("orgs/<str:sourced_id>", ORGS),
    collection("schools", SCHOOLS),
    record("schools/<str:sourced_id>", SCHOOLS),
    collection("schools/<str:school_sourced_id>/classes", CLASSES, ROSTER, nesting.classes_of_school),
    collection(
        "schools/<str:school_sourced_id>/classes/<str:class_sourced_id>/enrollments",
        ENROLLMENTS,
        ROSTER,
        nesting.enrollments_of_class_in_school,
    ),
    collection(
        "schools/<str:school_sourced_id>/classes/<str:class_sourced_id>/students",
        STUDENTS,
        ROSTER,
        nesting.students_of_class_in_school,
    ),
    collection(
        "schools/<str:school_sourced_id>/classes/<str:class_sourced_id>/teachers",
        TEACHERS,
        ROSTER,
        nesting.teachers_of_class_in_school,
    ),
    collection("schools/<str:school_sourced_id>/courses", COURSES, ROSTER, nesting.courses_of_school),
    collection("schools/<str:school_sourced_id>/enrollments", ENROLLMENTS, ROSTER, nesting.enrollments_of_school),
    collection("schools/<str:school_sourced_id>/students", STUDENTS, ROSTER, nesting.students_of_school),
    collection("schools/<str:school_sourced_id>/teachers", TEACHERS, ROSTER, nesting.teachers_of_school),
    collection("schools/<str:school_sourced_id>/terms", TERMS, ROSTER, nesting.terms_of_school),
    collection("students", STUDENTS),
    record("students/<str:sourced_id>", STUDENTS),
    collection("students/<str:student_sourced_id>/classes", CLASSES, ROSTER, nesting.classes_of_student),
    collection("teachers", TEACHERS),
    record("teachers/<str:sourced_id>", TEACHERS),
    collection("teachers/<str:teacher_sourced_id>/classes", CLASSES, ROSTER, nesting.classes_of_teacher),
    collection("terms", TERMS),
    record("terms/<str:sourced_id>", TERMS),
    collection("terms/<str:term_sourced_id>/classes", CLASSES, ROSTER, nesting.classes_of_term),
    collection("terms/<str:term_sourced_id>/gradingPeriods", GRADING_PERIODS, ROSTER, nesting.grading_periods_of_term),
    collection("users", USERS),
    record("users/<str:sourced_id>", USERS),
    collection("users/<str:user_sourced_id>/classes", CLASSES, ROSTER, nesting.classes_of_user),
]
