"""A bundle written by hand, as another system would write it, imports into exactly these records: the mapping is
checked against values typed here, not against our own export (an omission both sides share would pass that)."""

import io
import zipfile
from datetime import date, timedelta
from uuid import UUID

import pytest
from django.utils import timezone

from courses.models import Course
from oneroster.bundle.importing import import_bundle
from oneroster.tests.conftest import ACTOR
from schools.models import AcademicSession, Org
from students.models import Student, StudentCourse

pytestmark = pytest.mark.django_db

FILES = {
    "manifest.csv": """propertyName,value
manifest.version,1.0
oneroster.version,1.2
file.users,bulk
file.courses,bulk
file.classes,bulk
file.enrollments,bulk
source.systemName,Hand-written SIS
""",
    "users.csv": """sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,\
identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,\
preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns
11111111-1111-4111-8111-111111111111,active,2026-09-01T08:00:00Z,true,ahopper,,Ada,Hopper,,S-1,Ada.Hopper@School.Example,,,,09,,,,,,,,
22222222-2222-4222-8222-222222222222,active,2026-09-01T08:00:00Z,true,blovelace,,Byron,Lovelace,,S-2,byron@school.example,,,,10,,,,,,,,
""",
    "courses.csv": """sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,\
subjects,subjectCodes
33333333-3333-4333-8333-333333333333,active,2026-09-01T08:00:00Z,,Algebra I,alg1,,,,
44444444-4444-4444-8444-444444444444,active,2026-09-01T08:00:00Z,,World History,HIS200,,,,
""",
    "classes.csv": """sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,\
schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods
55555555-5555-4555-8555-555555555555,active,2026-09-01T08:00:00Z,Algebra I,,33333333-3333-4333-8333-333333333333,\
ALG1-A,scheduled,,,,,,
66666666-6666-4666-8666-666666666666,active,2026-09-01T08:00:00Z,World History,,44444444-4444-4444-8444-444444444444,\
HIS200-A,scheduled,,,,,,
""",
    "enrollments.csv": """sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,\
beginDate,endDate,metadata.enrollmentStatus
77777777-7777-4777-8777-777777777777,active,2026-09-01T08:00:00Z,55555555-5555-4555-8555-555555555555,,\
11111111-1111-4111-8111-111111111111,student,false,2026-08-20,,
88888888-8888-4888-8888-888888888888,active,2026-09-01T08:00:00Z,66666666-6666-4666-8666-666666666666,,\
11111111-1111-4111-8111-111111111111,student,false,2026-08-20,,completed
99999999-9999-4999-8999-999999999999,active,2026-09-01T08:00:00Z,55555555-5555-4555-8555-555555555555,,\
22222222-2222-4222-8222-222222222222,teacher,false,2026-08-20,,
""",
}


@pytest.fixture
def imported():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        for name, text in FILES.items():
            archive.writestr(name, text)
    data.seek(0)
    return import_bundle(data, actor=ACTOR)


def test_each_student_is_the_user_row_typed(imported):
    students = {(str(s.sourced_id), s.first_name, s.last_name, s.email) for s in Student.objects.all()}
    assert students == {
        ("11111111-1111-4111-8111-111111111111", "Ada", "Hopper", "ada.hopper@school.example"),
        ("22222222-2222-4222-8222-222222222222", "Byron", "Lovelace", "byron@school.example"),
    }


def test_each_class_is_a_course_with_its_class_code_of_its_catalog_course(imported):
    courses = {
        (c.code, c.title, c.catalog_course.code, str(c.catalog_course.sourced_id), str(c.sourced_id))
        for c in Course.objects.select_related("catalog_course")
    }
    assert courses == {
        ("ALG1-A", "Algebra I", "ALG1", "33333333-3333-4333-8333-333333333333", "55555555-5555-4555-8555-555555555555"),
        (
            *("HIS200-A", "World History", "HIS200"),
            *("44444444-4444-4444-8444-444444444444", "66666666-6666-4666-8666-666666666666"),
        ),
    }


def test_a_class_naming_no_school_or_term_is_the_first_schools_in_the_first_term(imported):
    places = set(Course.objects.values_list("school__sourced_id", "term__sourced_id"))
    assert places == {(Org.objects.first_school().sourced_id, AcademicSession.objects.first_term().sourced_id)}


def test_each_student_enrollment_is_an_association_with_its_status_id_and_dates(imported):
    rows = {
        (a.student.first_name, a.course.code, a.status, str(a.sourced_id), a.begin_date, a.end_date)
        for a in StudentCourse.objects.select_related("student", "course")
    }
    completed_today = timezone.localdate() + timedelta(days=1)  # no endDate: it ends the day it is completed
    assert rows == {
        ("Ada", "ALG1-A", "enrolled", "77777777-7777-4777-8777-777777777777", date(2026, 8, 20), None),
        ("Ada", "HIS200-A", "completed", "88888888-8888-4888-8888-888888888888", date(2026, 8, 20), completed_today),
    }


def test_a_teachers_enrollment_is_no_association(imported):
    assert not StudentCourse.objects.filter(student__sourced_id=UUID("22222222-2222-4222-8222-222222222222")).exists()
